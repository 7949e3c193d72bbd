"""Validation rules: small, separate, each with an id, a description and a severity.

A rule looks at one document (``check_document``), one record (``check``), or, after
everything has been seen, at the whole catalogue (``finalize``: unique ids, cycles).
Rules must tolerate malformed data: the schema rule reports the malformation, the
other rules skip what they cannot read, so that every problem is still reported once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import ClassVar

from polcat.catalogue import LEVELS, LOCALITY, MECHANISM, SOURCE, THEME, Catalogue, Record
from polcat.problems import LoadError, Problem, Severity
from polcat.yamlload import Document


class Context:
    """What rules share during one run: the catalogue and caches built once."""

    def __init__(self, catalogue: Catalogue, folded: dict[str, str | None] | None = None):
        self.catalogue = catalogue
        self._folded: dict[str, str | None] = dict(folded or {})  # folded elsewhere: polcat.parallel
        self._entry_names: dict[str, list[str]] | None = None

    def entry_names(self) -> dict[str, list[str]]:
        """Entry ids by folded name (Chinese, original, English, alias), built once when a
        reference first needs it, from the raw records: malformed ones are skipped."""
        if self._entry_names is None:
            from polcat.chinese import fold, fold_latin

            index: dict[str, list[str]] = defaultdict(list)
            for record in self.catalogue.of_kind(MECHANISM):
                name, aliases = record.get("name"), record.get("aliases")
                spellings = [name.get(k) for k in ("zh", "original")] if isinstance(name, dict) else []
                spellings += aliases if isinstance(aliases, list) else []
                keys = {fold(s) for s in spellings if isinstance(s, str)}
                english = name.get("en") if isinstance(name, dict) else None
                keys |= {fold_latin(english)} if isinstance(english, str) else set()
                for key in keys - {""}:
                    if isinstance(record.id, str):
                        index[key].append(record.id)
            self._entry_names = dict(index)
        return self._entry_names

    def folded_source_text(self, source_id: str) -> str | None:
        """The source's text in quote-comparison form, or None if it cannot be read."""
        if source_id not in self._folded:
            from polcat.chinese import fold_for_quote

            record = self.catalogue.sources.get(source_id)
            try:
                text = fold_for_quote(self.catalogue.read_source_text(record)) if record else None
            except LoadError:  # reported once, by the source-text rule
                text = None
            self._folded[source_id] = text
        return self._folded[source_id]


class Rule:
    id: ClassVar[str]
    description: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    kinds: ClassVar[tuple[str, ...]] = (MECHANISM,)
    # Cold validation checks entries in worker processes that hold the registries and
    # sources but not the other entries (polcat.parallel). A rule whose check of one
    # entry reads other entries (catalogue.mechanisms, records, documents) says so here
    # and runs in the main process instead; a worker refuses such reads loudly.
    needs_every_entry: ClassVar[bool] = False
    # Whether it compares with the sources' texts (Context.folded_source_text), which
    # workers then receive folded instead of each folding every source again.
    reads_source_texts: ClassVar[bool] = False

    def check_document(self, kind: str, doc: Document, ctx: Context) -> Iterable[Problem]:
        return ()

    def check(self, record: Record, ctx: Context) -> Iterable[Problem]:
        return ()

    def finalize(self, ctx: Context) -> Iterable[Problem]:
        return ()

    def problem(
        self, record: Record, path: tuple, message: str, hint: str | None = None, *, key: bool = False
    ) -> Problem:
        line, column = record.where(*path, key=key)
        return Problem(str(record.file), line, column, self.id, message, self.severity, hint)


def _items(record: Record, field: str) -> Iterator[tuple[int, dict]]:
    """The well-formed mappings of a list field, with their indexes."""
    value = record.get(field)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _suggest(name: str, known: Iterable[str], named: Iterable[str] = ()) -> str | None:
    """What an unknown reference probably meant: the ids of what ``name`` names (a theme,
    place or entry written by its name instead of its id), else the closest id."""
    import difflib

    ids = list(dict.fromkeys(named))
    if ids:
        listed = " or ".join(f"'{i}'" for i in ids[:3])
        return f"did you mean {listed}? ('{name}' is a name; references use ids)"
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _places_named(ctx: Context, text: str) -> list[str]:
    from polcat.places import match_locality

    try:
        return [place.id for place in match_locality(ctx.catalogue, text)]
    except Exception:  # a malformed registry (the schema rule reports it): no suggestion, not a crash
        return []


