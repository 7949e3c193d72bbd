"""`polcat site`: the files, their links, their content, escaping, and how it writes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from support import FIXTURE, invoke, run_polcat

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.chinese import simplify_chars


class Links(HTMLParser):
    """Every href and src of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def build(out: Path, *args: str, catalogue: Path = FIXTURE):
    result = invoke("site", str(out), "--catalogue", str(catalogue), *args)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(FIXTURE)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build(out)
    return out


def data_js(site: Path) -> dict:
    text = (site / "assets" / "data.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("window.POLCAT = ") + len("window.POLCAT = ") :].rstrip().rstrip(";"))


def test_a_page_per_entry_locality_and_theme(site, cat):
    for folder, ids in (
        ("entries", [r.id for r in cat.entries()]),
        ("localities", cat.localities),
        ("themes", cat.themes),
    ):
        assert sorted(p.stem for p in (site / folder).glob("*.html") if p.stem != "index") == sorted(ids)
    for name in (
        "index.html",
        "matrix.html",
        "assets/style.css",
        "assets/app.js",
        "assets/data.js",
        "data/entries.json",
        "data/entries.csv",
    ):
        assert (site / name).is_file(), name


def test_every_internal_link_resolves_and_nothing_is_fetched_from_the_web(site):
    pages = list(site.rglob("*.html"))
    checked = 0
    for page in pages:
        for tag, url in parse(page).links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                assert tag == "a", f"{page}: {tag} loads {url} from the web"
                continue
            assert not parts.scheme and not parts.netloc, url
            if parts.path:
                target = (page.parent / parts.path).resolve()
                assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
                checked += 1
    assert checked > 10 * len(pages) // 2


def test_index_lists_every_entry_with_its_filters(site, cat):
    html = (site / "index.html").read_text(encoding="utf-8")
    for entry in cat.entries():
        assert f'data-id="{entry.id}"' in html and entry.name.zh in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    for field in ("q", "locality", "theme", "kind", "year"):
        assert f'id="{field}"' in html


def test_entry_page_shows_names_components_quotes_sources_and_relations(site, cat):
    record = cat.mechanisms["chishui-sanding"]
    page = parse(site / "entries" / "chishui-sanding.html")
    text = "".join(page.text)
    for component in record.get("components"):
        assert component["zh"] in text and component["en"] in text
    for cite in record.get("sources"):
        assert cite["quote"] in text and cat.sources[cite["source"]].get("title") in text
    assert record.get("summary")["en"] in text and record.get("outcomes")[0]["quote"] in text
    hrefs = [url for _, url in page.links]
    assert "../entries/chishui-wubicha-wuchoucha.html" in hrefs  # has-part, as written
    assert "../localities/chishui.html" in hrefs and "../themes/evaluation.html" in hrefs


def test_derived_relations_and_same_names_link_back(site):
    part = parse(site / "entries" / "chishui-wubicha-wuchoucha.html")
    assert "../entries/chishui-sanding.html" in [url for _, url in part.links]
    assert "(derived)" in "".join(part.text)
    same = parse(site / "entries" / "chishui-1plusx.html")
    assert "../entries/taijiang-1plusx.html" in [url for _, url in same.links]
    assert "Same name elsewhere" in "".join(same.text)


def test_matrix_cells_link_to_the_index_filtered_to_their_entries(site, cat):
    cells = [url for _, url in parse(site / "matrix.html").links if url.startswith("index.html#")]
    assert cells
    html = (site / "matrix.html").read_text(encoding="utf-8")
    for url in cells:
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}
        expected = query.filter_entries(cat, query.Filters(localities=[params["locality"]], themes=[params["theme"]]))
        assert f'href="{url.replace("&", "&amp;")}">{len(expected)}</a>' in html


def test_search_data_is_folded_as_the_cli_folds(site, cat):
    data = data_js(site)
    assert set(data["entries"]) == {r.id for r in cat.entries()}
    shihu = data["entries"]["taijiang-shihu-yiti"]
    assert query.fold("十戶一體") in shihu["text"] and shihu["latin"] == "shihuyiti"
    assert shihu["loc"] == ["taijiang", "guizhou", "national"]
    # Every traditional character of the catalogue maps to its simplified form, and only
    # characters that differ are in the table.
    original = cat.mechanisms["taijiang-shihu-yiti"].get("name")["original"]
    for char in original:
        if simplify_chars(char) != char:
            assert data["t2s"][char] == simplify_chars(char)
    assert all(simplify_chars(t) == s != t for t, s in data["t2s"].items())


