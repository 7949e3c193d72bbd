"""Building new entries: ids from names, checked references, verified quotes.

``polcat new`` and ``polcat extract --write`` both make entries here, so that a new file
follows docs/curation.md from the start: the id is ``<locality>-<toneless pinyin>``, the
name carries its pinyin, every reference exists and the quote occurs in the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from polcat.catalogue import Catalogue
from polcat.model import Locality

MAX_ID = 80  # the schema's slug limit
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_NUMERALS = "一二三四五六七八九十两双百千万"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9]+%?|[A-Za-z]+|\+")


class ScaffoldError(ValueError):
    """A value that names nothing the catalogue knows, or an entry that cannot be written."""


class IdTaken(ScaffoldError):
    """The id is another entry's: the one problem a new id, not new facts, resolves."""


# --- ids ---------------------------------------------------------------------------------


def _syllables(run: str) -> list[str]:
    """Toneless pinyin of a run of Chinese characters, one syllable per character."""
    from polcat.chinese import pinyin, strip_tones

    def toneless(text: str) -> list[str]:  # via the tone marks, so that ü is written u (略 -> lue)
        return strip_tones(pinyin(text)).lower().split(" ")

    syllables = toneless(run)
    return syllables if len(syllables) == len(run) else [toneless(c)[0] for c in run]


def _word_groups(run: str) -> list[str]:
    """Where a Chinese run splits into words for reading: at each number (五必查|五抽查,
    两学|一做), then in pairs (农村|家庭|党校; an odd last word keeps three: 四联|工作法)."""
    if len(run) <= 3:
        return [run]
    groups = re.findall(f"[{_NUMERALS}]+[^{_NUMERALS}]*|[^{_NUMERALS}]+", run)
    words = []
    for group in groups:
        while len(group) > 3:
            words.append(group[:2])
            group = group[2:]
        words.append(group)
    return words


def slug_words(name: str) -> list[str]:
    """The words of a name's slug: 农村家庭党校+ -> [nongcun, jiating, dangxiao, plus],
    1+X -> [1plusx], 两个80% -> [liangge, 80percent], 决战决胜60天 -> [juezhan, juesheng, 60tian]."""
    from polcat.chinese import simplify_chars

    words: list[str] = []
    glue = False  # the next token continues the last word: 1+X -> 1plusx
    ascii_last = False
    for token in _TOKEN.findall(simplify_chars(unicodedata.normalize("NFKC", name))):
        if token == "+":
            if ascii_last:
                words[-1] += "plus"
            else:
                words.append("plus")
            glue, ascii_last = ascii_last, False
        elif re.match(f"[{_CJK}]", token):
            groups = ["".join(_syllables(g)) for g in _word_groups(token)]
            if len(token) == 1 and ascii_last:
                words[-1] += groups[0]  # a unit after a number: 60天 -> 60tian
            else:
                words += groups
            glue = ascii_last = False
        else:
            token = token.lower().replace("%", "percent")
            if glue:
                words[-1] += token
            else:
                words.append(token)
            glue, ascii_last = False, True
    return [w for w in (re.sub("[^a-z0-9]", "", w) for w in words) if w]


def derive_id(locality: str | None, name: str) -> str:
    """``<locality>-<name in toneless pinyin>`` (docs/curation.md), at most 80 characters."""
    words = slug_words(name)
    if not words:
        raise ScaffoldError(f"cannot make an id from the name '{name}'; give one with --id")
    prefix = f"{locality}-" if locality else ""
    ident = prefix + "-".join(words)
    if len(ident) > MAX_ID:  # run the words together, as curators do for long names
        ident = (prefix + "".join(words))[:MAX_ID].rstrip("-")
    return ident


# --- references ----------------------------------------------------------------------------


def resolve_locality(cat: Catalogue, text: str) -> Locality:
    """The one locality ``text`` names (id, Chinese name, pinyin, English, code)."""
    from polcat.places import QueryError, match_locality, resolve_localities

    try:
        resolve_localities(cat, [text])
    except QueryError:
        raise ScaffoldError(no_place(cat, text)) from None
    matches = match_locality(cat, text)
    if not matches:
        raise ScaffoldError(f"no locality matches '{text}' in the registry")
    if len(matches) > 1:
        raise ScaffoldError(
            f"'{text}' names {len(matches)} localities ({', '.join(r.id for r in matches)}); give the id"
        )
    return matches[0]