def _themes_named(ctx: Context, text: str) -> list[str]:
    from polcat.filters import resolve_themes

    try:
        return resolve_themes(ctx.catalogue, [text])
    except Exception:  # no theme of that name (QueryError), or a malformed registry
        return []


def _entries_named(ctx: Context, text: str) -> list[str]:
    from polcat.chinese import fold, fold_latin

    return list(dict.fromkeys(ctx.entry_names().get(fold(text), []) + ctx.entry_names().get(fold_latin(text), [])))


class SchemaRule(Rule):
    id = "schema"
    description = "Every file matches the JSON Schema for its kind."

    def check_document(self, kind: str, doc: Document, ctx: Context) -> Iterator[Problem]:
        if ctx.catalogue.schema_verdicts.get(doc.path_str):  # valid per the cache: file and schemas unchanged
            return
        from polcat.schema import iter_schema_errors

        errors = list(iter_schema_errors(kind, doc.data))
        ctx.catalogue.learn_schema_verdict(doc, not errors)
        for err in errors:
            line, column = doc.positions.of(err.path, key=err.at_key) or (None, None)
            yield Problem(str(doc.path), line, column, self.id, err.message, self.severity, err.hint)


class IdMatchesFileName(Rule):
    id = "id-filename"
    description = "A mechanism's or source's id equals its file name without the extension."
    kinds = (MECHANISM, SOURCE)

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        if record.id is not None and record.id != record.file.stem:
            yield self.problem(
                record,
                ("id",),
                f"id '{record.id}' does not match the file name '{record.file.name}'",
                f"rename the file to {record.id}{record.file.suffix} or change the id",
            )


class UniqueIds(Rule):
    id = "unique-id"
    description = "Ids are unique within each kind across the whole catalogue."
    kinds = ()

    def finalize(self, ctx: Context) -> Iterator[Problem]:
        seen: dict[tuple[str, str], Record] = {}
        for record in ctx.catalogue.records:
            if record.id is None:
                continue
            first = seen.setdefault((record.kind, record.id), record)
            if first is not record:
                line = first.where("id")[0]
                yield self.problem(
                    record,
                    ("id",),
                    f"duplicate {record.kind} id '{record.id}'",
                    f"first defined in {first.file}" + (f":{line}" if line else ""),
                )
        # A former id keeps resolving to its entry: it must name nothing else.
        claimed: dict[str, Record] = {}
        for record in ctx.catalogue.records:
            former = record.get("former_ids") if record.kind == MECHANISM else None
            for index, old in enumerate(former if isinstance(former, list) else ()):
                if not isinstance(old, str):
                    continue
                other = ctx.catalogue.mechanisms.get(old) or claimed.get(old)
                if other is not None and other is not record:
                    yield self.problem(
                        record, ("former_ids", index), f"former id '{old}' is also the id or a former id of {other.id}"
                    )
                claimed.setdefault(old, record)


class LocalityReference(Rule):
    id = "locality-ref"
    description = "An entry's locality and origin, and a source's locality, exist in localities.yaml."
    kinds = (MECHANISM, SOURCE)

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        origin = record.get("origin")
        places = [("locality",), ("origin", "locality")] if isinstance(origin, dict) else [("locality",)]
        for path in places:
            value = record.get(path[0])
            locality = _str(value.get(path[1]) if len(path) > 1 else value)
            if locality is not None and locality not in ctx.catalogue.localities:
                named = _places_named(ctx, locality)
                hint = _suggest(locality, ctx.catalogue.localities, named) or "add it to localities.yaml"
                yield self.problem(record, path, f"unknown locality '{locality}'", hint)


