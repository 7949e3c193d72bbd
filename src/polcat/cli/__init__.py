"""The polcat command line. ``polcat.cli:main`` runs it; the console entry point,
``polcat.__main__:main``, answers ``--version`` itself and calls it for everything else.

Importing this package registers every command on :data:`app`; the application object
itself (and ``main``) lives in :mod:`polcat.cli.app`, which imports no command module.
"""

from polcat.cli import (  # noqa: F401 (registers the commands, in this order)
    curate,
    maintain,
    query,
    registries,
    research,
    share,
    validate,
)
from polcat.cli.app import app, main, tidy_help

tidy_help()

__all__ = ["app", "main"]
