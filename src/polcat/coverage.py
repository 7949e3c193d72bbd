"""Is every source fully accounted for? Each candidate name `extract` finds in a source's
stored text is either an entry (its name or an alias, give or take a type noun), a
recorded exclusion (``excluded`` in the source, with a reason), or unaccounted.

Curators run ``polcat coverage`` until nothing is unaccounted; CI runs it on the shipped
catalogue, so that a name cannot be silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from polcat.catalogue import Catalogue
from polcat.model import Entry, Exclusion, Source
from polcat.problems import LoadError

ENTRY, EXCLUDED, UNACCOUNTED = "entry", "excluded", "unaccounted"


@dataclass(frozen=True)
class Account:
    source: str
    label: str
    status: str  # entry, excluded or unaccounted
    detail: str  # the entry's id, or the exclusion's reason (and note)


@dataclass
class SourceCoverage:
    source: Source
    accounts: list[Account]
    error: str | None = None  # the stored text could not be read

    def count(self, status: str) -> int:
        return sum(1 for a in self.accounts if a.status == status)


def _keys(label: str) -> set[str]:
    from polcat.extract import label_key, variant_key

    key = label_key(label)
    return {key, variant_key(key)}


def coverage(cat: Catalogue, source: Source) -> SourceCoverage:
    """Every candidate of one source, accounted for (or not)."""
    from polcat.extract import find_candidates

    try:
        text = cat.read_source_text(source.record)
    except LoadError as exc:
        return SourceCoverage(source, [], exc.message)
    citing: dict[str, Entry] = {}
    for entry in cat.entries():
        if source.id in entry.cited_sources():
            for spelling in (*entry.name.spellings(), *entry.aliases):
                for key in _keys(spelling):
                    citing.setdefault(key, entry)
    excluded: dict[str, Exclusion] = {}
    for exclusion in source.excluded:
        for key in _keys(exclusion.label):
            excluded.setdefault(key, exclusion)
    accounts = []
    for candidate in find_candidates(text):
        keys = _keys(candidate.label)
        cited = next((citing[k] for k in keys if k in citing), None)
        left_out = next((excluded[k] for k in keys if k in excluded), None)
        if cited is not None:
            accounts.append(Account(source.id, candidate.label, ENTRY, cited.id))
        elif left_out is not None:
            detail = left_out.reason + (f": {left_out.note}" if left_out.note else "")
            accounts.append(Account(source.id, candidate.label, EXCLUDED, detail))
        else:
            accounts.append(Account(source.id, candidate.label, UNACCOUNTED, ""))
    return SourceCoverage(source, accounts)
