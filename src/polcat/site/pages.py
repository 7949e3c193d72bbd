"""The HTML pages of the site. Every piece of catalogue text goes through :func:`esc`
(or :mod:`polcat.site.labels`, which escapes too): the catalogue is data, never markup.
The interface's words are in English and Chinese (:mod:`polcat.site.labels`)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from string import Template
from urllib.parse import urlencode

from polcat import __version__
from polcat.counts import heat_level, heat_ranges
from polcat.entryview import EntryView, entry_view
from polcat.model import Bilingual, Entry, Locality, Theme
from polcat.places import locality_name
from polcat.site.labels import UI, both, name, text_attrs, ui, value, value_attrs
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


def page(
    site: Site, root: str, title: str | tuple[str, str], body: str, kind: str, file: str, scripts: str = ""
) -> str:
    """A whole page; ``root`` leads from the page back to the site's top ('' or '../'),
    ``file`` is the page's own file name (for the language switch); ``title`` is catalogue
    text, or the interface's words in (English, Chinese)."""
    n = len(site.entries)
    english, chinese = (title, title) if isinstance(title, str) else title

    def full(text: str) -> str:
        return f"{text} · {site.title}" if text != site.title else text

    return Template(asset("page.html")).substitute(
        version=esc(__version__ + (f", catalogue {info.version}" if (info := site.cat.info()) else "")),
        title=esc(full(english)),
        title_attrs=text_attrs(full(english), full(chinese)) if english != chinese else "",
        root=root,
        page=esc(kind),
        file=esc(file),
        site_title=esc(site.title),
        body=body,
        scripts=scripts,
        nav="\n".join(
            f'<a href="{root}{href}">{ui(key)}</a>'
            for key, href in (
                ("entries", "index.html"),
                ("matrix", "matrix.html"),
                ("localities", "localities/index.html"),
                ("themes", "themes/index.html"),
            )
        ),
        generated=ui("generated"),
        data=ui("data"),
        count=both(f"{n} {'entry' if n == 1 else 'entries'}", f"共 {n} 条"),
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
    """A link to a theme's page, its name in the reader's language."""
    theme = site.cat.theme(theme_id)
    if theme is None:
        return esc(theme_id)
    return f'<a href="{root}themes/{esc(theme_id)}.html">{name(theme.name)}</a>'


def locality_chain(site: Site, root: str, locality_id: str | None) -> str:
    chain = [p for p in reversed(site.cat.chain(locality_id)) if p.level != "national"]
    chain = chain or site.cat.chain(locality_id)[:1]
    return " › ".join(locality_link(root, p) for p in chain) if chain else esc(locality_id)


def entry_list(site: Site, entries: Iterable[Entry], root: str, element_id: str | None = None) -> str:
    """A list of entries: name, English name, place, kind, year."""
    items = []
    for entry in entries:
        meta = " · ".join(
            x for x in (esc(locality_name(site.cat, entry.locality)), value(entry.kind), esc(entry.year or "")) if x
        )
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
    body = f"""<h1>{esc(site.title)}: {ui("heading")}</h1>
<form id="filters" class="filters" role="search">
<label class="search">{ui("search")} <input type="search" id="q" name="q" placeholder="三變 · san ding · 1+X · cadre" autocomplete="off"></label>
<label>{ui("locality")} <select id="locality" name="locality">{_locality_options(site)}</select></label>
<label class="theme">{ui("theme")} <select id="theme" name="theme">{_options(site, "theme")}</select></label>
<label>{ui("kind")} <select id="kind" name="kind">{_options(site, "kind")}</select></label>
<label>{ui("year")} <select id="year" name="year">{_options(site, "year")}</select></label>
<button type="reset" id="clear">{ui("clear")}</button>
</form>
<p id="count" class="count" aria-live="polite">{n} {"entry" if n == 1 else "entries"}</p>
{entry_list(site, site.entries, "", "entries")}
<p id="none" hidden>{ui("no-match")} <a href="index.html#">{ui("clear-filters")}</a>.</p>"""
    scripts = '<script src="assets/data.js"></script>\n<script src="assets/app.js"></script>'
    return page(site, "", site.title, body, "index", "index.html", scripts)


def _options(site: Site, field: str) -> str:
    """<option>s for the theme, kind or year filter: the values the entries use."""
    values: list[tuple[str, str, str]]  # (value, label, data-en/data-zh attributes)
    if field == "theme":
        used = {t for e in site.entries for t in e.themes}
        values = [(t.id, t.name.en or t.name.zh, _name_attrs(t.name)) for t in site.themes() if t.id in used]
    elif field == "kind":
        values = [(k, k, value_attrs(k)) for k in sorted({e.kind for e in site.entries if e.kind})]
    else:
        years = sorted({e.year for e in site.entries if e.year is not None})
        values = [(str(y), str(y), "") for y in years]
    return _all_option() + "".join(
        f'<option value="{esc(v)}"{attrs}>{esc(label)}</option>' for v, label, attrs in values
    )


def _all_option() -> str:
    return f'<option value=""{text_attrs(*UI["all"])}>{esc(UI["all"][0])}</option>'


def _name_attrs(names: Bilingual) -> str:
    return text_attrs(names.en or names.zh, names.zh)


def _locality_options(site: Site) -> str:
    """Localities holding entries, as an indented tree: choosing one includes those below."""
    options = [_all_option()]
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
    parts.append(_section("same-name", same))
    notes = [f'<p lang="en">{esc(entry.notes)}</p>'] if entry.notes else []
    parts.append(_section("notes", notes, None))
    return page(site, root, entry.label, "\n".join(p for p in parts if p), "entry", f"{entry.id}.html")


def _facts(site: Site, view: EntryView, root: str) -> str:
    entry = view.entry
    themes = ", ".join(theme_link(site, root, t) for t in entry.themes)
    origin = entry.origin
    origin_html = ""
    if origin is not None:
        origin_html = value(origin.basis) + (
            ": " + locality_chain(site, root, origin.locality) if origin.locality else ""
        )
        origin_html += f' <span class="note">{esc(origin.note)}</span>' if origin.note else ""
    rows = [
        ("id", f"<code>{esc(entry.id)}</code>"),
        ("fact-locality", locality_chain(site, root, entry.locality) if entry.locality else ""),
        ("origin", origin_html),
        ("level", value(entry.level)),
        ("fact-kind", value(entry.kind)),
        ("fact-year", esc(entry.year) if entry.year is not None else ""),
        ("fact-themes", themes),
        ("aliases", esc("、".join(entry.aliases))),
        ("status", value(entry.status)),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{ui(k)}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>"


def _summary(entry: Entry) -> str:
    summary = entry.summary
    paras = [f'<p lang="zh-Hans">{esc(summary.zh)}</p>', f'<p lang="en">{esc(summary.en)}</p>'] if summary else []
    return _section("summary", paras, None)


def _section(key: str, items: list[str], list_tag: str | None = "ul") -> str:
    """A section of the entry page, ``key`` its id and its title's key in :data:`UI`;
    nothing at all when there are no items."""
    if not items:
        return ""
    body = f"<{list_tag}>{''.join(items)}</{list_tag}>" if list_tag else "".join(items)
    return f'<section id="{key}"><h2>{ui(key)}</h2>{body}</section>'


def _components(view: EntryView) -> str:
    items = []
    for comp in view.components:
        detail = f'<div class="detail">{esc(comp.detail)}</div>' if comp.detail else ""
        items.append(f'<li><span class="zh">{esc(comp.zh)}</span> — <span lang="en">{esc(comp.en)}</span>{detail}</li>')
    return _section("components", items, "ol")


def _outcomes(view: EntryView) -> str:
    items = [
        f"<li>{esc(o.indicator)}: <strong>{esc(o.value)}{esc(o.unit or '')}</strong>"
        f"<blockquote>{esc(o.quote)}</blockquote></li>"
        for o in view.outcomes
    ]
    return _section("outcomes", items)


def _quotes(site: Site, view: EntryView) -> str:
    quotes = [
        f'<figure class="quote"><blockquote>{esc(cite.quote)}</blockquote>'
        f"<figcaption>{source_citation(site, cite.source)}</figcaption></figure>"
        for cite in view.citations
    ]
    return _section("sources", quotes, None)


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
        f'<li><span class="rel">{value(link.type)}</span> {entry_link(site, root, link.target)}'
        + (f' <span class="derived">{ui("derived")}</span>' if link.derived else "")
        + (f' <span class="note">{esc(link.note)}</span>' if link.note else "")
        + "</li>"
        for link in view.links
    ]
    return _section("relations", items)


# --- localities, themes, the matrix --------------------------------------------------------


def locality_page(site: Site, place: Locality) -> str:
    root = "../"
    sub = " · ".join(
        x for x in (esc(place.name.en), esc(place.name.pinyin), value(place.level), esc(place.adcode)) if x
    )
    below = [p for p in site.localities() if p.parent == place.id and site.counts.get(p.id)]
    here = [e for e in site.entries if place.id in {a.id for a in site.cat.chain(e.locality)}]
    parts = [
        f"<h1>{esc(place.label)}</h1>",
        f'<p class="sub">{sub}</p>',
        f'<p class="crumbs">{locality_chain(site, root, place.id)}</p>',
    ]
    if below:
        parts.append(
            f"<h2>{ui('below')}</h2><ul>"
            + "".join(f"<li>{locality_link(root, p)} ({site.counts[p.id]})</li>" for p in below)
            + "</ul>"
        )
    parts.append(
        f'<h2>{ui("here-and-below")} <a class="filter" href="{index_href(root, locality=place.id)}">{ui("filter-index")}</a></h2>'
    )
    parts.append(entry_list(site, here, root) if here else f"<p>{ui('no-entries')}</p>")
    return page(site, root, place.label, "\n".join(parts), "locality", f"{place.id}.html")


def localities_index(site: Site) -> str:
    root = "../"
    items = [
        f'<li style="--depth:{depth}">{locality_link(root, p)} <span class="meta">{esc(p.name.en or "")}</span> ({site.counts.get(p.id, 0)})</li>'
        for p, depth in _tree(site, with_empty=True)
    ]
    body = f'<h1>{ui("localities")}</h1>\n<ul class="tree">' + "\n".join(items) + "</ul>"
    return page(site, root, UI["localities"], body, "localities", "index.html")


def theme_page(site: Site, theme: Theme) -> str:
    """A theme: its name in the reader's language (the other one below), its policy field,
    description and entries."""
    root = "../"
    members = [e for e in site.entries if theme.id in e.themes]
    field = site.cat.fields.get(theme.field)
    field_line = (
        f'<p class="sub">{ui("field")}: {name(Bilingual(field["name"]["zh"], field["name"]["en"]))}</p>'
        if field
        else ""
    )
    other = both(theme.name.zh, theme.name.en or theme.name.zh)  # the name in the other language
    parts = [
        f"<h1>{name(theme.name)}</h1>",
        f'<p class="sub">{other}</p>',
        field_line,
        f'<p lang="en">{esc(theme.description)}</p>',
        f'<h2>{ui("theme-entries")} <a class="filter" href="{index_href(root, theme=theme.id)}">{ui("filter-index")}</a></h2>',
        entry_list(site, members, root) if members else f"<p>{ui('no-entries')}</p>",
    ]
    title = (theme.name.en or theme.name.zh, theme.name.zh)
    return page(site, root, title, "\n".join(p for p in parts if p), "theme", f"{theme.id}.html")


def themes_index(site: Site) -> str:
    root = "../"
    counts = {t.id: sum(t.id in e.themes for e in site.entries) for t in site.themes()}
    items = [
        f'<li>{theme_link(site, root, t.id)} <span class="meta">{both(t.name.zh, t.name.en or t.name.zh)}</span> ({counts[t.id]})</li>'
        for t in site.themes()
    ]
    body = f'<h1>{ui("themes")}</h1>\n<ul class="themes">' + "\n".join(items) + "</ul>"
    return page(site, root, UI["themes"], body, "themes", "index.html")


def matrix_page(site: Site) -> str:
    """Localities (each with everything below it) by themes; a cell opens the index
    filtered. A heatmap: each cell is shaded by its count (:func:`polcat.counts.heat_level`,
    as ``polcat matrix`` on a terminal), the number printed in it. The header row and the
    place column stay in view while the table scrolls (style.css)."""
    used = {t for e in site.entries for t in e.themes}
    themes = [t for t in site.themes() if t.id in used]
    counts: dict[tuple[str, str], int] = {}
    for entry in site.entries:
        for place in site.cat.chain(entry.locality):
            for theme_id in set(entry.themes):
                counts[(place.id, theme_id)] = counts.get((place.id, theme_id), 0) + 1
    head = "".join(
        f'<th scope="col" data-theme="{esc(t.id)}" title="{esc(t.name.zh)} · {esc(t.name.en)}">'
        f'<a href="themes/{esc(t.id)}.html">{name(t.name)}</a></th>'
        for t in themes
    )
    rows = []
    for place, depth in _tree(site):
        cells = []
        for theme in themes:
            n = counts.get((place.id, theme.id))
            link = f'<a href="{esc(index_href("", locality=place.id, theme=theme.id))}">{n}</a>' if n else ""
            shade = f' class="heat-{heat_level(n)}"' if n else ""
            cells.append(f'<td data-locality="{esc(place.id)}" data-theme="{esc(theme.id)}"{shade}>{link}</td>')
        label = f'<th scope="row" style="--depth:{depth}"><a href="localities/{esc(place.id)}.html">{esc(place.label)}</a></th>'
        rows.append(f"<tr>{label}{''.join(cells)}</tr>")
    legend = "".join(
        f'<li class="heat-{level}">{low}{"" if high == low else ("+" if high is None else f"–{high}")}</li>'
        for level, (low, high) in enumerate(heat_ranges(), 1)
    )
    body = (
        f"<h1>{ui('matrix-title')}</h1>\n<p>{ui('matrix-intro')}</p>\n"
        f'<div class="legend"><span>{ui("legend")}</span><ul>{legend}</ul></div>\n'
        f'<div class="matrix-wrap" tabindex="0"><table class="matrix"><thead><tr><th scope="col" class="corner">{ui("locality")}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return page(site, "", UI["matrix"], body, "matrix", "matrix.html")
