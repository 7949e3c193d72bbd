"""The HTML pages of the site. Every piece of catalogue text goes through :func:`esc`:
the catalogue is data, never markup."""

from __future__ import annotations

import html
from string import Template
from typing import Iterable, Iterator
from urllib.parse import urlencode

from polcat import __version__, query
from polcat.catalogue import Record
from polcat.query import _dict, _list, _str
from polcat.site.build import Site, asset
from polcat.views import _name, locality_name


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render_all(site: Site) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) for every page."""
    yield "index.html", index_page(site)
    yield "matrix.html", matrix_page(site)
    yield "localities/index.html", localities_index(site)
    yield "themes/index.html", themes_index(site)
    for record in site.records:
        yield f"entries/{record.id}.html", entry_page(site, record)
    for record in site.localities():
        yield f"localities/{record.id}.html", locality_page(site, record)
    for record in site.themes():
        yield f"themes/{record.id}.html", theme_page(site, record)


def page(site: Site, root: str, title: str, body: str, kind: str, scripts: str = "") -> str:
    """A whole page; ``root`` leads from the page back to the site's top ('' or '../')."""
    n = len(site.records)
    return Template(asset("page.html")).substitute(
        version=esc(__version__), title=esc(f"{title} · {site.title}" if title != site.title else title),
        root=root, page=esc(kind), site_title=esc(site.title), body=body, scripts=scripts,
        count=f"{n} {'entry' if n == 1 else 'entries'}",
    )


# --- links ----------------------------------------------------------------------------


def index_href(root: str, **params: str) -> str:
    """The index with its filters set: the filters read the part after '#'."""
    return f"{root}index.html" + ("#" + urlencode(params) if params else "")


def entry_link(site: Site, root: str, entry_id: str, text: str | None = None) -> str:
    record = site.cat.mechanisms.get(entry_id)
    label = text or (f"{_name(record)} ({locality_name(site.cat, record.get('locality'))})" if record else entry_id)
    if entry_id not in site.ids:  # outside this site (filtered out, or missing): no dead link
        return f'<span class="outside">{esc(label)}</span>'
    return f'<a href="{root}entries/{esc(entry_id)}.html">{esc(label)}</a>'


def locality_link(root: str, record: Record) -> str:
    return f'<a href="{root}localities/{esc(record.id)}.html">{esc(_name(record) or record.id)}</a>'


def theme_link(site: Site, root: str, theme_id: str) -> str:
    record = site.cat.themes.get(theme_id)
    if record is None:
        return esc(theme_id)
    return f'<a href="{root}themes/{esc(theme_id)}.html">{esc(_name(record))}</a>'


def locality_chain(site: Site, root: str, locality_id: str | None) -> str:
    chain = [r for r in reversed(site.cat.ancestors(locality_id or "")) if r.get("level") != "national"]
    chain = chain or site.cat.ancestors(locality_id or "")[:1]
    return " › ".join(locality_link(root, r) for r in chain) if chain else esc(locality_id)


def entry_list(site: Site, records: Iterable[Record], root: str, element_id: str | None = None) -> str:
    """A list of entries: name, English name, place, kind, year."""
    items = []
    for record in records:
        name = _dict(record.get("name"))
        meta = " · ".join(esc(x) for x in (locality_name(site.cat, record.get("locality")), record.get("kind"), record.get("year")) if x)
        items.append(
            f'<li data-id="{esc(record.id)}"><a href="{root}entries/{esc(record.id)}.html">'
            f'<span class="zh">{esc(name.get("zh") or record.id)}</span></a>'
            + (f' <span class="en" lang="en">{esc(name["en"])}</span>' if _str(name.get("en")) else "")
            + f' <span class="meta">{meta}</span></li>'
        )
    attr = f' id="{element_id}"' if element_id else ""
    return f'<ul class="entries"{attr}>\n' + "\n".join(items) + "\n</ul>"


# --- the index --------------------------------------------------------------------------