def test_catalogue_text_is_escaped_never_markup(tmp_path, mini):
    entry = mini / "mechanisms" / "alpha" / "chishui-sanding.yaml"
    text = entry.read_text(encoding="utf-8").replace("en: Three Fixes", 'en: "<script>alert(1)</script> & \\"x\\""')
    entry.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build(out, catalogue=mini)
    for page in (out / "entries" / "chishui-sanding.html", out / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in html


def test_filters_select_the_entries_and_links_stay_inside(tmp_path):
    out = tmp_path / "site"
    build(out, "--locality", "台江")
    assert sorted(p.stem for p in (out / "entries").glob("*.html")) == ["taijiang-1plusx", "taijiang-shihu-yiti"]
    page = (out / "entries" / "taijiang-1plusx.html").read_text(encoding="utf-8")
    assert "chishui-1plusx.html" not in page and '<span class="outside">1+X' in page


def test_writes_only_into_a_new_or_empty_folder(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run_polcat("site", str(out), "--catalogue", str(FIXTURE))
    assert refused.returncode == 2 and "not empty" in refused.stderr and "--force" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    forced = run_polcat("site", str(out), "--catalogue", str(FIXTURE), "--force")
    assert forced.returncode == 0 and "index.html" in forced.stderr and forced.stdout == ""
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine" and (out / "index.html").is_file()
    assert not list(out.rglob("*.tmp"))


def test_a_file_in_the_way_is_a_usage_error(tmp_path):
    target = tmp_path / "site"
    target.write_text("", encoding="utf-8")
    result = run_polcat("site", str(target), "--catalogue", str(FIXTURE))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_nothing_selected_writes_nothing(tmp_path):
    result = run_polcat("site", str(tmp_path / "site"), "--catalogue", str(FIXTURE), "--year", "1950")
    assert result.returncode == 1 and "no entries match" in result.stderr
    assert not (tmp_path / "site").exists()


def test_style_uses_system_cjk_fonts_and_a_phone_layout(site):
    css = (site / "assets" / "style.css").read_text(encoding="utf-8")
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC"' in css and '"Microsoft YaHei"' in css
    assert "@media (max-width:" in css and "@font-face" not in css and "url(" not in css


def test_theme_and_field_names_are_escaped_in_both_languages(tmp_path, mini):
    themes = mini / "themes.yaml"
    text = themes.read_text(encoding="utf-8")
    text = text.replace(
        "{zh: 考核评价, en: Evaluation}", """{zh: "考核<b>评价</b>", en: '<img src=x onerror=alert(1)> & "q"'}"""
    )
    text = text.replace("{zh: 党的建设, en: Party building}", '{zh: "党的<i>建设", en: "Party <i>building"}')
    themes.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build(out, catalogue=mini)
    pages = [out / "index.html", out / "matrix.html", out / "themes" / "evaluation.html", out / "themes" / "index.html"]
    pages.append(out / "entries" / "chishui-sanding.html")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<img" not in html and "<b>" not in html and "<i>" not in html, page
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;" in html, page
    theme_page = (out / "themes" / "evaluation.html").read_text(encoding="utf-8")
    assert '<span class="l-zh" lang="zh-Hans">考核&lt;b&gt;评价&lt;/b&gt;</span>' in theme_page
    assert "党的&lt;i&gt;建设" in theme_page and "Party &lt;i&gt;building" in theme_page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-zh="考核&lt;b&gt;评价&lt;/b&gt;"' in index  # the <option>'s Chinese text, as an attribute


def test_every_page_has_a_language_switch_to_itself_and_both_languages(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parsed = parse(page)
        assert ("a", f"{page.name}?lang=zh") in parsed.links and ("a", f"{page.name}?lang=en") in parsed.links
        assert ("script", f"{'../' if page.parent != site else ''}assets/lang.js") in parsed.links
        for english, chinese in (("Entries", "条目"), ("Matrix", "矩阵"), ("Localities", "地区"), ("Themes", "主题")):
            assert (
                f'<span class="l-en" lang="en">{english}</span><span class="l-zh" lang="zh-Hans">{chinese}</span>'
                in html
            )
    matrix = (site / "matrix.html").read_text(encoding="utf-8")
    assert '<title data-en="Matrix · polcat" data-zh="矩阵 · polcat">' in matrix


def test_matrix_cells_are_shaded_by_their_count(site, cat):
    from polcat.counts import heat_level

    html = (site / "matrix.html").read_text(encoding="utf-8")
    cells = re.findall(
        r'<td data-locality="([^"]+)" data-theme="([^"]+)"(?: class="heat-(\d)")?>(?:<a [^>]*>(\d+)</a>)?</td>', html
    )
    assert len(cells) == html.count("<td ")
    shaded = [(int(level), int(n)) for _, _, level, n in cells if n]
    assert shaded and all(level == heat_level(n) for level, n in shaded)
    assert all(not level for _, _, level, n in cells if not n)
    assert {level for level, _ in shaded} >= {1, 2}
    assert re.search(
        r'<div class="legend">.*<li class="heat-1">1</li><li class="heat-2">2–3</li>.*<li class="heat-5">16\+</li>',
        html,
    )
