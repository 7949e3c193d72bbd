"""Asking the catalogue questions: one import for scripts and notebooks.

The work lives in one module per concern: :mod:`polcat.places` (localities in any
spelling), :mod:`polcat.filters` (choosing entries), :mod:`polcat.search` (names and
ranked search), :mod:`polcat.relations` (cross-references) and :mod:`polcat.counts`
(matrix and stats). Every function takes a loaded catalogue and returns typed entries
(:class:`polcat.model.Entry`) or plain dataclasses, so scripts get the CLI's answers::

    from polcat.catalogue import load_catalogue
    from polcat import query

    cat = load_catalogue()
    query.filter_entries(cat, query.Filters(localities=["贵州"], themes=["cadre-accountability"]))
    query.search(cat, "三變")[0].entry.id
"""

from __future__ import annotations

from polcat.catalogue import KINDS, LEVELS, STATUSES
from polcat.chinese import fold, fold_latin, has_cjk, normalise
from polcat.counts import Matrix, entry_counts_by_locality, matrix, stats
from polcat.filters import SORT_KEYS, Filters, Selection, check_known, filter_entries, select, sort_entries
from polcat.places import (
    QueryError,
    ancestor_at,
    descendants,
    locality_chain,
    locality_keys,
    locality_name,
    match_locality,
    resolve_localities,
)
from polcat.relations import INVERSE, Link, Related, links, related, same_name_elsewhere
from polcat.search import Hit, name_keys, resolve, search, suggest

__all__ = [
    "INVERSE",
    "KINDS",
    "LEVELS",
    "SORT_KEYS",
    "STATUSES",
    "Filters",
    "Hit",
    "Link",
    "Matrix",
    "QueryError",
    "Related",
    "Selection",
    "ancestor_at",
    "check_known",
    "descendants",
    "entry_counts_by_locality",
    "filter_entries",
    "fold",
    "fold_latin",
    "has_cjk",
    "links",
    "locality_chain",
    "locality_keys",
    "locality_name",
    "match_locality",
    "matrix",
    "name_keys",
    "normalise",
    "related",
    "resolve",
    "resolve_localities",
    "same_name_elsewhere",
    "search",
    "select",
    "sort_entries",
    "stats",
    "suggest",
]
