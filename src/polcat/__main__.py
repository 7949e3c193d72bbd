"""``polcat`` and ``python -m polcat``: the console entry point.

It lives outside :mod:`polcat.cli` so that ``polcat --version`` answers without importing
typer, rich or any command (a bare interpreter start instead of about 90 ms); everything
else goes to :func:`polcat.cli.main`.
"""

from __future__ import annotations

import sys

VERSION_FLAGS = ("--version", "-V")


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        from polcat.locate import version_line

        try:
            sys.stdout.write(version_line() + "\n")
            sys.stdout.flush()
            return
        except OSError:  # a closed pipe, a full disk: the command line reports it as for any command
            pass
    from polcat.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
