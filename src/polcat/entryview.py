"""One view of an entry for every renderer: `polcat show` (terminal), the Markdown report
and the site's entry page all draw the same facts, prepared here once."""

from __future__ import annotations

from dataclasses import dataclass

from polcat.catalogue import Catalogue
from polcat.model import Component, Entry, Outcome
from polcat.places import locality_chain, locality_name
from polcat.relations import links, same_name_elsewhere


@dataclass(frozen=True)
class CitationView:
    source: str
    label: str  # "[id] title, publisher, date", as far as the catalogue knows it
    url: str | None
    quote: str


@dataclass(frozen=True)
class LinkView:
    type: str
    target: str
    name: str | None  # the target's name, or None when it is not in the catalogue
    place: str | None  # the target's locality name
    derived: bool
    note: str | None


@dataclass(frozen=True)
class PlaceRef:
    id: str
    label: str  # name for an entry, chain for a place


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    title: str  # the Chinese name, with the name as written when it differs
    subtitle: str  # pinyin · English
    locality: str  # the chain 贵州省 > 遵义市 > 赤水市
    origin: str | None  # "stated: 赤水市", "inferred: 贵州省 (note)", "unknown"
    themes: list[PlaceRef]  # (theme id, its Chinese name)
    components: tuple[Component, ...]
    outcomes: tuple[Outcome, ...]
    citations: list[CitationView]
    links: list[LinkView]
    same_name: list[PlaceRef]  # (entry id, "name (place chain)")

    @property
    def id(self) -> str:
        return self.entry.id


def source_label(cat: Catalogue, source_id: str) -> str:
    source = cat.source(source_id)
    if source is None:
        return f"[{source_id}]"
    return f"[{source_id}] " + ", ".join(source.citation_parts())


def origin_text(cat: Catalogue, entry: Entry) -> str | None:
    origin = entry.origin
    if origin is None:
        return None
    text = origin.basis + (f": {locality_chain(cat, origin.locality)}" if origin.locality else "")
    return text + (f" ({origin.note})" if origin.note else "")


def entry_view(cat: Catalogue, entry: Entry) -> EntryView:
    name = entry.name
    title = entry.label + (f" ({name.original})" if name.original and name.original != entry.label else "")
    link_views = []
    for link in links(cat, entry):
        target = cat.entry(link.target)
        target_name, place = (target.label, locality_name(cat, target.locality)) if target else (None, None)
        link_views.append(LinkView(link.type, link.target, target_name, place, link.derived, link.note))
    citations = []
    for cite in entry.sources:
        source = cat.source(cite.source)
        citations.append(
            CitationView(cite.source, source_label(cat, cite.source), source.url if source else None, cite.quote)
        )
    return EntryView(
        entry=entry,
        title=title,
        subtitle=" · ".join(x for x in (name.pinyin, name.en) if x),
        locality=locality_chain(cat, entry.locality),
        origin=origin_text(cat, entry),
        themes=[PlaceRef(t, theme.name.zh if (theme := cat.theme(t)) else t) for t in entry.themes],
        components=entry.components,
        outcomes=entry.outcomes,
        citations=citations,
        links=link_views,
        same_name=[
            PlaceRef(o.id, f"{o.label} ({locality_chain(cat, o.locality)})") for o in same_name_elsewhere(cat, entry)
        ],
    )
