"""Asking the catalogue questions: filter, resolve a name, search, cross-reference, count.

Every function takes a loaded :class:`~polcat.catalogue.Catalogue` and returns plain
data (records, dataclasses), so scripts and notebooks use the same answers as the CLI::

    from polcat.catalogue import load_catalogue
    from polcat import query

    cat = load_catalogue()
    query.filter_entries(cat, query.Filters(localities=["贵州"], themes=["cadre-accountability"]))
    query.search(cat, "三變")
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from polcat.catalogue import KINDS, LEVELS, MECHANISM, STATUSES, Catalogue, Record

INVERSE = {
    "part-of": "has-part",
    "has-part": "part-of",
    "implements": "implemented-by",
    "variant-of": "has-variant",
    "similar-to": "similar-to",
    "same-name-as": "same-name-as",
}
SORT_KEYS = ("id", "name", "year", "locality", "kind", "status")


class QueryError(ValueError):
    """A filter value that matches nothing the catalogue knows (a usage error)."""


# --- text normalisation -------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[\s'’·\-_.,;:!?()\[\]{}\"“”‘’]+")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村")
# The 55 recognised minority nationalities, for names such as 黔东南苗族侗族自治州 -> 黔东南.
_NATIONALITIES = (
    "维吾尔 柯尔克孜 乌孜别克 哈萨克 达斡尔 鄂温克 鄂伦春 塔吉克 塔塔尔 俄罗斯 土家 蒙古 布依 朝鲜 哈尼 傈僳 东乡 "
    "仡佬 拉祜 纳西 仫佬 锡伯 景颇 撒拉 布朗 毛南 普米 阿昌 基诺 德昂 保安 裕固 门巴 独龙 赫哲 高山 珞巴 "
    "壮 回 满 苗 彝 藏 侗 瑶 白 黎 傣 畲 佤 水 羌 土 怒 京"
).split()
_ETHNIC = re.compile(r"^(.+?)(?:(?:" + "|".join(_NATIONALITIES) + r")族)+(?:自治州|自治县|自治区|自治旗)$")
_EN_TYPES = re.compile(
    r"\s+(province|city|county|district|town|township|village|autonomous prefecture|prefecture)$", re.I
)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# Invisible characters people paste along with a name (zero-width spaces and joiners,
# soft hyphens, byte-order marks, direction marks): they never change what is meant.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")


def normalise(text: str) -> str:
    """Full-width forms to plain ones (NFKC: １２３３ -> 1233, Ｘ -> X), invisibles dropped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Compare Chinese across scripts, widths and spacing: simplified, no whitespace, lowercase."""
    from polcat.chinese import fold_for_quote

    return fold_for_quote(normalise(text)).lower()


def fold_latin(text: str) -> str:
    """Compare pinyin or English across tones, case, widths, spaces and apostrophes (Jí'ān = jian)."""
    from polcat.chinese import strip_tones

    return _NOT_WORD.sub("", strip_tones(normalise(text)).lower())


def _str(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


# --- localities -----------------------------------------------------------------------


def locality_keys(record: Record) -> set[str]:
    """Every spelling a user may type for a locality, folded."""
    name = _dict(record.get("name"))
    keys = {record.id or ""}
    zh = _str(name.get("zh"))
    if zh:  # a traditional spelling folds to these too (fold converts to simplified)
        keys |= {fold(zh), fold(_strip_suffix(zh))}
    for former in _list(record.get("former_names")):
        if isinstance(former, dict) and _str(former.get("zh")):
            keys |= {fold(former["zh"]), fold(_strip_suffix(former["zh"]))}
    en = _str(name.get("en"))
    if en:
        keys |= {fold_latin(en), fold_latin(_EN_TYPES.sub("", en)), fold_latin(en.split()[0])}
    pinyin = _str(name.get("pinyin"))
    if pinyin:
        keys.add(fold_latin(pinyin))
        words = pinyin.split()
        if len(words) > 1:  # Chìshuǐ Shì -> chishui; Qiándōngnán Miáozú … Zìzhìzhōu -> qiandongnan
            keys |= {fold_latin(" ".join(words[:-1])), fold_latin(words[0])}
    if _str(record.get("adcode")):
        keys.add(record.get("adcode"))
    return {k for k in keys if k}


def _strip_suffix(zh: str) -> str:
    match = _ETHNIC.match(zh)
    if match:
        return match.group(1)
    for suffix in _SUFFIXES:
        if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
            return zh[: -len(suffix)]
    return zh


def match_locality(cat: Catalogue, text: str) -> list[Record]:
    """Localities a user's text names: id, Chinese name with or without 省/市/县, either
    script, English or pinyin name, or GB/T 2260 code."""
    if text.strip() in cat.localities:  # an exact id means that place, not its namesakes
        return [cat.localities[text.strip()]]
    wanted = {text.strip().lower(), fold(text), fold_latin(text)} - {""}
    return [r for r in cat.localities.values() if wanted & locality_keys(r)]


def descendants(cat: Catalogue, locality_ids: Iterable[str]) -> set[str]:
    """The localities and everything below them."""
    children: dict[str, list[str]] = defaultdict(list)
    for record in cat.localities.values():
        parent = _str(record.get("parent"))
        if parent:
            children[parent].append(record.id)
    found, todo = set(), list(locality_ids)
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def resolve_localities(cat: Catalogue, texts: Iterable[str]) -> set[str]:
    ids: set[str] = set()
    for text in texts:
        matches = match_locality(cat, text)
        if not matches:
            raise QueryError(f"no locality matches '{text}'" + _did_you_mean(text, _locality_names(cat)))
        ids |= descendants(cat, [r.id for r in matches])
    return ids


def _locality_names(cat: Catalogue) -> list[str]:
    names = []
    for record in cat.localities.values():
        names.append(record.id)
        zh = _str(_dict(record.get("name")).get("zh"))
        if zh:
            names.append(zh)
    return names


def _did_you_mean(text: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(options), n=3, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""


# --- filtering ------------------------------------------------------------------------


@dataclass
class Filters:
    """What `polcat list` and friends filter on. Empty means no constraint."""

    localities: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    any_theme: bool = False
    levels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    year: int | None = None
    since: int | None = None
    until: int | None = None


def entries(cat: Catalogue) -> list[Record]:
    return [r for r in cat.mechanisms.values() if r.kind == MECHANISM]


def filter_entries(cat: Catalogue, filters: Filters, sort: str = "id") -> list[Record]:
    """The entries that satisfy every filter, sorted."""
    _check_known(cat, filters)
    places = resolve_localities(cat, filters.localities) if filters.localities else None
    wanted_themes = set(filters.themes)
    out = []
    for record in entries(cat):
        if places is not None and record.get("locality") not in places:
            continue
        if wanted_themes:
            themes = set(_list(record.get("themes")))
            if not (themes & wanted_themes if filters.any_theme else wanted_themes <= themes):
                continue
        if filters.levels and record.get("level") not in filters.levels:
            continue
        if filters.kinds and record.get("kind") not in filters.kinds:
            continue
        if filters.statuses and record.get("status") not in filters.statuses:
            continue
        if filters.sources and not set(cited_sources(record)) & set(filters.sources):
            continue
        if not _year_ok(record.get("year"), filters):
            continue
        out.append(record)
    return sort_entries(cat, out, sort)


def _year_ok(year, filters: Filters) -> bool:
    if filters.year is None and filters.since is None and filters.until is None:
        return True
    if not isinstance(year, int):
        return False
    if filters.year is not None and year != filters.year:
        return False
    if filters.since is not None and year < filters.since:
        return False
    return filters.until is None or year <= filters.until


def _check_known(cat: Catalogue, filters: Filters) -> None:
    """Refuse a filter value that can match nothing (a typo), and accept any letter case
    for the enumerated ones (``County``, ``Draft``)."""
    for name, allowed in (("levels", LEVELS), ("kinds", KINDS), ("statuses", STATUSES)):
        values = [v.lower() for v in getattr(filters, name)]
        for value in values:
            if value not in allowed:
                noun = {"levels": "level", "kinds": "kind", "statuses": "status"}[name]
                raise QueryError(f"unknown {noun} '{value}' (choose from {', '.join(allowed)})" + _did_you_mean(value, allowed))
        setattr(filters, name, values)
    for theme in filters.themes:
        if theme not in cat.themes:
            raise QueryError(f"unknown theme '{theme}'" + _did_you_mean(theme, cat.themes))
    for source in filters.sources:
        if source not in cat.sources:
            raise QueryError(f"unknown source '{source}'" + _did_you_mean(source, cat.sources))


def cited_sources(record: Record) -> list[str]:
    return [s["source"] for s in _list(record.get("sources")) if isinstance(s, dict) and _str(s.get("source"))]


def sort_entries(cat: Catalogue, records: list[Record], key: str = "id") -> list[Record]:
    key = key.lower()
    if key not in SORT_KEYS:
        raise QueryError(f"cannot sort by '{key}' (choose from {', '.join(SORT_KEYS)})")

    keys = {
        "id": lambda r: r.id,
        "name": lambda r: fold_latin(_str(_dict(r.get("name")).get("pinyin")) or "") or r.id,
        "year": lambda r: r.get("year") if isinstance(r.get("year"), int) else 9999,
        "locality": lambda r: " > ".join(reversed([a.id for a in cat.ancestors(r.get("locality") or "")])),
        "kind": lambda r: r.get("kind") or "",
        "status": lambda r: r.get("status") or "",
    }
    value = keys[key]
    return sorted(records, key=lambda r: (value(r), r.id))


# --- names ----------------------------------------------------------------------------


def _derived(record: Record) -> tuple[str, tuple[str, ...], str]:
    """(folded text of every searchable field, name keys, toneless pinyin of the name):
    computed once, then kept in the cache with the entry."""
    doc = record.document
    if doc.derived is None:
        haystack = fold("\x00".join(value for _, _, value in _fields(record)))
        name = _dict(record.get("name"))
        stored = _str(name.get("pinyin"))
        # The curated pinyin is used as it is; pypinyin (slow to load) only fills in for
        # entries that have none.
        syllables = fold_latin(stored) if stored else _syllables(_str(name.get("zh")) or "")
        doc.derived = (haystack, tuple(sorted(_name_keys(record))), syllables)
        doc.learnt = True
    return doc.derived


def name_keys(record: Record) -> set[str]:
    """Folded spellings of an entry's name: zh, original, aliases, pinyin."""
    return set(_derived(record)[1])


def _name_keys(record: Record) -> set[str]:
    name = _dict(record.get("name"))
    keys = set()
    for value in (name.get("zh"), name.get("original"), *_list(record.get("aliases"))):
        if _str(value):
            keys.add(fold(value))
    if _str(name.get("pinyin")):
        keys.add(fold_latin(name["pinyin"]))
    return keys


def resolve(cat: Catalogue, text: str) -> list[Record]:
    """Entries that ``text`` names: an id, a name in either script, pinyin or an alias."""
    if text in cat.mechanisms:
        return [cat.mechanisms[text]]
    wanted = {fold(text), fold_latin(text)} - {""}
    return [r for r in entries(cat) if wanted & name_keys(r)]


def suggest(cat: Catalogue, text: str, n: int = 5) -> list[Record]:
    """Entries whose id or name is close to ``text`` (for "did you mean")."""
    import difflib

    by_key: dict[str, Record] = {}
    for record in entries(cat):
        by_key[record.id] = record
        for key in name_keys(record):
            by_key.setdefault(key, record)
    probe = fold(text) if has_cjk(text) else fold_latin(text)
    close = difflib.get_close_matches(probe, list(by_key), n=n * 2, cutoff=0.5)
    hits = [h.record for h in search(cat, text)[:n]]
    seen, out = set(), []
    for record in hits + [by_key[k] for k in close]:
        if record.id not in seen:
            seen.add(record.id)
            out.append(record)
    return out[:n]


def same_name_elsewhere(cat: Catalogue, record: Record) -> list[Record]:
    """Entries in other localities sharing a name (in any script or alias) with ``record``."""
    keys = {k for k in name_keys(record) if has_cjk(k) or any(c.isdigit() for c in k)}
    return [
        other
        for other in entries(cat)
        if other.id != record.id and other.get("locality") != record.get("locality") and keys & name_keys(other)
    ]


# --- relations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    type: str
    target: str
    derived: bool  # True when polcat inferred it from the other entry's link
    note: str | None = None


def links(cat: Catalogue, record: Record) -> list[Link]:
    """The entry's relations as written, plus the inverses of links that point at it."""
    out = []
    for rel in _list(record.get("relations")):
        if isinstance(rel, dict) and _str(rel.get("type")) and _str(rel.get("target")):
            out.append(Link(rel["type"], rel["target"], False, _str(rel.get("note"))))
    written = {(link.type, link.target) for link in out}
    for other in entries(cat):
        for rel in _list(other.get("relations")):
            if isinstance(rel, dict) and rel.get("target") == record.id and rel.get("type") in INVERSE:
                inverse = Link(INVERSE[rel["type"]], other.id, True)
                if (inverse.type, inverse.target) not in written:
                    written.add((inverse.type, inverse.target))
                    out.append(inverse)
    return out


@dataclass
class Related:
    record: Record
    reasons: list[str]
    score: float


def related(cat: Catalogue, record: Record, limit: int | None = None) -> list[Related]:
    """Cross-references of an entry, each with the reasons, strongest first."""
    found: dict[str, Related] = {}

    def add(other_id: str, reason: str, score: float) -> None:
        other = cat.mechanisms.get(other_id)
        if other is None or other.id == record.id:
            return
        item = found.setdefault(other_id, Related(other, [], 0.0))
        item.reasons.append(reason)
        item.score += score

    for link in links(cat, record):
        add(link.target, f"{link.type}" + (" (derived)" if link.derived else ""), 100)
    for other in same_name_elsewhere(cat, record):
        add(other.id, "same name in another locality", 80)
    components = _component_keys(record)
    themes = set(_list(record.get("themes")))
    for other in entries(cat):
        if other.id == record.id:
            continue
        shared = components & _component_keys(other)
        if shared:
            add(other.id, "shared components: " + ", ".join(sorted(shared)), 30 * len(shared))
        common = themes & set(_list(other.get("themes")))
        if common:
            add(other.id, "shared themes: " + ", ".join(sorted(common)), 5 * len(common) / max(len(themes), 1))
        if record.get("locality") and other.get("locality") == record.get("locality"):
            add(other.id, "same locality", 3)
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.record.id))
    return ranked[:limit] if limit else ranked


def _component_keys(record: Record) -> set[str]:
    return {fold(c["zh"]) for c in _list(record.get("components")) if isinstance(c, dict) and _str(c.get("zh"))}


# --- search ---------------------------------------------------------------------------


@dataclass
class Hit:
    record: Record
    score: float
    reasons: list[str]


# Weights: a name match outranks an alias, then components, summary, quotes.
_WEIGHTS = {"name": 100, "alias": 80, "pinyin": 90, "component": 40, "english": 30, "summary": 20, "quote": 10}


@lru_cache(maxsize=8192)
def _syllables(text: str) -> str:
    """Toneless pinyin of Chinese text, syllables run together (pypinyin, loaded on demand)."""
    from polcat.chinese import pinyin

    return fold_latin(pinyin(text, tones=False))


def _fields(record: Record) -> list[tuple[str, str, str]]:
    """(field kind, label, text) for everything searchable in an entry."""
    name = _dict(record.get("name"))
    summary = _dict(record.get("summary"))
    out = []
    for key in ("zh", "original"):
        if _str(name.get(key)):
            out.append(("name", "name", name[key]))
    out += [("alias", f"alias {a}", a) for a in _list(record.get("aliases")) if _str(a)]
    for comp in _list(record.get("components")):
        if isinstance(comp, dict):
            for key in ("zh", "detail"):
                if _str(comp.get(key)):
                    out.append(("component", f"component {comp.get('zh')}", comp[key]))
            if _str(comp.get("en")):
                out.append(("english", f"component {comp.get('zh')}", comp["en"]))
    if _str(summary.get("zh")):
        out.append(("summary", "summary", summary["zh"]))
    if _str(summary.get("en")):
        out.append(("english", "summary (en)", summary["en"]))
    if _str(name.get("en")):
        out.append(("english", "English name", name["en"]))
    for src in _list(record.get("sources")):
        if isinstance(src, dict) and _str(src.get("quote")):
            out.append(("quote", f"quote ({src.get('source')})", src["quote"]))
    return out


def search(cat: Catalogue, text: str, records: Iterable[Record] | None = None) -> list[Hit]:
    """Ranked full-text search, insensitive to script, tones, spaces and case."""
    text = text.strip()
    if not text:
        return []
    words = [w for w in re.split(r"\s+", text.lower()) if w]
    chinese = fold(text)
    latin = fold_latin(text) if not has_cjk(text) else ""
    hits = []
    for record in records if records is not None else entries(cat):
        # The folded text of the whole entry rules most entries out before any per-field work.
        haystack = _derived(record)[0]
        # A word's stem, not the word: "cadres" must still reach a field saying "cadre".
        maybe_words = bool(latin) and all(w.rstrip("s") in haystack for w in words)
        score, reasons = 0.0, []
        if chinese in haystack or maybe_words:
            score, reasons = _score_fields(_fields(record), chinese, words if maybe_words else None)
        if latin.isalpha():
            score, reasons = _pinyin_match(record, latin, score, reasons)
        if score:
            hits.append(Hit(record, score, _dedupe(reasons)))
    return sorted(hits, key=lambda h: (-h.score, h.record.id))


def _score_fields(fields: list[tuple[str, str, str]], chinese: str, words: list[str] | None) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    for kind, label, value in fields:
        if kind == "english":
            if words and _all_words(words, value):
                score += _WEIGHTS[kind] * (2 if label == "English name" else 1)
                reasons.append(label)
            continue
        folded = fold(value)
        if chinese and chinese in folded:
            exact = folded == chinese
            score += _WEIGHTS[kind] * (1.5 if exact else 1)
            reasons.append(label + (" (exact)" if exact else ""))
    return score, reasons


def _pinyin_match(record: Record, latin: str, score: float, reasons: list[str]) -> tuple[float, list[str]]:
    # Aliases are not romanised: they extend the name, which already matched.
    candidates = [("pinyin", "pinyin", _derived(record)[2])]
    for kind, label, syllables in candidates:
        if syllables and latin in syllables:
            exact = syllables == latin
            score += _WEIGHTS[kind] * (1.5 if exact else 0.6)
            reasons.append(label + (" (exact)" if exact else ""))
    return score, reasons


def _all_words(words: list[str], value: str) -> bool:
    tokens = set(re.findall(r"[a-z0-9+]+", value.lower()))
    stems = {t.rstrip("s") for t in tokens}
    return all(w in tokens or w.rstrip("s") in stems for w in words)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- counts ---------------------------------------------------------------------------


def ancestor_at(cat: Catalogue, locality_id: str, level: str) -> Record | None:
    for record in cat.ancestors(locality_id):
        if record.get("level") == level:
            return record
    return None


@dataclass
class Matrix:
    rows: list[Record]
    themes: list[str]
    counts: dict[tuple[str, str], int]
    unplaced: int  # entries above the chosen level (e.g. national ones in a county matrix)


def matrix(cat: Catalogue, records: list[Record], by: str = "province") -> Matrix:
    """Counts of entries per (locality at level ``by``, theme)."""
    counts: Counter = Counter()
    rows: dict[str, Record] = {}
    unplaced = 0
    for record in records:
        place = ancestor_at(cat, record.get("locality") or "", by)
        if place is None:
            unplaced += 1
            continue
        rows[place.id] = place
        for theme in _list(record.get("themes")):
            counts[(place.id, theme)] += 1
    themes = [t for t in cat.themes if any(counts[(r, t)] for r in rows)]
    return Matrix(sorted(rows.values(), key=lambda r: r.id), themes, dict(counts), unplaced)


def entry_counts_by_locality(cat: Catalogue) -> dict[str, tuple[int, int]]:
    """locality id -> (entries filed there, entries there or below)."""
    own = Counter(r.get("locality") for r in entries(cat))
    total: Counter = Counter()
    for loc, n in own.items():
        for ancestor in cat.ancestors(loc or ""):
            total[ancestor.id] += n
    return {loc: (own.get(loc, 0), total.get(loc, 0)) for loc in cat.localities}


def stats(cat: Catalogue) -> dict[str, dict[str, int]]:
    records = entries(cat)
    by_province: Counter = Counter()
    for record in records:
        province = ancestor_at(cat, record.get("locality") or "", "province")
        by_province[province.id if province else (record.get("locality") or "?")] += 1
    return {
        "entries": {"total": len(records)},
        "kind": dict(Counter(r.get("kind") or "?" for r in records).most_common()),
        "status": dict(Counter(r.get("status") or "?" for r in records).most_common()),
        "level": dict(Counter(r.get("level") or "?" for r in records).most_common()),
        "province": dict(by_province.most_common()),
        "theme": dict(Counter(t for r in records for t in _list(r.get("themes"))).most_common()),
        "source": dict(Counter(s for r in records for s in set(cited_sources(r))).most_common()),
        "year": dict(sorted(Counter(str(r.get("year")) for r in records if isinstance(r.get("year"), int)).items())),
    }
