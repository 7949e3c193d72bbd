"""Candidates against a catalogue: the place as the registry knows it, and the entry a
candidate already is (``known``) when the places agree; a same-name entry of another
place is diffusion, not identity (``same_name_elsewhere``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from polcat import gazetteer
from polcat.extract.candidate import Candidate
from polcat.extract.judge import candidates_in, judged_and_set_aside
from polcat.extract.learned import Judgement
from polcat.extract.place import NATIONAL, place_name, place_of, places
from polcat.extract.text import Cleaned, Sentences, clean, label_key

VARIANT_SUFFIXES = (
    "工作机制",
    "工作模式",
    "工作制度",
    "机制",
    "模式",
    "制度",
    "活动",
    "措施",
    "政策",
    "改革",
    "要求",
    "体系",
    "计划",
    "工程",
    "行动",
    "理念",
    "品牌",
    "平台",
)

if TYPE_CHECKING:
    from polcat.catalogue import Catalogue
    from polcat.model import Name


class Named(Protocol):
    """What the name index needs of an entry (polcat.model.Entry, or a test's stand-in)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> Name: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def locality(self) -> str | None: ...


Index = tuple[dict[str, list[Named]], dict[str, list[Named]]]


def variant_key(key: str) -> str:
    """A label without a generic type noun at the end: 三定工作机制 ~ 三定, 三变改革 ~ 三变."""
    for suffix in VARIANT_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return key


def name_index(entries: Iterable[Named]) -> Index:
    """Entries by the exact keys of their names and aliases, and by their variant keys."""
    exact: dict[str, list[Named]] = {}
    variants: dict[str, list[Named]] = {}
    for entry in entries:
        for value in (*entry.name.spellings(), *entry.aliases):
            if value.strip():
                key = label_key(value)
                exact.setdefault(key, []).append(entry)
                variants.setdefault(variant_key(key), []).append(entry)
    return exact, variants


def same_name(candidate: Candidate, index: Index) -> list[Named]:
    """Entries named like the candidate (same name in either script, an alias, or the
    same name give or take a type noun), exact matches only when there are some."""
    exact, variants = index
    keys = [candidate.key or label_key(candidate.label), *candidate.aliases]
    for table, transform in ((exact, lambda k: k), (variants, variant_key)):
        records = list({id(r): r for key in keys for r in table.get(transform(key), [])}.values())
        if records:
            return sorted(records, key=lambda r: r.id)
    return []


def match_known(cat: Catalogue | None, candidate: Candidate, index: Index) -> str | None:
    """The id of an entry the candidate names, by name alone, preferring the candidate's
    locality (used for scoring; :func:`annotate` also checks the places agree)."""
    entries = same_name(candidate, index)
    if not entries:
        return None
    if cat is not None and candidate.locality and cat.locality(candidate.locality) is not None:
        chain = [p.id for p in cat.chain(candidate.locality)]
        entries.sort(key=lambda e: chain.index(e.locality) if e.locality in chain else len(chain))
    return entries[0].id


def registry_code(cat: Catalogue, locality: str | None) -> str | None:
    """The code of a registry locality (its adcode, or its nearest parent's), national
    for the central level, None when unknown."""
    for place in cat.chain(locality):
        if place.level == "national":
            return NATIONAL
        if place.adcode:
            current = gazetteer.load().current(place.adcode)
            return current.code if current else place.adcode
    return None


def registry_id(cat: Catalogue, code: str | None) -> str | None:
    """The registry id for a code (current or former adcode), or the code itself."""
    if code is None or code == NATIONAL:
        return code
    for place in cat.all_localities():
        if place.adcode == code or any(f.adcode == code for f in place.former_names):
            return place.id
    return code


def places_agree(entry_code: str | None, candidate_code: str | None, report_code: str | None) -> bool:
    """Same place, or the entry is national, or at an ancestor of the candidate's or the
    report's place. An entry with no place cannot disagree."""
    if entry_code is None or entry_code == NATIONAL:
        return True
    gaz = gazetteer.load()
    return any(
        code and code != NATIONAL and gaz.is_ancestor(entry_code, code) for code in (candidate_code, report_code)
    )


def annotate(cat: Catalogue | None, candidates: list[Candidate], text: str | Cleaned) -> list[Candidate]:
    """Fill in each candidate's place and, with a catalogue, the entry it is (places
    agreeing) and the same-name entries of other places."""
    cleaned = text if isinstance(text, Cleaned) else clean(text)
    found = places(cleaned)
    sentences = Sentences(cleaned.simple)
    back = {start: index for index, start in enumerate(cleaned.starts)}
    index = name_index(cat.entries()) if cat is not None else None
    for candidate in candidates:
        code = place_of(cleaned, found, back.get(candidate.start, 0), sentences)
        candidate.locality = registry_id(cat, code) if cat is not None else code
        candidate.locality_name = place_name(code)
        if cat is None or index is None:
            continue
        known, elsewhere = None, []
        for entry in same_name(candidate, index):
            if known is None and places_agree(registry_code(cat, entry.locality), code, found.report):
                known = entry.id
            else:
                elsewhere.append(entry.id)
        candidate.known = _closest(cat, candidate, index, known, code, found.report)
        candidate.same_name_elsewhere = [r for r in elsewhere if r != candidate.known] + (
            [known] if known and candidate.known != known else []
        )
    return candidates


def _closest(
    cat: Catalogue, candidate: Candidate, index: Index, first: str | None, code: str | None, report: str | None
) -> str | None:
    """Among the agreeing entries, the one filed nearest the candidate's place."""
    agreeing = [e for e in same_name(candidate, index) if places_agree(registry_code(cat, e.locality), code, report)]
    if not agreeing:
        return None
    gaz = gazetteer.load()
    depth = {d.code: i for i, d in enumerate(gaz.chain(code or report or ""))}

    def rank(entry: Named) -> tuple[int, str]:
        place = registry_code(cat, entry.locality)
        return (-depth.get(place or "", -1), entry.id)

    return sorted(agreeing, key=rank)[0].id


def extract(text: str, cat: Catalogue | None = None, judgement: Judgement = None) -> list[Candidate]:
    """Candidates in ``text`` with their places; with a catalogue, also the entry each
    already is and the same-name entries of other places. ``judgement`` picks the hand
    rules or the learned model (:func:`polcat.extract.judge.candidates_in`)."""
    cleaned = clean(text)
    return annotate(cat, candidates_in(cleaned, judgement), cleaned)


def extract_with_set_aside(
    text: str, cat: Catalogue | None = None, judgement: Judgement = None
) -> tuple[list[Candidate], list[Candidate]]:
    """:func:`extract`'s candidates, and apart the quoted labels it set aside with why
    (:func:`polcat.extract.judge.judged_and_set_aside`), both with their places."""
    cleaned = clean(text)
    kept, aside = judged_and_set_aside(cleaned, judgement)
    return annotate(cat, kept, cleaned), annotate(cat, aside, cleaned)


def identify_source(cat: Catalogue, text: str, threshold: float = 0.5) -> Any:
    """The catalogue source whose stored text this report is (most of its sentences occur
    in it, whitespace and script ignored), or None."""
    from polcat.chinese import fold_for_quote
    from polcat.problems import LoadError

    sentences = [fold_for_quote(s) for s in re.split(r"[。！？!?；;\n]", text)]
    sentences = [s for s in sentences if len(s) >= 8]
    if not sentences:
        return None
    best, best_share = None, 0.0
    for record in cat.sources.values():
        try:
            stored = fold_for_quote(cat.read_source_text(record))
        except LoadError:
            continue
        share = sum(1 for s in sentences if s in stored) / len(sentences)
        if share > best_share:
            best, best_share = record, share
    return best if best_share >= threshold else None
