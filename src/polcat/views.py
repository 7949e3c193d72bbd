"""How entries and registries look on a terminal: the columns of each listing, the page
of `polcat show` and the locality tree. Plain text for pipes; styled by rich on a
terminal, always as literal text (never as markup)."""

from __future__ import annotations

from typing import TextIO

from polcat.catalogue import Catalogue
from polcat.counts import entry_counts_by_locality
from polcat.entryview import entry_view
from polcat.escape import rich_text, terminal
from polcat.model import Entry, Locality
from polcat.output import Column, use_color
from polcat.places import locality_name


def entry_columns(cat: Catalogue) -> list[Column]:
    return [
        Column("id", lambda e: e.id, "cyan"),
        Column("name", lambda e: e.name.zh),
        Column("pinyin", lambda e: e.name.pinyin),
        Column("kind", lambda e: e.kind),
        Column("locality", lambda e: locality_name(cat, e.locality)),
        Column("year", lambda e: e.year),
        Column("themes", lambda e: ", ".join(e.themes)),
    ]


def csv_columns(cat: Catalogue) -> list[Column]:
    """Flat columns, one row per entry, lists joined with '; '."""
    return [
        Column("id", lambda e: e.id),
        Column("status", lambda e: e.status),
        Column("name_zh", lambda e: e.name.zh),
        Column("name_original", lambda e: e.name.original),
        Column("pinyin", lambda e: e.name.pinyin),
        Column("name_en", lambda e: e.name.en),
        Column("aliases", lambda e: list(e.aliases)),
        Column("kind", lambda e: e.kind),
        Column("locality", lambda e: e.locality),
        Column("locality_zh", lambda e: locality_name(cat, e.locality)),
        *chain_columns(cat),
        Column("level", lambda e: e.level),
        Column("year", lambda e: e.year),
        Column("themes", lambda e: list(e.themes)),
        Column("fields", lambda e: list(dict.fromkeys(t.field for t in map(cat.theme, e.themes) if t))),
        Column("components", lambda e: [c.zh for c in e.components]),
        Column("summary_zh", lambda e: e.summary.zh if e.summary else None),
        Column("summary_en", lambda e: e.summary.en if e.summary else None),
        Column("sources", lambda e: [c.source for c in e.sources]),
        Column("origin_basis", lambda e: e.origin.basis if e.origin else None),
        Column("origin_locality", lambda e: e.origin.locality if e.origin else None),
    ]


def chain_columns(cat: Catalogue) -> list[Column]:
    """province, prefecture and county (name and code) of an entry's locality, so that
    "count per province per theme" is one GROUP BY in a spreadsheet or database."""
    from polcat.places import ancestor_at

    columns = []
    for level in ("province", "prefecture", "county"):

        def label(e: Entry, level: str = level) -> str | None:
            return p.label if (p := ancestor_at(cat, e.locality, level)) else None

        def code(e: Entry, level: str = level) -> str | None:
            return p.adcode if (p := ancestor_at(cat, e.locality, level)) else None

        columns += [Column(level, label), Column(f"{level}_code", code)]
    return columns


# The matrix's shades on a colour terminal, light to dark (ColorBrewer's Blues, as the
# site's matrix): dark text on the light ones, white on the dark ones. rich brings them
# down to what the terminal shows (256 or 16 colours).
HEAT_STYLES = ("", "black on #deebf7", "black on #9ecae1", "black on #6baed6", "white on #3182bd", "white on #08519c")


def heat_style(count: int) -> str:
    """The rich style of a matrix cell holding ``count`` entries (none for an empty cell)."""
    from polcat.counts import heat_level

    return HEAT_STYLES[heat_level(count)]