def index_page(site: Site) -> str:
    n = len(site.records)
    body = f"""<h1>{esc(site.title)}: named policy mechanisms</h1>
<form id="filters" class="filters" role="search">
<label class="search">Search <input type="search" id="q" name="q" placeholder="三變 · san ding · 1+X · cadre" autocomplete="off"></label>
<label>Locality <select id="locality" name="locality">{_locality_options(site)}</select></label>
<label class="theme">Theme <select id="theme" name="theme">{_options(site, "theme")}</select></label>
<label>Kind <select id="kind" name="kind">{_options(site, "kind")}</select></label>
<label>Year <select id="year" name="year">{_options(site, "year")}</select></label>
<button type="reset" id="clear">Clear</button>
</form>
<p id="count" class="count" aria-live="polite">{n} {"entry" if n == 1 else "entries"}</p>
{entry_list(site, site.records, "", "entries")}
<p id="none" hidden>No entry matches. <a href="index.html#">Clear the filters</a>.</p>"""
    scripts = '<script src="assets/data.js"></script>\n<script src="assets/app.js"></script>'
    return page(site, "", site.title, body, "index", scripts)


def _options(site: Site, field: str) -> str:
    """<option>s for the theme, kind or year filter: the values the entries use."""
    if field == "theme":
        used = {t for r in site.records for t in _list(r.get("themes"))}
        values = [(t.id, f"{_name(t)} · {_name(t, 'en')}") for t in site.themes() if t.id in used]
    elif field == "kind":
        values = [(k, k) for k in sorted({str(r.get("kind")) for r in site.records if _str(r.get("kind"))})]
    else:
        years = sorted({r.get("year") for r in site.records if isinstance(r.get("year"), int)})
        values = [(str(y), str(y)) for y in years]
    return '<option value="">All</option>' + "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values)


def _locality_options(site: Site) -> str:
    """Localities holding entries, as an indented tree: choosing one includes those below."""
    options = ['<option value="">All</option>']
    for record, depth in _tree(site):
        indent = "\u00a0\u00a0" * depth
        options.append(f'<option value="{esc(record.id)}">{indent}{esc(_name(record))} ({site.counts[record.id]})</option>')
    return "".join(options)


def _tree(site: Site, with_empty: bool = False) -> list[tuple[Record, int]]:
    """Localities depth first, with their depth; only those holding entries unless ``with_empty``."""
    places = [r for r in site.localities() if with_empty or site.counts.get(r.id)]
    known = {r.id for r in places}
    children: dict[str | None, list[Record]] = {}
    for record in places:
        parent = record.get("parent") if record.get("parent") in known else None
        children.setdefault(parent, []).append(record)
    out: list[tuple[Record, int]] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        record, depth = stack.pop()
        out.append((record, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(record.id, [])))
    return out


# --- one mechanism ------------------------------------------------------------------------


def entry_page(site: Site, record: Record) -> str:
    root = "../"
    name = _dict(record.get("name"))
    title = _str(name.get("zh")) or record.id
    heading = esc(title) + (f' <span class="original">({esc(name["original"])})</span>' if _str(name.get("original")) and name["original"] != title else "")
    sub = " · ".join(f'<span lang="{lang}">{esc(name[k])}</span>' for k, lang in (("pinyin", "zh-Latn"), ("en", "en")) if _str(name.get(k)))
    parts = [f"<h1>{heading}</h1>", f'<p class="sub">{sub}</p>' if sub else "", _facts(site, record, root)]
    parts += [_summary(record), _components(record), _outcomes(record), _quotes(site, record), _relations(site, record, root)]
    same = [f"<li>{entry_link(site, root, o.id)}</li>" for o in query.same_name_elsewhere(site.cat, record)]
    parts.append(_section("same-name", "Same name elsewhere", same))
    notes = [f'<p lang="en">{esc(record.get("notes"))}</p>'] if _str(record.get("notes")) else []
    parts.append(_section("notes", "Notes", notes, None))
    return page(site, root, title, "\n".join(p for p in parts if p), "entry")