class ThemeReference(Rule):
    id = "theme-ref"
    description = "Every theme an entry lists exists in themes.yaml, and every theme's field does."
    kinds = (MECHANISM, THEME)

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        if record.kind == THEME:
            field = _str(record.get("field"))
            if field is not None and field not in ctx.catalogue.fields:
                hint = _suggest(field, ctx.catalogue.fields) or "add it to the fields of themes.yaml"
                yield self.problem(record, ("field",), f"unknown policy field '{field}'", hint)
            return
        themes = record.get("themes")
        for index, theme in enumerate(themes if isinstance(themes, list) else ()):
            if isinstance(theme, str) and theme not in ctx.catalogue.themes:
                named = _themes_named(ctx, theme)
                hint = _suggest(theme, ctx.catalogue.themes, named) or "see themes.yaml for the list"
                yield self.problem(record, ("themes", index), f"unknown theme '{theme}'", hint)


class SourceReference(Rule):
    id = "source-ref"
    description = "Every source an entry cites exists in sources/."

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        for field in ("sources", "outcomes"):
            for index, item in _items(record, field):
                source = _str(item.get("source"))
                if source is not None and source not in ctx.catalogue.sources:
                    hint = _suggest(source, ctx.catalogue.sources) or "add sources/<id>.yaml and its text"
                    yield self.problem(record, (field, index, "source"), f"unknown source '{source}'", hint)


class RelationTarget(Rule):
    id = "relation-target"
    description = "Every relation points at an existing entry other than itself."
    needs_every_entry = True

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        for index, relation in _items(record, "relations"):
            target = _str(relation.get("target"))
            if target is None:
                continue
            if target == record.id:
                yield self.problem(record, ("relations", index, "target"), "an entry cannot be related to itself")
            elif target not in ctx.catalogue.mechanisms:
                hint = _suggest(target, ctx.catalogue.mechanisms, _entries_named(ctx, target))
                yield self.problem(
                    record, ("relations", index, "target"), f"relation target '{target}' does not exist", hint
                )


class LocalityParent(Rule):
    id = "locality-parent"
    description = "A locality's parent exists, sits at a higher level, and the chain reaches the top without a cycle."
    kinds = (LOCALITY,)

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        parent_id = _str(record.get("parent"))
        if parent_id is None:
            return
        parent = ctx.catalogue.localities.get(parent_id)
        if parent is None:
            hint = _suggest(parent_id, ctx.catalogue.localities, _places_named(ctx, parent_id))
            yield self.problem(record, ("parent",), f"unknown parent locality '{parent_id}'", hint)
            return
        level, parent_level = record.get("level"), parent.get("level")
        if level in LEVELS and parent_level in LEVELS and LEVELS.index(parent_level) >= LEVELS.index(level):
            yield self.problem(
                record,
                ("parent",),
                f"parent '{parent_id}' is a {parent_level}, not above this {level}",
            )
        chain = ctx.catalogue.ancestors(record.id) if record.id else []
        last_parent = chain[-1].get("parent") if chain else None
        if isinstance(last_parent, str) and last_parent in ctx.catalogue.localities:
            yield self.problem(
                record, ("parent",), "the parent chain loops back on itself: " + " > ".join(r.id or "" for r in chain)
            )


