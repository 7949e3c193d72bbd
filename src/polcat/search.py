"""Finding entries by name and by text: resolve a name, suggest, ranked search.

Comparison ignores the script (三變 = 三变), widths (１２３３ = 1233), invisible
characters, tones and spaces (san ding = sān dìng) and case. An entry's *search keys*
(its folded text, name keys and toneless pinyin) are computed once and then kept in the
cache beside the entry, so a warm search folds nothing but the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from polcat.catalogue import Catalogue
from polcat.chinese import fold, fold_latin, has_cjk
from polcat.filters import themes_named
from polcat.model import Entry

# Weights: a name match outranks an alias, then components, summary, quotes.
WEIGHTS = {
    "name": 100,
    "alias": 80,
    "pinyin": 90,
    "component": 40,
    "english": 30,
    "summary": 20,
    "theme": 15,
    "quote": 10,
}


@dataclass(frozen=True, slots=True)
class SearchKeys:
    haystack: str  # the folded text of every searchable field
    names: tuple[str, ...]  # folded spellings of the name: zh, original, aliases, pinyin
    syllables: str  # toneless pinyin of the name, syllables run together


@dataclass
class Hit:
    entry: Entry
    score: float
    reasons: list[str]


@lru_cache(maxsize=8192)
def syllables_of(text: str) -> str:
    """Toneless pinyin of Chinese text, syllables run together (pypinyin, loaded on demand)."""
    from polcat.chinese import pinyin

    return fold_latin(pinyin(text, tones=False))


def fields_of(entry: Entry) -> list[tuple[str, str, str]]:
    """(field kind, label, text) for everything searchable in an entry."""
    out = [("name", "name", value) for value in entry.name.spellings()]
    out += [("alias", f"alias {a}", a) for a in entry.aliases]
    for comp in entry.components:
        out.append(("component", f"component {comp.zh}", comp.zh))
        if comp.detail:
            out.append(("component", f"component {comp.zh}", comp.detail))
        out.append(("english", f"component {comp.zh}", comp.en))
    if entry.summary:
        out += [("summary", "summary", entry.summary.zh), ("english", "summary (en)", entry.summary.en)]
    if entry.name.en:
        out.append(("english", "English name", entry.name.en))
    out += [("quote", f"quote ({c.source})", c.quote) for c in entry.sources]
    return out


def name_keys_of(entry: Entry) -> set[str]:
    keys = {fold(value) for value in (*entry.name.spellings(), *entry.aliases)}
    if entry.name.pinyin:
        keys.add(fold_latin(entry.name.pinyin))
    if entry.name.en:
        keys.add(fold_latin(entry.name.en))
    return {k for k in keys if k}


def search_keys(cat: Catalogue, entry: Entry) -> SearchKeys:
    """The entry's search keys, from the cache or computed now (and then cached)."""
    cached = cat.search_keys.get(entry.record.document.path_str)
    if cached is not None:
        return SearchKeys(cached[0], tuple(cached[1]), cached[2])
    keys = compute_search_keys(entry)
    cat.learn_search_keys(entry.record, (keys.haystack, keys.names, keys.syllables))
    return keys


def compute_search_keys(entry: Entry) -> SearchKeys:
    """The entry's search keys, computed (:mod:`polcat.index` stores them too)."""
    haystack = fold("\x00".join(value for _, _, value in fields_of(entry)))
    return SearchKeys(haystack, tuple(sorted(name_keys_of(entry))), syllables_key(entry))


def syllables_key(entry: Entry) -> str:
    """Toneless pinyin of the name, then of each Chinese alias, joined by NUL: ``san bian
    gai ge`` must find 三变 through its alias 三變改革. The curated pinyin is used as it
    is; pypinyin (slow to load) only fills in for names without one, and for aliases."""
    name = fold_latin(entry.name.pinyin) if entry.name.pinyin else syllables_of(entry.name.zh or "")
    aliases = [syllables_of(alias) for alias in entry.aliases if has_cjk(alias)]
    return "\x00".join([name, *(a for a in aliases if a)])


def name_keys(cat: Catalogue, entry: Entry) -> set[str]:
    """Folded spellings of an entry's name: zh, original, aliases, pinyin, English."""
    return set(search_keys(cat, entry).names)