def _facts(site: Site, record: Record, root: str) -> str:
    themes = ", ".join(theme_link(site, root, t) for t in _list(record.get("themes")))
    rows = [
        ("id", f"<code>{esc(record.id)}</code>"),
        ("locality", locality_chain(site, root, record.get("locality"))),
        ("level", esc(record.get("level")) if record.get("level") else ""),
        ("kind", esc(record.get("kind")) if record.get("kind") else ""),
        ("year", esc(record.get("year")) if record.get("year") is not None else ""),
        ("themes", themes),
        ("aliases", esc("、".join(map(str, _list(record.get("aliases")))))),
        ("status", esc(record.get("status")) if record.get("status") else ""),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>"


def _summary(record: Record) -> str:
    summary = _dict(record.get("summary"))
    paras = [f'<p lang="{"zh-Hans" if k == "zh" else "en"}">{esc(summary[k])}</p>' for k in ("zh", "en") if _str(summary.get(k))]
    return _section("summary", "Summary", paras, None)


def _section(section_id: str, title: str, items: list[str], list_tag: str | None = "ul") -> str:
    """A titled section of the entry page; nothing at all when there are no items."""
    if not items:
        return ""
    body = f"<{list_tag}>{''.join(items)}</{list_tag}>" if list_tag else "".join(items)
    return f'<section id="{section_id}"><h2>{title}</h2>{body}</section>'


def _items(record: Record, field: str) -> list[dict]:
    return [item for item in _list(record.get(field)) if isinstance(item, dict)]


def _components(record: Record) -> str:
    items = []
    for comp in _items(record, "components"):
        detail = f'<div class="detail">{esc(comp["detail"])}</div>' if _str(comp.get("detail")) else ""
        items.append(f'<li><span class="zh">{esc(comp.get("zh"))}</span> — <span lang="en">{esc(comp.get("en"))}</span>{detail}</li>')
    return _section("components", "Components", items, "ol")


def _outcomes(record: Record) -> str:
    items = [
        f"<li>{esc(o.get('indicator'))}: <strong>{esc(o.get('value'))}{esc(o.get('unit') or '')}</strong>"
        f"<blockquote>{esc(o.get('quote'))}</blockquote></li>"
        for o in _items(record, "outcomes")
    ]
    return _section("outcomes", "Outcomes", items)


def _quotes(site: Site, record: Record) -> str:
    quotes = [
        f'<figure class="quote"><blockquote>{esc(cite.get("quote"))}</blockquote>'
        f"<figcaption>{source_citation(site, cite.get('source'))}</figcaption></figure>"
        for cite in _items(record, "sources")
    ]
    return _section("sources", "Sources", quotes, None)


def source_citation(site: Site, source_id: str | None) -> str:
    """Title (a link when the source has a web address), publisher, author, date."""
    source = site.cat.sources.get(source_id or "")
    if source is None:
        return f"<code>{esc(source_id)}</code>"
    title = esc(source.get("title") or source_id)
    url = source.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):  # never javascript: and the like
        title = f'<a href="{esc(url)}" rel="noopener">{title}</a>'
    rest = [esc(source.get(k)) for k in ("publisher", "author", "date") if source.get(k)]
    return ", ".join([title, *rest]) + f" <code>[{esc(source_id)}]</code>"


def _relations(site: Site, record: Record, root: str) -> str:
    items = [
        f'<li><span class="rel">{esc(link.type)}</span> {entry_link(site, root, link.target)}'
        + (' <span class="derived">(derived)</span>' if link.derived else "")
        + (f' <span class="note">{esc(link.note)}</span>' if link.note else "")
        + "</li>"
        for link in query.links(site.cat, record)
    ]
    return _section("relations", "Relations", items)


# --- localities, themes, the matrix --------------------------------------------------------