def check_place(cat: Catalogue, text: str) -> None:
    """``text`` names a place a new entry can be filed under: one locality of the registry,
    or one place of the GB/T 2260 gazetteer (added to the registry when the entry is
    written). ScaffoldError with the reason and a did-you-mean otherwise."""
    from polcat.newplace import PlaceError, find_division
    from polcat.places import match_locality

    matches = match_locality(cat, text)
    if len(matches) == 1:
        return
    if not matches:
        try:
            find_division(text)
            return
        except PlaceError as exc:
            if "names" in str(exc):  # several places of the gazetteer: its list is the answer
                raise ScaffoldError(str(exc)) from None
            raise ScaffoldError(no_place(cat, text)) from None
    resolve_locality(cat, text)  # raises, saying why


def no_place(cat: Catalogue, text: str) -> str:
    """Why ``text`` names no place, with a did-you-mean: any place of China is accepted
    (from the gazetteer), so the suggestions come from all of them and the registry."""
    import difflib

    from polcat import gazetteer
    from polcat.chinese import pinyin
    from polcat.places import locality_names, strip_suffix

    gaz = gazetteer.load()
    registry = {form for name in locality_names(cat) for form in (name, strip_suffix(name))}
    options = registry | {name for name in gaz.names() if any(d.current for d in gaz.lookup(name))}
    close = difflib.get_close_matches(text, list(options), n=30, cutoff=0.5)
    # A mistyped place is most often a homophone (吴宝县 for 吴堡县): ranked by sound and
    # shape, the catalogue's own places first among equals (where curators mostly work).
    sound = pinyin(text, tones=False)

    def likeness(name: str) -> float:
        heard = difflib.SequenceMatcher(None, sound, pinyin(name, tones=False)).ratio()
        return heard + difflib.SequenceMatcher(None, text, name).ratio() + (0.5 if name in registry else 0)

    best = sorted(close, key=lambda name: (-likeness(name), name))[:3]
    hint = f" (did you mean {', '.join(best)}?)" if best else ""
    return f"no place named '{text}' in the registry or the GB/T 2260 gazetteer{hint}"


def check_known(cat: Catalogue, themes: list[str], sources: list[str]) -> None:
    """Every theme and source exists (a did-you-mean otherwise)."""
    from polcat.filters import Filters
    from polcat.filters import check_known as check_filters
    from polcat.places import QueryError

    try:
        check_filters(cat, Filters(themes=themes, sources=sources))
    except QueryError as exc:
        raise ScaffoldError(str(exc)) from None


def check_id(cat: Catalogue, ident: str) -> None:
    """A curator's id is a slug the schema accepts that no entry has yet."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", ident) or len(ident) > MAX_ID:
        raise ScaffoldError(f"'{ident}' is not an id: lowercase letters, digits and single hyphens, at most {MAX_ID}")
    other = cat.mechanisms.get(ident)
    if other is not None:
        raise IdTaken(f"the id {ident} is taken by {other.file}")


def source_text(cat: Catalogue, source_id: str) -> str:
    from polcat.problems import LoadError

    try:
        return cat.read_source_text(cat.sources[source_id])
    except LoadError as exc:
        raise ScaffoldError(f"cannot read the text of source {source_id}: {exc.message}") from None


def quote_in_source(cat: Catalogue, source_id: str, quote: str) -> bool:
    """Whether ``quote`` occurs in the source's text as the quote-in-source rule compares."""
    from polcat.chinese import fold_for_quote

    return fold_for_quote(quote) in fold_for_quote(source_text(cat, source_id))


def find_quote(cat: Catalogue, source_id: str, name: str) -> str | None:
    """The sentence of the source that first names ``name`` (either script), to quote."""
    from polcat.chinese import simplify_chars
    from polcat.extract import sentence_at

    text = source_text(cat, source_id)
    at = simplify_chars(text).find(simplify_chars(name))
    return sentence_at(text, at, at + len(name)).rstrip("。；;") if at != -1 else None


# --- entries --------------------------------------------------------------------------------


@dataclass
class NewEntry:
    """What a curator states about a new entry (polcat new's flags)."""

    name: str
    locality: str
    source: str
    quote: str | None = None
    themes: list[str] = field(default_factory=list)
    kind: str | None = None
    en: str | None = None
    status: str = "draft"
    summary_zh: str | None = None
    summary_en: str | None = None
    year: int | None = None
    ident: str | None = None