class PartOfCycle(Rule):
    id = "part-of-cycle"
    description = "part-of / has-part links form no cycle."
    kinds = ()

    def finalize(self, ctx: Context) -> Iterator[Problem]:
        wholes: dict[str, set[str]] = defaultdict(set)  # part -> wholes
        where: dict[tuple[str, str], tuple[Record, int]] = {}
        for record in ctx.catalogue.of_kind(MECHANISM):
            for index, relation in _items(record, "relations"):
                kind, target = relation.get("type"), _str(relation.get("target"))
                if record.id is None or target is None:
                    continue
                edge = (record.id, target) if kind == "part-of" else (target, record.id) if kind == "has-part" else None
                if edge and edge[0] != edge[1]:  # a self-link is the relation-target rule's to report
                    wholes[edge[0]].add(edge[1])
                    where.setdefault(edge, (record, index))
        for cycle in _cycles(wholes):
            record, index = where[(cycle[0], cycle[1])]
            yield self.problem(
                record,
                ("relations", index),
                "part-of cycle: " + " > ".join([*cycle, cycle[0]]),
                "an entry cannot be part of itself, directly or through others",
            )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each elementary cycle found by an iterative depth-first search, reported once."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    found: list[list[str]] = []
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [], [(start, iter(sorted(graph.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                found.append(path[path.index(child) :])
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return found


class QuoteInSource(Rule):
    id = "quote-in-source"
    description = (
        "Every quote occurs in its source's stored text (whitespace and traditional/simplified differences ignored)."
    )
    reads_source_texts = True

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        from polcat.chinese import fold_for_quote

        cited = [_str(item.get("source")) for _, item in _items(record, "sources")]
        for field in ("sources", "outcomes"):
            for index, item in _items(record, field):
                quote = _str(item.get("quote"))
                if not quote:
                    continue
                source = _str(item.get("source"))
                candidates = [source] if source else [c for c in cited if c]
                folded_texts = [(c, ctx.folded_source_text(c)) for c in candidates]
                texts = [(c, t) for c, t in folded_texts if t is not None]
                if not texts:
                    continue  # no readable source: reported by source-ref or source-text
                folded = fold_for_quote(quote)
                if not any(folded in text for _, text in texts):
                    names = ", ".join(c for c, _ in texts)
                    yield self.problem(
                        record,
                        (field, index, "quote"),
                        f"quote not found in source {names}: {_shorten(quote)}",
                        _where_it_differs(folded, texts)
                        or "copy the quote character for character from the source text (punctuation included)",
                    )


def _where_it_differs(folded: str, texts: list[tuple[str, str]]) -> str | None:
    """The closest passage among the sources, the first differing character marked (see
    :mod:`polcat.quotediff`); None when the quote shares not a character with them."""
    from polcat.quotediff import divergence

    best = None
    for source, text in texts:
        found = divergence(folded, text)
        if found is not None and (best is None or found.matched > best[1].matched):
            best = (source, found)
    return best[1].describe(best[0]) if best else None


def _shorten(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class SourceText(Rule):
    id = "source-text"
    description = "Every source has its text file, inside the catalogue, readable as UTF-8."
    kinds = (SOURCE,)

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        try:
            ctx.catalogue.read_source_text(record)
        except LoadError as exc:
            field = ("text",) if "text" in record.data else ("id",)
            yield self.problem(record, field, exc.message, exc.hint)


class LevelMatchesLocality(Rule):
    id = "level-locality"
    description = "An entry run at a higher level than its locality's is probably filed under the wrong locality."
    severity = Severity.WARNING

    def check(self, record: Record, ctx: Context) -> Iterator[Problem]:
        # A county may run a scheme in every village (level below the locality: fine), but
        # a provincial scheme filed under a county hides it from searches by province.
        level, locality = record.get("level"), ctx.catalogue.localities.get(_str(record.get("locality")) or "")
        if locality is None or level not in LEVELS or locality.get("level") not in LEVELS:
            return
        if LEVELS.index(level) < LEVELS.index(locality.get("level")):
            yield self.problem(
                record,
                ("level",),
                f"level {level} is above its locality's level ({locality.get('level')})",
                f"file it under the {level} that runs it",
            )


ALL_RULES: tuple[type[Rule], ...] = (
    SchemaRule,
    IdMatchesFileName,
    UniqueIds,
    LocalityReference,
    ThemeReference,
    SourceReference,
    RelationTarget,
    LocalityParent,
    PartOfCycle,
    QuoteInSource,
    SourceText,
    LevelMatchesLocality,
)
LOADER_RULES = {
    "yaml": "The file is well-formed YAML (no tabs, no unquoted ': ' in values).",
    "yaml-tag": "No YAML tags: catalogue files hold plain data only.",
    "duplicate-key": "No key appears twice in a mapping.",
    "encoding": "Files are UTF-8 (a BOM is accepted).",
    "empty": "No file is empty.",
    "not-mapping": "Each file holds a mapping of fields at the top.",
    "too-large": "Files stay under the size limit and do not expand (alias bombs).",
    "too-deep": "Data is not nested absurdly deep.",
    "number-form": "Numbers are finite and written as YAML 1.2 reads them (45, not 0045, +45 or 4_5).",
    "control-character": "Text holds no control or bidirectional-override characters.",
    "unreadable": "Every file can be read.",
    "missing-file": "The catalogue has its registries.",
}
