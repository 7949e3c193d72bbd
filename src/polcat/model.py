"""The typed read model: entries, localities, themes, fields and sources as dataclasses.

Commands other than ``validate`` read the catalogue through these types. Each is built
from a record that passed its schema (:meth:`polcat.catalogue.Catalogue.leave_out_invalid`
removes the rest), so the constructors read fields directly, without guards: the schema
already promised their types. They are built as they are first asked for
(:meth:`Catalogue.entry`, :meth:`Catalogue.entries`), not all at once, the way pySigma's
``SigmaRule.from_dict`` builds a rule. ``record`` keeps the file and positions, and
``data`` the entry exactly as stored (what JSON and YAML outputs print).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from polcat.catalogue import Record

Value = int | float | str


@dataclass(frozen=True, slots=True)
class Name:
    """A name in its spellings; any may be missing on a draft."""

    zh: str | None = None
    original: str | None = None
    pinyin: str | None = None
    en: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Name:
        data = data or {}
        return cls(data.get("zh"), data.get("original"), data.get("pinyin"), data.get("en"))

    def spellings(self) -> list[str]:
        """The Chinese spellings (simplified and as written), without repeats."""
        return list(dict.fromkeys(s for s in (self.zh, self.original) if s))


@dataclass(frozen=True, slots=True)
class Bilingual:
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Component:
    zh: str
    en: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    indicator: str
    value: Value
    quote: str
    unit: str | None = None
    year: int | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    quote: str


@dataclass(frozen=True, slots=True)
class Relation:
    type: str
    target: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Who devised the mechanism: ``basis`` is stated, inferred or unknown."""

    basis: str
    locality: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One named mechanism."""

    id: str
    status: str
    name: Name
    aliases: tuple[str, ...]
    kind: str | None
    summary: Bilingual | None
    components: tuple[Component, ...]
    locality: str | None
    origin: Origin | None
    level: str | None
    year: int | None
    themes: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    sources: tuple[Citation, ...]
    relations: tuple[Relation, ...]
    notes: str | None
    former_ids: tuple[str, ...]
    record: Record

    @property
    def data(self) -> dict[str, Any]:
        """The entry as stored in its file."""
        return self.record.data

    @property
    def label(self) -> str:
        """The Chinese name, or the id of a draft that has none."""
        return self.name.zh or self.name.original or self.id

    def cited_sources(self) -> list[str]:
        return list(dict.fromkeys(c.source for c in self.sources))

    @classmethod
    def from_record(cls, record: Record) -> Entry:
        d = record.data
        summary = d.get("summary")
        origin = d.get("origin")
        return cls(
            id=d["id"],
            status=d["status"],
            name=Name.of(d.get("name")),
            aliases=tuple(d.get("aliases") or ()),
            kind=d.get("kind"),
            summary=Bilingual(summary["zh"], summary["en"]) if summary else None,
            components=tuple(Component(c["zh"], c["en"], c.get("detail")) for c in d.get("components") or ()),
            locality=d.get("locality"),
            origin=Origin(origin["basis"], origin.get("locality"), origin.get("note")) if origin else None,
            level=d.get("level"),
            year=d.get("year"),
            themes=tuple(d.get("themes") or ()),
            outcomes=tuple(
                Outcome(o["indicator"], o["value"], o["quote"], o.get("unit"), o.get("year"), o.get("source"))
                for o in d.get("outcomes") or ()
            ),
            sources=tuple(Citation(s["source"], s["quote"]) for s in d["sources"]),
            relations=tuple(Relation(r["type"], r["target"], r.get("note")) for r in d.get("relations") or ()),
            notes=d.get("notes"),
            former_ids=tuple(d.get("former_ids") or ()),
            record=record,
        )


@dataclass(frozen=True, slots=True)
class FormerName:
    """A name (and code) a place had before a renaming."""

    zh: str
    adcode: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Locality:
    id: str
    name: Name
    level: str
    adcode: str | None
    parent: str | None
    former_names: tuple[FormerName, ...]
    notes: str | None
    record: Record

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data

    @property
    def label(self) -> str:
        return self.name.zh or self.id

    @classmethod
    def from_record(cls, record: Record) -> Locality:
        d = record.data
        return cls(
            id=d["id"],
            name=Name.of(d.get("name")),
            level=d["level"],
            adcode=d.get("adcode"),
            parent=d.get("parent"),
            former_names=tuple(
                FormerName(f["zh"], f.get("adcode"), f.get("until")) for f in d.get("former_names") or ()
            ),
            notes=d.get("notes"),
            record=record,
        )


@dataclass(frozen=True, slots=True, eq=False)
class Theme:
    id: str
    name: Bilingual
    field: str
    description: str
    record: Record

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data

    @classmethod
    def from_record(cls, record: Record) -> Theme:
        d = record.data
        return cls(d["id"], Bilingual(d["name"]["zh"], d["name"]["en"]), d["field"], d["description"], record)


@dataclass(frozen=True, slots=True)
class Field:
    """A policy field (poverty alleviation, environment …); each theme belongs to one."""

    id: str
    name: Bilingual
    description: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> Field:
        return cls(data["id"], Bilingual(data["name"]["zh"], data["name"]["en"]), data["description"])


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A label of a source that was deliberately not catalogued, and why."""

    label: str
    reason: str
    note: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Source:
    id: str
    title: str
    script: str
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    retrieved: str | None
    locality: str | None
    cleaning: tuple[str, ...]
    excluded: tuple[Exclusion, ...]
    notes: str | None
    record: Record

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data

    def citation_parts(self) -> list[str]:
        """Title, publisher and date, as far as known."""
        return [x for x in (self.title, self.publisher, self.date) if x]

    @classmethod
    def from_record(cls, record: Record) -> Source:
        d = record.data
        return cls(
            id=d["id"],
            title=d["title"],
            script=d["script"],
            publisher=d.get("publisher"),
            author=d.get("author"),
            date=d.get("date"),
            url=d.get("url"),
            retrieved=d.get("retrieved"),
            locality=d.get("locality"),
            cleaning=tuple(d.get("cleaning") or ()),
            excluded=tuple(Exclusion(x["label"], x["reason"], x.get("note")) for x in d.get("excluded") or ()),
            notes=d.get("notes"),
            record=record,
        )


@dataclass(frozen=True, slots=True)
class CatalogueInfo:
    """catalogue.yaml: what a catalogue is, its date-based release and its licence."""

    title: str
    version: str
    licence: str
    source_terms: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> CatalogueInfo | None:
        try:
            return cls(
                data["title"],
                data["version"],
                data["licence"],
                data.get("source_terms"),
                tuple(data.get("authors") or ()),
                data.get("url"),
            )
        except (KeyError, TypeError):
            return None
