"""The HTML pages of the site. Every piece of catalogue text goes through :func:`esc`:
the catalogue is data, never markup."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from string import Template
from urllib.parse import urlencode

from polcat import __version__
from polcat.entryview import EntryView, entry_view
from polcat.model import Entry, Locality, Theme
from polcat.places import locality_name
from polcat.site.model import Site, asset


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render_all(site: Site) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) for every page."""
    yield "index.html", index_page(site)
    yield "matrix.html", matrix_page(site)
    yield "localities/index.html", localities_index(site)
    yield "themes/index.html", themes_index(site)
    for entry in site.entries:
        yield f"entries/{entry.id}.html", entry_page(site, entry)
    for place in site.localities():
        yield f"localities/{place.id}.html", locality_page(site, place)
    for theme in site.themes():
        yield f"themes/{theme.id}.html", theme_page(site, theme)


def page(site: Site, root: str, title: str, body: str, kind: str, scripts: str = "") -> str:
    """A whole page; ``root`` leads from the page back to the site's top ('' or '../')."""
    n = len(site.entries)
    return Template(asset("page.html")).substitute(
        version=esc(__version__ + (f", catalogue {info.version}" if (info := site.cat.info()) else "")),
        title=esc(f"{title} · {site.title}" if title != site.title else title),
        root=root,
        page=esc(kind),
        site_title=esc(site.title),
        body=body,
        scripts=scripts,
        count=f"{n} {'entry' if n == 1 else 'entries'}",
    )


# --- links ----------------------------------------------------------------------------


def index_href(root: str, **params: str) -> str:
    """The index with its filters set: the filters read the part after '#'."""
    return f"{root}index.html" + ("#" + urlencode(params) if params else "")


def entry_link(site: Site, root: str, entry_id: str, text: str | None = None) -> str:
    entry = site.cat.entry(entry_id)
    label = text or (f"{entry.label} ({locality_name(site.cat, entry.locality)})" if entry else entry_id)
    if entry_id not in site.ids:  # outside this site (filtered out, or missing): no dead link
        return f'<span class="outside">{esc(label)}</span>'
    return f'<a href="{root}entries/{esc(entry_id)}.html">{esc(label)}</a>'


def locality_link(root: str, place: Locality) -> str:
    return f'<a href="{root}localities/{esc(place.id)}.html">{esc(place.label)}</a>'


def theme_link(site: Site, root: str, theme_id: str) -> str:
    theme = site.cat.theme(theme_id)
    if theme is None:
        return esc(theme_id)
    return f'<a href="{root}themes/{esc(theme_id)}.html">{esc(theme.name.zh)}</a>'


def locality_chain(site: Site, root: str, locality_id: str | None) -> str:
    chain = [p for p in reversed(site.cat.chain(locality_id)) if p.level != "national"]
    chain = chain or site.cat.chain(locality_id)[:1]
    return " › ".join(locality_link(root, p) for p in chain) if chain else esc(locality_id)


def entry_list(site: Site, entries: Iterable[Entry], root: str, element_id: str | None = None) -> str:
    """A list of entries: name, English name, place, kind, year."""
    items = []
    for entry in entries:
        meta = " · ".join(esc(x) for x in (locality_name(site.cat, entry.locality), entry.kind, entry.year) if x)
        items.append(
            f'<li data-id="{esc(entry.id)}"><a href="{root}entries/{esc(entry.id)}.html">'
            f'<span class="zh">{esc(entry.label)}</span></a>'
            + (f' <span class="en" lang="en">{esc(entry.name.en)}</span>' if entry.name.en else "")
            + f' <span class="meta">{meta}</span></li>'
        )
    attr = f' id="{element_id}"' if element_id else ""
    return f'<ul class="entries"{attr}>\n' + "\n".join(items) + "\n</ul>"


# --- the index --------------------------------------------------------------------------