def locality_page(site: Site, record: Record) -> str:
    root = "../"
    name = _dict(record.get("name"))
    sub = " · ".join(esc(x) for x in (name.get("en"), name.get("pinyin"), record.get("level"), record.get("adcode")) if x)
    below = [r for r in site.localities() if r.get("parent") == record.id and site.counts.get(r.id)]
    here = [r for r in site.records if record.id in {a.id for a in site.cat.ancestors(r.get("locality") or "")}]
    parts = [
        f"<h1>{esc(_name(record) or record.id)}</h1>", f'<p class="sub">{sub}</p>',
        f'<p class="crumbs">{locality_chain(site, root, record.id)}</p>',
    ]
    if below:
        parts.append("<h2>Below</h2><ul>" + "".join(f"<li>{locality_link(root, r)} ({site.counts[r.id]})</li>" for r in below) + "</ul>")
    parts.append(f'<h2>Entries here and below <a class="filter" href="{index_href(root, locality=record.id)}">filter the index</a></h2>')
    parts.append(entry_list(site, here, root) if here else "<p>No entries.</p>")
    return page(site, root, _name(record) or record.id, "\n".join(parts), "locality")


def localities_index(site: Site) -> str:
    root = "../"
    items = [
        f'<li style="--depth:{depth}">{locality_link(root, r)} <span class="meta">{esc(_name(r, "en"))}</span> ({site.counts.get(r.id, 0)})</li>'
        for r, depth in _tree(site, with_empty=True)
    ]
    body = '<h1>Localities</h1>\n<ul class="tree">' + "\n".join(items) + "</ul>"
    return page(site, root, "Localities", body, "localities")


def theme_page(site: Site, record: Record) -> str:
    root = "../"
    members = [r for r in site.records if record.id in _list(r.get("themes"))]
    parts = [
        f"<h1>{esc(_name(record))}</h1>", f'<p class="sub" lang="en">{esc(_name(record, "en"))}</p>',
        f'<p lang="en">{esc(record.get("description"))}</p>',
        f'<h2>Entries <a class="filter" href="{index_href(root, theme=record.id)}">filter the index</a></h2>',
        entry_list(site, members, root) if members else "<p>No entries.</p>",
    ]
    return page(site, root, _name(record) or record.id, "\n".join(parts), "theme")


def themes_index(site: Site) -> str:
    root = "../"
    counts = {t.id: sum(t.id in _list(r.get("themes")) for r in site.records) for t in site.themes()}
    items = [
        f'<li>{theme_link(site, root, t.id)} <span class="meta" lang="en">{esc(_name(t, "en"))}</span> ({counts[t.id]})</li>'
        for t in site.themes()
    ]
    return page(site, root, "Themes", '<h1>Themes</h1>\n<ul class="themes">' + "\n".join(items) + "</ul>", "themes")


def matrix_page(site: Site) -> str:
    """Localities (each with everything below it) by themes; a cell opens the index filtered."""
    used = {t for r in site.records for t in _list(r.get("themes"))}
    themes = [t for t in site.themes() if t.id in used]
    counts: dict[tuple[str, str], int] = {}
    for record in site.records:
        for place in site.cat.ancestors(record.get("locality") or ""):
            for theme in set(_list(record.get("themes"))):
                counts[(place.id, theme)] = counts.get((place.id, theme), 0) + 1
    head = "".join(f'<th scope="col"><a href="themes/{esc(t.id)}.html">{esc(_name(t))}</a></th>' for t in themes)
    rows = []
    for place, depth in _tree(site):
        cells = []
        for theme in themes:
            n = counts.get((place.id, theme.id))
            link = f'<a href="{esc(index_href("", locality=place.id, theme=theme.id))}">{n}</a>' if n else ""
            cells.append(f'<td data-locality="{esc(place.id)}" data-theme="{esc(theme.id)}">{link}</td>')
        label = f'<th scope="row" style="--depth:{depth}"><a href="localities/{esc(place.id)}.html">{esc(_name(place))}</a></th>'
        rows.append(f"<tr>{label}{''.join(cells)}</tr>")
    body = (
        "<h1>Localities × themes</h1>\n<p>Each row counts the entries of a place and every place below it. "
        "A number opens the list of those entries.</p>\n"
        f'<div class="matrix-wrap"><table class="matrix"><thead><tr><th scope="col">Locality</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return page(site, "", "Matrix", body, "matrix")
