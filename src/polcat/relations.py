"""Cross-references: typed relations both ways, the same name elsewhere, shared parts."""

from __future__ import annotations

from dataclasses import dataclass

from polcat.catalogue import Catalogue
from polcat.chinese import fold, has_cjk
from polcat.model import Entry
from polcat.search import name_keys

INVERSE = {
    "part-of": "has-part",
    "has-part": "part-of",
    "implements": "implemented-by",
    "variant-of": "has-variant",
    "similar-to": "similar-to",
    "same-name-as": "same-name-as",
}

# One direction per inverse pair, for drawing each link once: the whole's parts point at
# it (part-of), the implementer at what it implements, the variant at its original. The
# schema lets a curator write either side of part-of/has-part; a graph draws both the same.
CANONICAL = ("part-of", "implements", "variant-of", "similar-to", "same-name-as")
SYMMETRIC = frozenset(kind for kind, inverse in INVERSE.items() if kind == inverse)


def canonical(source: str, kind: str, target: str) -> tuple[str, str, str]:
    """The link ``source kind target`` in its type's one direction: ``(A, has-part, B)``
    is ``(B, part-of, A)``; a symmetric link (similar-to) runs from the smaller id."""
    if kind in SYMMETRIC:
        return (min(source, target), kind, max(source, target))
    if kind not in CANONICAL and INVERSE.get(kind) in CANONICAL:
        return (target, INVERSE[kind], source)
    return (source, kind, target)


@dataclass(frozen=True)
class Link:
    type: str
    target: str
    derived: bool  # True when polcat inferred it from the other entry's link
    note: str | None = None


@dataclass
class Related:
    entry: Entry
    reasons: list[str]
    score: float


def same_name_elsewhere(cat: Catalogue, entry: Entry) -> list[Entry]:
    """Entries in other localities sharing a name (in any script or alias) with ``entry``."""
    keys = {k for k in name_keys(cat, entry) if has_cjk(k) or any(c.isdigit() for c in k)}
    return [
        other
        for other in cat.entries()
        if other.id != entry.id and other.locality != entry.locality and keys & name_keys(cat, other)
    ]


def links(cat: Catalogue, entry: Entry) -> list[Link]:
    """The entry's relations as written, plus the inverses of links that point at it."""
    out = [Link(r.type, r.target, False, r.note) for r in entry.relations]
    written = {(link.type, link.target) for link in out}
    for other in cat.entries():
        for rel in other.relations:
            if rel.target == entry.id and rel.type in INVERSE:
                inverse = Link(INVERSE[rel.type], other.id, True)
                if (inverse.type, inverse.target) not in written:
                    written.add((inverse.type, inverse.target))
                    out.append(inverse)
    return out


def component_keys(entry: Entry) -> set[str]:
    return {fold(c.zh) for c in entry.components}


def related(cat: Catalogue, entry: Entry, limit: int | None = None) -> list[Related]:
    """Cross-references of an entry, each with the reasons, strongest first."""
    found: dict[str, Related] = {}

    def add(other_id: str, reason: str, score: float) -> None:
        other = cat.entry(other_id)
        if other is None or other.id == entry.id:
            return
        item = found.setdefault(other.id, Related(other, [], 0.0))
        item.reasons.append(reason)
        item.score += score

    for link in links(cat, entry):
        add(link.target, f"{link.type}" + (" (derived)" if link.derived else ""), 100)
    for other in same_name_elsewhere(cat, entry):
        add(other.id, "same name in another locality", 80)
    origin = entry.origin.locality if entry.origin else None
    components = component_keys(entry)
    themes = set(entry.themes)
    for other in cat.entries():
        if other.id == entry.id:
            continue
        shared = components & component_keys(other)
        if shared:
            add(other.id, "shared components: " + ", ".join(sorted(shared)), 30 * len(shared))
        if origin and other.origin and other.origin.locality == origin and other.locality != entry.locality:
            add(other.id, "same origin", 10)
        common = themes & set(other.themes)
        if common:
            add(other.id, "shared themes: " + ", ".join(sorted(common)), 5 * len(common) / max(len(themes), 1))
        if entry.locality and other.locality == entry.locality:
            add(other.id, "same locality", 3)
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.entry.id))
    return ranked[:limit] if limit else ranked