def index_page(site: Site) -> str:
    n = len(site.entries)
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
{entry_list(site, site.entries, "", "entries")}
<p id="none" hidden>No entry matches. <a href="index.html#">Clear the filters</a>.</p>"""
    scripts = '<script src="assets/data.js"></script>\n<script src="assets/app.js"></script>'
    return page(site, "", site.title, body, "index", scripts)


def _options(site: Site, field: str) -> str:
    """<option>s for the theme, kind or year filter: the values the entries use."""
    if field == "theme":
        used = {t for e in site.entries for t in e.themes}
        values = [(t.id, f"{t.name.zh} · {t.name.en}") for t in site.themes() if t.id in used]
    elif field == "kind":
        values = [(k, k) for k in sorted({e.kind for e in site.entries if e.kind})]
    else:
        years = sorted({e.year for e in site.entries if e.year is not None})
        values = [(str(y), str(y)) for y in years]
    return '<option value="">All</option>' + "".join(
        f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values
    )


def _locality_options(site: Site) -> str:
    """Localities holding entries, as an indented tree: choosing one includes those below."""
    options = ['<option value="">All</option>']
    for place, depth in _tree(site):
        indent = "\u00a0\u00a0" * depth
        options.append(f'<option value="{esc(place.id)}">{indent}{esc(place.label)} ({site.counts[place.id]})</option>')
    return "".join(options)


def _tree(site: Site, with_empty: bool = False) -> list[tuple[Locality, int]]:
    """Localities depth first, with their depth; only those holding entries unless ``with_empty``."""
    places = [p for p in site.localities() if with_empty or site.counts.get(p.id)]
    known = {p.id for p in places}
    children: dict[str | None, list[Locality]] = {}
    for place in places:
        parent = place.parent if place.parent in known else None
        children.setdefault(parent, []).append(place)
    out: list[tuple[Locality, int]] = []
    stack = [(p, 0) for p in reversed(children.get(None, []))]
    while stack:
        place, depth = stack.pop()
        out.append((place, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(place.id, [])))
    return out


# --- one mechanism ------------------------------------------------------------------------


def entry_page(site: Site, entry: Entry) -> str:
    root = "../"
    view = entry_view(site.cat, entry)
    name = entry.name
    heading = esc(entry.label) + (
        f' <span class="original">({esc(name.original)})</span>'
        if name.original and name.original != entry.label
        else ""
    )
    sub = " · ".join(
        f'<span lang="{lang}">{esc(value)}</span>'
        for value, lang in ((name.pinyin, "zh-Latn"), (name.en, "en"))
        if value
    )
    parts = [f"<h1>{heading}</h1>", f'<p class="sub">{sub}</p>' if sub else "", _facts(site, view, root)]
    parts += [_summary(entry), _components(view), _outcomes(view), _quotes(site, view), _relations(site, view, root)]
    same = [f"<li>{entry_link(site, root, o.id)}</li>" for o in view.same_name]
    parts.append(_section("same-name", "Same name elsewhere", same))
    notes = [f'<p lang="en">{esc(entry.notes)}</p>'] if entry.notes else []
    parts.append(_section("notes", "Notes", notes, None))
    return page(site, root, entry.label, "\n".join(p for p in parts if p), "entry")


def _facts(site: Site, view: EntryView, root: str) -> str:
    entry = view.entry
    themes = ", ".join(theme_link(site, root, t) for t in entry.themes)
    origin = entry.origin
    origin_html = ""
    if origin is not None:
        origin_html = esc(origin.basis) + (
            ": " + locality_chain(site, root, origin.locality) if origin.locality else ""
        )
        origin_html += f' <span class="note">{esc(origin.note)}</span>' if origin.note else ""
    rows = [
        ("id", f"<code>{esc(entry.id)}</code>"),
        ("locality", locality_chain(site, root, entry.locality) if entry.locality else ""),
        ("origin", origin_html),
        ("level", esc(entry.level) if entry.level else ""),
        ("kind", esc(entry.kind) if entry.kind else ""),
        ("year", esc(entry.year) if entry.year is not None else ""),
        ("themes", themes),
        ("aliases", esc("、".join(entry.aliases))),
        ("status", esc(entry.status)),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>"


def _summary(entry: Entry) -> str:
    summary = entry.summary
    paras = [f'<p lang="zh-Hans">{esc(summary.zh)}</p>', f'<p lang="en">{esc(summary.en)}</p>'] if summary else []
    return _section("summary", "Summary", paras, None)


def _section(section_id: str, title: str, items: list[str], list_tag: str | None = "ul") -> str:
    """A titled section of the entry page; nothing at all when there are no items."""
    if not items:
        return ""
    body = f"<{list_tag}>{''.join(items)}</{list_tag}>" if list_tag else "".join(items)
    return f'<section id="{section_id}"><h2>{title}</h2>{body}</section>'


def _components(view: EntryView) -> str:
    items = []
    for comp in view.components:
        detail = f'<div class="detail">{esc(comp.detail)}</div>' if comp.detail else ""
        items.append(f'<li><span class="zh">{esc(comp.zh)}</span> — <span lang="en">{esc(comp.en)}</span>{detail}</li>')
    return _section("components", "Components", items, "ol")


def _outcomes(view: EntryView) -> str:
    items = [
        f"<li>{esc(o.indicator)}: <strong>{esc(o.value)}{esc(o.unit or '')}</strong>"
        f"<blockquote>{esc(o.quote)}</blockquote></li>"
        for o in view.outcomes
    ]
    return _section("outcomes", "Outcomes", items)


def _quotes(site: Site, view: EntryView) -> str:
    quotes = [
        f'<figure class="quote"><blockquote>{esc(cite.quote)}</blockquote>'
        f"<figcaption>{source_citation(site, cite.source)}</figcaption></figure>"
        for cite in view.citations
    ]
    return _section("sources", "Sources", quotes, None)


def source_citation(site: Site, source_id: str | None) -> str:
    """Title (a link when the source has a web address), publisher, author, date."""
    source = site.cat.source(source_id)
    if source is None:
        return f"<code>{esc(source_id)}</code>"
    title = esc(source.title)
    url = source.url
    if url and url.startswith(("https://", "http://")):  # never javascript: and the like
        title = f'<a href="{esc(url)}" rel="noopener">{title}</a>'
    rest = [esc(x) for x in (source.publisher, source.author, source.date) if x]
    return ", ".join([title, *rest]) + f" <code>[{esc(source_id)}]</code>"


def _relations(site: Site, view: EntryView, root: str) -> str:
    items = [
        f'<li><span class="rel">{esc(link.type)}</span> {entry_link(site, root, link.target)}'
        + (' <span class="derived">(derived)</span>' if link.derived else "")
        + (f' <span class="note">{esc(link.note)}</span>' if link.note else "")
        + "</li>"
        for link in view.links
    ]
    return _section("relations", "Relations", items)


# --- localities, themes, the matrix --------------------------------------------------------


def locality_page(site: Site, place: Locality) -> str:
    root = "../"
    sub = " · ".join(esc(x) for x in (place.name.en, place.name.pinyin, place.level, place.adcode) if x)
    below = [p for p in site.localities() if p.parent == place.id and site.counts.get(p.id)]
    here = [e for e in site.entries if place.id in {a.id for a in site.cat.chain(e.locality)}]
    parts = [
        f"<h1>{esc(place.label)}</h1>",
        f'<p class="sub">{sub}</p>',
        f'<p class="crumbs">{locality_chain(site, root, place.id)}</p>',
    ]
    if below:
        parts.append(
            "<h2>Below</h2><ul>"
            + "".join(f"<li>{locality_link(root, p)} ({site.counts[p.id]})</li>" for p in below)
            + "</ul>"
        )
    parts.append(
        f'<h2>Entries here and below <a class="filter" href="{index_href(root, locality=place.id)}">filter the index</a></h2>'
    )
    parts.append(entry_list(site, here, root) if here else "<p>No entries.</p>")
    return page(site, root, place.label, "\n".join(parts), "locality")


def localities_index(site: Site) -> str:
    root = "../"
    items = [
        f'<li style="--depth:{depth}">{locality_link(root, p)} <span class="meta">{esc(p.name.en or "")}</span> ({site.counts.get(p.id, 0)})</li>'
        for p, depth in _tree(site, with_empty=True)
    ]
    body = '<h1>Localities</h1>\n<ul class="tree">' + "\n".join(items) + "</ul>"
    return page(site, root, "Localities", body, "localities")


def theme_page(site: Site, theme: Theme) -> str:
    root = "../"
    members = [e for e in site.entries if theme.id in e.themes]
    field = site.cat.fields.get(theme.field)
    field_line = f'<p class="sub">{esc(field["name"]["zh"])} · {esc(field["name"]["en"])}</p>' if field else ""
    parts = [
        f"<h1>{esc(theme.name.zh)}</h1>",
        f'<p class="sub" lang="en">{esc(theme.name.en)}</p>',
        field_line,
        f'<p lang="en">{esc(theme.description)}</p>',
        f'<h2>Entries <a class="filter" href="{index_href(root, theme=theme.id)}">filter the index</a></h2>',
        entry_list(site, members, root) if members else "<p>No entries.</p>",
    ]
    return page(site, root, theme.name.zh, "\n".join(p for p in parts if p), "theme")


def themes_index(site: Site) -> str:
    root = "../"
    counts = {t.id: sum(t.id in e.themes for e in site.entries) for t in site.themes()}
    items = [
        f'<li>{theme_link(site, root, t.id)} <span class="meta" lang="en">{esc(t.name.en)}</span> ({counts[t.id]})</li>'
        for t in site.themes()
    ]
    return page(site, root, "Themes", '<h1>Themes</h1>\n<ul class="themes">' + "\n".join(items) + "</ul>", "themes")


def matrix_page(site: Site) -> str:
    """Localities (each with everything below it) by themes; a cell opens the index filtered."""
    used = {t for e in site.entries for t in e.themes}
    themes = [t for t in site.themes() if t.id in used]
    counts: dict[tuple[str, str], int] = {}
    for entry in site.entries:
        for place in site.cat.chain(entry.locality):
            for theme_id in set(entry.themes):
                counts[(place.id, theme_id)] = counts.get((place.id, theme_id), 0) + 1
    head = "".join(f'<th scope="col"><a href="themes/{esc(t.id)}.html">{esc(t.name.zh)}</a></th>' for t in themes)
    rows = []
    for place, depth in _tree(site):
        cells = []
        for theme in themes:
            n = counts.get((place.id, theme.id))
            link = f'<a href="{esc(index_href("", locality=place.id, theme=theme.id))}">{n}</a>' if n else ""
            cells.append(f'<td data-locality="{esc(place.id)}" data-theme="{esc(theme.id)}">{link}</td>')
        label = f'<th scope="row" style="--depth:{depth}"><a href="localities/{esc(place.id)}.html">{esc(place.label)}</a></th>'
        rows.append(f"<tr>{label}{''.join(cells)}</tr>")
    body = (
        "<h1>Localities × themes</h1>\n<p>Each row counts the entries of a place and every place below it. "
        "A number opens the list of those entries.</p>\n"
        f'<div class="matrix-wrap"><table class="matrix"><thead><tr><th scope="col">Locality</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return page(site, "", "Matrix", body, "matrix")
