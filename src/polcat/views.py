"""How entries and registries look on screen: the columns of each listing and the
full page of `polcat show`. Plain text for pipes; styled by rich on a terminal."""

from __future__ import annotations

from typing import TextIO

from polcat import query
from polcat.catalogue import Catalogue, Record
from polcat.output import Column, use_color


def _name(record: Record, key: str = "zh") -> str:
    name = record.get("name")
    return name.get(key, "") if isinstance(name, dict) else ""


def locality_name(cat: Catalogue, locality_id: str | None) -> str:
    record = cat.localities.get(locality_id or "")
    return _name(record) if record else (locality_id or "")


def locality_chain(cat: Catalogue, locality_id: str | None) -> str:
    chain = [r for r in reversed(cat.ancestors(locality_id or "")) if r.get("level") != "national"]
    if not chain:
        return locality_name(cat, locality_id)
    return " > ".join(_name(r) for r in chain)


def entry_columns(cat: Catalogue) -> list[Column]:
    return [
        Column("id", lambda r: r.id, "cyan"),
        Column("name", lambda r: _name(r)),
        Column("pinyin", lambda r: _name(r, "pinyin")),
        Column("kind", lambda r: r.get("kind")),
        Column("locality", lambda r: locality_name(cat, r.get("locality"))),
        Column("year", lambda r: r.get("year")),
        Column("themes", lambda r: ", ".join(r.get("themes") or [])),
    ]


def csv_columns(cat: Catalogue) -> list[Column]:
    """Flat columns, one row per entry, lists joined with '; '."""

    def joined(field, key=None):
        def cell(record):
            items = record.get(field) or []
            return [i.get(key) if key and isinstance(i, dict) else i for i in items]

        return cell

    return [
        Column("id", lambda r: r.id),
        Column("status", lambda r: r.get("status")),
        Column("name_zh", lambda r: _name(r)),
        Column("name_original", lambda r: _name(r, "original")),
        Column("pinyin", lambda r: _name(r, "pinyin")),
        Column("name_en", lambda r: _name(r, "en")),
        Column("aliases", joined("aliases")),
        Column("kind", lambda r: r.get("kind")),
        Column("locality", lambda r: r.get("locality")),
        Column("locality_zh", lambda r: locality_name(cat, r.get("locality"))),
        Column("level", lambda r: r.get("level")),
        Column("year", lambda r: r.get("year")),
        Column("themes", joined("themes")),
        Column("components", joined("components", "zh")),
        Column("summary_zh", lambda r: (r.get("summary") or {}).get("zh")),
        Column("summary_en", lambda r: (r.get("summary") or {}).get("en")),
        Column("sources", joined("sources", "source")),
    ]


def show_page(cat: Catalogue, record: Record, out: TextIO) -> None:
    """Everything about one entry, with derived relations and same-name entries."""
    lines: list[tuple[str, str]] = []  # (style, text)
    name = record.get("name") or {}
    title = name.get("zh", record.id)
    if name.get("original") and name.get("original") != title:
        title += f" ({name['original']})"
    lines.append(("bold", f"{title}  [{record.id}]"))
    sub = " · ".join(x for x in (name.get("pinyin"), name.get("en")) if x)
    if sub:
        lines.append(("", sub))
    facts = [
        ("kind", record.get("kind")),
        ("status", record.get("status")),
        ("locality", f"{locality_chain(cat, record.get('locality'))} ({record.get('locality')})"),
        ("level", record.get("level")),
        ("year", record.get("year")),
        ("themes", ", ".join(_theme_label(cat, t) for t in record.get("themes") or [])),
        ("aliases", "、".join(record.get("aliases") or [])),
    ]
    lines.append(("", ""))
    lines += [("", f"{key:<9} {value}") for key, value in facts if value not in (None, "")]
    summary = record.get("summary") or {}
    if summary:
        lines += [("", ""), ("bold", "Summary")]
        lines += [("", f"  {summary[k]}") for k in ("zh", "en") if summary.get(k)]
    components = record.get("components") or []
    if components:
        lines += [("", ""), ("bold", "Components")]
        for i, comp in enumerate(components, 1):
            lines.append(("", f"  {i}. {comp.get('zh')} — {comp.get('en')}"))
            if comp.get("detail"):
                lines.append(("dim", f"     {comp['detail']}"))
    outcomes = record.get("outcomes") or []
    if outcomes:
        lines += [("", ""), ("bold", "Outcomes")]
        for o in outcomes:
            lines.append(("", f"  {o.get('indicator')}: {o.get('value')}{o.get('unit') or ''}"))
            lines.append(("dim", f"     “{o.get('quote')}”"))
    sources = record.get("sources") or []
    if sources:
        lines += [("", ""), ("bold", "Sources")]
        for s in sources:
            src = cat.sources.get(s.get("source"))
            meta = ", ".join(x for x in (src.get("title"), src.get("publisher"), src.get("date")) if x) if src else ""
            lines.append(("", f"  [{s.get('source')}] {meta}"))
            lines.append(("dim", f"     “{s.get('quote')}”"))
    links = query.links(cat, record)
    if links:
        lines += [("", ""), ("bold", "Relations")]
        for link in links:
            target = cat.mechanisms.get(link.target)
            label = f"{_name(target)} ({locality_name(cat, target.get('locality'))})" if target else "(missing)"
            derived = "  (derived)" if link.derived else ""
            lines.append(("", f"  {link.type:<15} {link.target}  {label}{derived}"))
    same = query.same_name_elsewhere(cat, record)
    if same:
        lines += [("", ""), ("bold", "Same name elsewhere")]
        lines += [("", f"  {o.id}  {_name(o)} ({locality_chain(cat, o.get('locality'))})") for o in same]
    if record.get("notes"):
        lines += [("", ""), ("bold", "Notes"), ("", f"  {record.get('notes')}")]
    lines += [("", ""), ("dim", f"file: {record.file}")]
    _print_lines(lines, out)


def _theme_label(cat: Catalogue, theme_id: str) -> str:
    record = cat.themes.get(theme_id)
    return f"{theme_id} ({_name(record)})" if record else theme_id


def _print_lines(lines: list[tuple[str, str]], out: TextIO) -> None:
    if not use_color(out):
        for _, text in lines:
            out.write(text + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False)
    for style, text in lines:
        console.print(Text(text, style=style or ""))


def locality_tree(cat: Catalogue, out: TextIO) -> None:
    """The locality registry as an indented tree with entry counts (own / with descendants)."""
    counts = query.entry_counts_by_locality(cat)
    children: dict[str | None, list[Record]] = {}
    for record in cat.localities.values():
        parent = record.get("parent") if record.get("parent") in cat.localities else None
        children.setdefault(parent, []).append(record)

    def label(record: Record) -> str:
        own, total = counts.get(record.id, (0, 0))
        code = f" {record.get('adcode')}" if record.get("adcode") else ""
        return f"{_name(record)} {record.get('name', {}).get('en', '')} [{record.id}]{code}  {total} entries" + (
            f" ({own} here)" if own and own != total else ""
        )

    lines: list[tuple[str, str]] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        record, depth = stack.pop()
        lines.append(("bold" if depth <= 1 else "", "  " * depth + label(record)))
        stack.extend((c, depth + 1) for c in reversed(children.get(record.id, [])))
    _print_lines(lines, out)