def build_entry(cat: Catalogue, spec: NewEntry) -> dict:
    """A checked entry: references exist, the quote occurs in the source, the id is free,
    and (for status reviewed) the schema's extra requirements are met."""
    from polcat.chinese import pinyin, to_simplified
    from polcat.filters import resolve_themes

    locality = resolve_locality(cat, spec.locality)
    check_known(cat, spec.themes, [spec.source])
    themes = resolve_themes(cat, spec.themes)  # a theme given by its name is written as its id
    quote = spec.quote or find_quote(cat, spec.source, spec.name)
    if not quote:
        raise ScaffoldError(f"source {spec.source} does not contain '{spec.name}'; give the passage with --quote")
    if not quote_in_source(cat, spec.source, quote):
        raise ScaffoldError(
            f"the quote does not occur in source {spec.source}; copy it character for character (punctuation included)"
        )
    zh = to_simplified(spec.name)
    entry = {
        "id": spec.ident or derive_id(locality.id, zh),
        "status": spec.status,
        "name": _drop_none({"zh": zh, "original": spec.name, "pinyin": pinyin(zh), "en": spec.en}),
        "kind": spec.kind,
        "summary": {"zh": spec.summary_zh, "en": spec.summary_en} if spec.summary_zh or spec.summary_en else None,
        "locality": locality.id,
        "level": locality.level,
        "year": spec.year,
        "themes": themes or None,
        "sources": [{"source": spec.source, "quote": quote}],
    }
    entry = _drop_none(entry)
    check_schema(entry)
    return entry


def check_id_free(cat: Catalogue, entry: dict, path: Path) -> None:
    """The id belongs to no other file of the catalogue (the file at ``path`` itself is
    the overwrite case, which atomic_write guards)."""
    other = cat.mechanisms.get(entry["id"])
    if other is not None and other.file.resolve() != path.resolve():
        raise IdTaken(f"the id {entry['id']} is taken by {other.file}; choose another with --id")


def draft_entry(
    label: str, locality: str | None, source: str, quote: str, *, kind: str | None = None, notes: str | None = None
) -> dict:
    """A draft for a label found in a report (``polcat extract --write``): name, locality
    guess, source and quote; everything a curator must judge is left out."""
    from polcat.chinese import pinyin, to_simplified

    zh = to_simplified(label).strip()
    return _drop_none(
        {
            "id": derive_id(locality, zh),
            "status": "draft",
            "name": {"zh": zh, "original": label.strip(), "pinyin": pinyin(zh)},
            "kind": kind,
            "locality": locality,
            "sources": [{"source": source, "quote": quote}],
            "notes": notes,
        }
    )


def _drop_none(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


def check_schema(entry: dict) -> None:
    from polcat.schema import iter_schema_errors

    errors = [e.message + (f" ({e.hint})" if e.hint else "") for e in iter_schema_errors("mechanism", entry)]
    if errors:
        raise ScaffoldError("the entry would not be valid: " + "; ".join(errors))


def entry_path(cat: Catalogue, entry: dict) -> Path:
    """Where an entry belongs: mechanisms/<locality>/<id>.yaml."""
    return cat.root / "mechanisms" / (entry.get("locality") or "unplaced") / f"{entry['id']}.yaml"


def write_entry(path: Path, entry: dict, *, force: bool = False) -> None:
    """Write the entry in canonical form, atomically; never over an existing file unless forced."""
    from polcat.fmt import dump_entry
    from polcat.textio import atomic_write

    atomic_write(path, dump_entry(entry), force=force)


def write_drafts(
    cat: Catalogue, candidates: list, folder: Path, source: str, report: str
) -> tuple[list[Path], list[tuple[str, str]]]:
    """One draft per candidate under ``folder/<locality>/<id>.yaml``, citing ``source``
    with the passage of its text that names the candidate. Never overwrites a file.

    Returns the files written and (label, why) for each candidate skipped.
    """
    written: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for candidate in candidates:
        quote = find_quote(cat, source, candidate.label)
        if quote is None:
            skipped.append((candidate.label, f"not in the stored text of source {source}, so nothing to quote"))
            continue
        notes = f"Draft written by polcat extract from {report} ({candidate.reason}). The locality is a guess from the places the report names."
        if candidate.components:
            notes += " Parts the report enumerates: " + "; ".join(candidate.components) + "."
        entry = draft_entry(candidate.label, candidate.locality, source, quote, kind=candidate.kind, notes=notes)
        path = folder / (candidate.locality or "unplaced") / f"{entry['id']}.yaml"
        try:
            check_id_free(cat, entry, path)
            check_schema(entry)
            write_entry(path, entry)
        except ScaffoldError as exc:
            skipped.append((candidate.label, str(exc)))
        except FileExistsError:
            skipped.append((candidate.label, f"{path} exists (left as it is)"))
        except OSError as exc:
            skipped.append((candidate.label, f"cannot write {path}: {exc.strerror or exc}"))
        else:
            written.append(path)
    return written, skipped