def show_page(cat: Catalogue, entry: Entry, out: TextIO) -> None:
    """Everything about one entry, with derived relations and same-name entries."""
    view = entry_view(cat, entry)
    lines: list[tuple[str, str]] = [("bold", f"{view.title}  [{entry.id}]")]  # (style, text)
    if view.subtitle:
        lines.append(("", view.subtitle))
    facts = [
        ("kind", entry.kind),
        ("status", entry.status),
        ("locality", f"{view.locality} ({entry.locality})" if entry.locality else None),
        ("origin", view.origin),
        ("level", entry.level),
        ("year", entry.year),
        ("themes", ", ".join(f"{t.id} ({t.label})" if t.label != t.id else t.id for t in view.themes)),
        ("aliases", "、".join(entry.aliases)),
    ]
    lines.append(("", ""))
    lines += [("", f"{key:<9} {value}") for key, value in facts if value not in (None, "")]
    if entry.summary:
        lines += [("", ""), ("bold", "Summary"), ("", f"  {entry.summary.zh}"), ("", f"  {entry.summary.en}")]
    if view.components:
        lines += [("", ""), ("bold", "Components")]
        for i, comp in enumerate(view.components, 1):
            lines.append(("", f"  {i}. {comp.zh} — {comp.en}"))
            if comp.detail:
                lines.append(("dim", f"     {comp.detail}"))
    if view.outcomes:
        lines += [("", ""), ("bold", "Outcomes")]
        for o in view.outcomes:
            lines.append(("", f"  {o.indicator}: {o.value}{o.unit or ''}"))
            lines.append(("dim", f"     “{o.quote}”"))
    if view.citations:
        lines += [("", ""), ("bold", "Sources")]
        for cite in view.citations:
            lines.append(("", f"  {cite.label}"))
            lines.append(("dim", f"     “{cite.quote}”"))
    if view.links:
        lines += [("", ""), ("bold", "Relations")]
        for link in view.links:
            derived = "  (derived)" if link.derived else ""
            label = f"{link.name} ({link.place})" if link.name else "(missing)"
            lines.append(("", f"  {link.type:<15} {link.target}  {label}{derived}"))
    if view.same_name:
        lines += [("", ""), ("bold", "Same name elsewhere")]
        lines += [("", f"  {o.id}  {o.label}") for o in view.same_name]
    if entry.notes:
        lines += [("", ""), ("bold", "Notes"), ("", f"  {entry.notes}")]
    lines += [("", ""), ("dim", f"file: {entry.record.file}")]
    print_lines(lines, out)


def print_lines(lines: list[tuple[str, str]], out: TextIO) -> None:
    """Lines of literal text, each with a rich style on a colour terminal. Control and
    bidirectional characters are shown as visible escapes (:func:`polcat.escape.terminal`);
    a newline inside a field (a multi-line summary) is kept."""
    if not use_color(out):
        for _, text in lines:
            out.write(terminal(text, multiline=True) + "\n")
        return
    from rich.console import Console

    console = Console(file=out, highlight=False)
    for style, text in lines:
        console.print(rich_text(text, style or "", multiline=True))


def locality_tree(cat: Catalogue, out: TextIO) -> None:
    """The locality registry as an indented tree with entry counts (own / with descendants)."""
    counts = entry_counts_by_locality(cat)
    children: dict[str | None, list[Locality]] = {}
    for place in cat.all_localities():
        parent = place.parent if cat.locality(place.parent) is not None else None
        children.setdefault(parent, []).append(place)

    def label(place: Locality) -> str:
        own, total = counts.get(place.id, (0, 0))
        code = f" {place.adcode}" if place.adcode else ""
        return f"{place.label} {place.name.en or ''} [{place.id}]{code}  {total} entries" + (
            f" ({own} here)" if own and own != total else ""
        )

    lines: list[tuple[str, str]] = []
    stack = [(p, 0) for p in reversed(children.get(None, []))]
    while stack:
        place, depth = stack.pop()
        lines.append(("bold" if depth <= 1 else "", "  " * depth + label(place)))
        stack.extend((c, depth + 1) for c in reversed(children.get(place.id, [])))
    print_lines(lines, out)
