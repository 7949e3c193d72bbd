"""polcat: a curated, validated, queryable catalogue of named policy mechanisms.

The library is usable without the CLI::

    from polcat.catalogue import load_catalogue
    cat = load_catalogue()          # the catalogue shipped with polcat
    cat.mechanisms["chishui-sanding"]["name"]["zh"]
"""

__version__ = "0.2.0"