def resolve(cat: Catalogue, text: str) -> list[Entry]:
    """Entries that ``text`` names: an id (or former id), a name in either script, pinyin,
    an English name or an alias."""
    exact = cat.entry(text.strip())
    if exact is not None:
        return [exact]
    wanted = {fold(text), fold_latin(text)} - {""}
    return [e for e in cat.entries() if wanted & name_keys(cat, e)]


def suggest(cat: Catalogue, text: str, n: int = 5) -> list[Entry]:
    """Entries whose id or name is close to ``text`` (for "did you mean")."""
    import difflib

    by_key: dict[str, Entry] = {}
    for entry in cat.entries():
        by_key[entry.id] = entry
        for key in name_keys(cat, entry):
            by_key.setdefault(key, entry)
    probe = fold(text) if has_cjk(text) else fold_latin(text)
    close = difflib.get_close_matches(probe, list(by_key), n=n * 2, cutoff=0.5)
    hits = [h.entry for h in search(cat, text)[:n]]
    seen: set[str] = set()
    out: list[Entry] = []
    for entry in hits + [by_key[k] for k in close]:
        if entry.id not in seen:
            seen.add(entry.id)
            out.append(entry)
    return out[:n]


def search(cat: Catalogue, text: str, entries: Iterable[Entry] | None = None) -> list[Hit]:
    """Ranked full-text search, insensitive to script, widths, tones, spaces and case."""
    text = text.strip()
    if not text:
        return []
    words = [w for w in re.split(r"\s+", fold_words(text)) if w]
    themes = themes_named(cat, text)  # entries filed under a theme the text names score too
    chinese = fold(text)
    latin = fold_latin(text) if not has_cjk(text) else ""
    hits = []
    for entry in entries if entries is not None else cat.entries():
        keys = search_keys(cat, entry)
        # The folded text of the whole entry rules most entries out before any per-field work.
        # A word's stem, not the word: "cadres" must still reach a field saying "cadre".
        maybe_words = bool(latin) and all(w.rstrip("s") in keys.haystack for w in words)
        score: float = 0.0
        reasons: list[str] = []
        if chinese in keys.haystack or maybe_words:
            score, reasons = score_fields(fields_of(entry), chinese, words if maybe_words else None)
        if latin.isalpha() and keys.syllables and latin in keys.syllables:
            name, *aliases = keys.syllables.split("\x00")
            kind = "pinyin" if latin in name else "alias"
            exact = latin == name or (kind == "alias" and latin in aliases)
            score += WEIGHTS[kind] * (1.5 if exact else 0.6)
            reasons.append(("pinyin" if kind == "pinyin" else "alias pinyin") + (" (exact)" if exact else ""))
        for theme in entry.themes:
            if theme in themes:
                score += WEIGHTS["theme"]
                reasons.append(f"theme {themes[theme]}")
        if score:
            hits.append(Hit(entry, score, list(dict.fromkeys(reasons))))
    return sorted(hits, key=lambda h: (-h.score, h.entry.id))


def fold_words(text: str) -> str:
    """English words as search compares them: plain widths, lower case."""
    from polcat.chinese import normalise

    return normalise(text).lower()


def score_fields(fields: list[tuple[str, str, str]], chinese: str, words: list[str] | None) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    for kind, label, value in fields:
        if kind == "english":
            if words and all_words(words, value):
                score += WEIGHTS[kind] * (2 if label == "English name" else 1)
                reasons.append(label)
            continue
        folded = fold(value)
        if chinese and chinese in folded:
            exact = folded == chinese
            score += WEIGHTS[kind] * (1.5 if exact else 1)
            reasons.append(label + (" (exact)" if exact else ""))
    return score, reasons


def all_words(words: list[str], value: str) -> bool:
    stems = word_stems(value)
    return all(w.rstrip("s") in stems for w in words)  # a word that is a token has its stem there too


def word_stems(value: str) -> set[str]:
    """The English words of a text as :func:`all_words` compares them: lower-case runs of
    letters, digits and '+', without a trailing s."""
    return {t.rstrip("s") for t in re.findall(r"[a-z0-9+]+", value.lower())}


def english_stems(entry: Entry) -> str:
    """Every word stem of the entry's English fields, space-separated and space-ended:
    an entry whose English can match a query's words has each of their stems in it
    (:mod:`polcat.index` narrows a search with it)."""
    stems = set().union(*(word_stems(value) for kind, _, value in fields_of(entry) if kind == "english"))
    return f" {' '.join(sorted(stems))} "
