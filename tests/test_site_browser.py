"""The site in a real browser: headless Chromium opens it from file:// and does what a
reader does. The page must find what `polcat search` and `polcat list` find.

Skips where Chromium is not installed (see tests/browser.py); CI installs it and sets
POLCAT_REQUIRE_BROWSER=1 so that a missing browser fails there instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import chromium, missing
from support import invoke

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.query import Filters


def require_browser() -> None:
    reason = missing()
    if reason and os.environ.get("POLCAT_REQUIRE_BROWSER"):
        pytest.fail(f"POLCAT_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = invoke("site", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as driver:
        yield driver


def open_page(driver, site: Path, page: str, fragment: str = "") -> None:
    driver.get((site / page).as_uri() + fragment)


def shown(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#entries > li')).filter(li => !li.hidden).map(li => li.dataset.id)"
    )


def search_for(driver, text: str) -> list[str]:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    return shown(driver)


def wait_until(driver, condition, seconds: float = 5) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(condition)


def choose(driver, field: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, field)).select_by_value(value)


def test_index_opens_from_disk_with_every_entry_and_fetches_nothing(browser, site, cat):
    from selenium.webdriver.common.by import By

    open_page(browser, site, "index.html")
    entries = query.sort_entries(cat, cat.entries(), "locality")
    assert browser.current_url.startswith("file://")
    assert shown(browser) == [r.id for r in entries]
    assert browser.find_element(By.ID, "count").text == f"{len(entries)} entries"
    loaded = browser.execute_script(
        "return Array.from(document.querySelectorAll('[src], link[href]')).map(e => e.src || e.href)"
    )
    assert len(loaded) == 4 and all(url.startswith("file://") for url in loaded)  # css, lang, data, app
    assert browser.execute_script("return Object.keys(window.POLCAT.entries).length") == len(entries)
    assert browser.get_log("browser") == []  # no script errors


def test_filtering_by_theme_and_locality(browser, site, cat):
    from selenium.webdriver.common.by import By

    open_page(browser, site, "index.html")
    choose(browser, "theme", "collective-economy")
    expected = query.filter_entries(cat, Filters(themes=["collective-economy"]))
    assert set(shown(browser)) == {r.id for r in expected}
    assert browser.find_element(By.ID, "count").text == f"{len(expected)} of {len(cat.entries())} entries"
    assert browser.current_url.endswith("#theme=collective-economy")
    choose(browser, "locality", "guizhou")  # a province includes everything below it
    both = query.filter_entries(cat, Filters(themes=["collective-economy"], localities=["guizhou"]))
    assert set(shown(browser)) == {r.id for r in both} and 0 < len(both) < len(expected)
    browser.find_element(By.ID, "clear").click()
    wait_until(browser, lambda d: len(shown(d)) == len(cat.entries()))  # reset applies after the event


@pytest.mark.parametrize("text", ["三變", "三变", "san ding", "sānbiàn", "幹部定責", "1+X", "three fixes", "cadres"])
def test_search_finds_what_the_cli_finds(browser, site, cat, text):
    open_page(browser, site, "index.html")
    found = search_for(browser, text)
    expected = {hit.entry.id for hit in query.search(cat, text)}
    assert expected and set(found) == expected


def test_traditional_search_finds_the_simplified_entry(browser, site):
    open_page(browser, site, "index.html")
    assert "guizhou-sanbian" in search_for(browser, "三變")
    assert "#q=" in browser.current_url


def test_following_a_relation_link(browser, site, cat):
    from selenium.webdriver.common.by import By

    source = next(e for e in cat.entries() if e.relations)
    target = cat.mechanisms[source.relations[0].target]
    open_page(browser, site, f"entries/{source.id}.html")
    link = browser.find_element(By.CSS_SELECTOR, f'#relations a[href$="/{target.id}.html"]')
    link.click()
    assert browser.current_url.endswith(f"/entries/{target.id}.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(target.get("name")["zh"])
    back = browser.find_elements(By.CSS_SELECTOR, f'#relations a[href$="/{source.id}.html"]')
    assert back, "the target lists the inverse relation"


def test_a_matrix_cell_opens_the_index_filtered(browser, site, cat):
    from selenium.webdriver.common.by import By

    open_page(browser, site, "matrix.html")
    cell = browser.find_element(By.CSS_SELECTOR, 'td[data-locality="guizhou"][data-theme="cadre-accountability"] a')
    number = int(cell.text)
    cell.click()
    expected = query.filter_entries(cat, Filters(localities=["guizhou"], themes=["cadre-accountability"]))
    assert browser.current_url.split("#")[0].endswith("/index.html")
    assert browser.find_element(By.ID, "locality").get_attribute("value") == "guizhou"
    assert browser.find_element(By.ID, "theme").get_attribute("value") == "cadre-accountability"
    assert set(shown(browser)) == {r.id for r in expected} and len(expected) == number


def test_pages_fit_a_phone_screen(site):
    require_browser()
    with chromium(375, 800, phone=True) as phone:
        for page in ("index.html", "entries/guizhou-sanbian.html", "matrix.html", "localities/index.html"):
            open_page(phone, site, page)
            width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert viewport == 375 and width <= viewport, page
        size = phone.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)"
        )
        assert size >= 14


def test_text_uses_the_system_cjk_fonts(browser, site):
    open_page(browser, site, "entries/guizhou-sanbian.html")
    family = browser.execute_script("return getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"') and "Microsoft YaHei" in family


# --- the matrix: a heatmap that fits, with its header and place column in view -----------------


MATRIX_GEOMETRY = """
const wrap = document.querySelector('.matrix-wrap');
const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
return {
  page: document.documentElement.scrollWidth, viewport: window.innerWidth,
  wrap: Object.assign(box(wrap.getBoundingClientRect()), {
    scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, clientLeft: wrap.clientLeft,
    clientTop: wrap.clientTop, scrollLeft: wrap.scrollLeft, scrollTop: wrap.scrollTop}),
  heads: Array.from(document.querySelectorAll('thead th[data-theme]')).map(th => Object.assign(
    box(th.getBoundingClientRect()), {offset: th.offsetLeft, width: th.offsetWidth, title: th.title,
    text: th.innerText.trim()})),
  corner: box(document.querySelector('thead th.corner').getBoundingClientRect()),
  place: box(document.querySelector('tbody tr:first-child th').getBoundingClientRect()),
};
"""


def geometry(driver) -> dict:
    return driver.execute_script(MATRIX_GEOMETRY)


def scroll_matrix(driver, left: int | None = None, top: int | None = None) -> None:
    driver.execute_script(
        "const w = document.querySelector('.matrix-wrap');"
        "if (arguments[0] !== null) w.scrollLeft = arguments[0];"
        "if (arguments[1] !== null) w.scrollTop = arguments[1];",
        left,
        top,
    )


def test_every_theme_column_of_the_matrix_shows_at_1280(site, cat):
    require_browser()
    used = [t.id for t in cat.all_themes() if any(t.id in e.themes for e in cat.entries())]
    with chromium(1280, 800) as driver:
        open_page(driver, site, "matrix.html")
        g = geometry(driver)
        assert len(g["heads"]) == len(used) > 20
        assert g["page"] <= g["viewport"]  # the page itself never scrolls sideways
        assert g["wrap"]["right"] <= g["viewport"]
        for head, theme in zip(g["heads"], used, strict=True):
            # in view, or within the table's own sideways scroll (its frame is in view)
            assert head["right"] <= g["viewport"] or head["offset"] + head["width"] <= g["wrap"]["scrollWidth"]
            assert head["text"] and cat.theme(theme).name.en in head["title"]
            assert cat.theme(theme).name.zh in head["title"]
        assert g["wrap"]["scrollWidth"] <= g["wrap"]["clientWidth"]  # at 1280 none needs scrolling
        assert all(head["right"] <= g["viewport"] and head["left"] >= g["place"]["right"] - 1 for head in g["heads"])


def test_the_matrix_header_stays_on_top_when_the_table_scrolls(site):
    require_browser()
    with chromium(1280, 800) as driver:
        open_page(driver, site, "matrix.html")
        before = geometry(driver)
        scroll_matrix(driver, top=400)
        after = geometry(driver)
        assert after["wrap"]["scrollTop"] == 400  # the table scrolled, the page did not
        inner_top = after["wrap"]["top"] + after["wrap"]["clientTop"]
        assert abs(after["corner"]["top"] - inner_top) <= 1
        assert all(abs(head["top"] - inner_top) <= 1 for head in after["heads"])
        assert after["place"]["top"] < before["place"]["top"] - 300  # the rows moved under it


def test_on_a_phone_the_matrix_scrolls_sideways_with_the_place_column_fixed(site):
    require_browser()
    with chromium(390, 800, phone=True) as phone:
        open_page(phone, site, "matrix.html")
        before = geometry(phone)
        assert before["viewport"] == 390 and before["page"] <= 390  # the page fits; the table scrolls
        assert before["wrap"]["scrollWidth"] > before["wrap"]["clientWidth"]
        assert before["heads"][-1]["left"] > 390  # the last themes are off to the right …
        scroll_matrix(phone, left=before["wrap"]["scrollWidth"])
        after = geometry(phone)
        assert after["wrap"]["scrollLeft"] > 200
        inner_left = after["wrap"]["left"] + after["wrap"]["clientLeft"]
        assert abs(after["place"]["left"] - inner_left) <= 1  # … the place column stays put
        assert abs(after["corner"]["left"] - inner_left) <= 1
        last = after["heads"][-1]
        assert last["left"] >= after["place"]["right"] - 1 and last["right"] <= 390  # … and they come into view
        assert phone.execute_script("return window.scrollX") == 0


def test_the_matrix_is_a_heatmap_with_a_legend(browser, site):
    from selenium.webdriver.common.by import By

    from polcat.counts import heat_level

    open_page(browser, site, "matrix.html")
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('td')).map(td => "
        "[td.innerText.trim(), getComputedStyle(td).backgroundColor, getComputedStyle(td.querySelector('a') || td).color])"
    )
    shade_of: dict[int, str] = {}
    for number, background, _ in cells:
        level = heat_level(int(number)) if number else 0
        assert shade_of.setdefault(level, background) == background, (number, background)
    assert len(shade_of) == 6 and len(set(shade_of.values())) == 6  # none, and five distinct shades
    legend = browser.find_elements(By.CSS_SELECTOR, ".legend li")
    assert [item.text for item in legend] == ["1", "2–3", "4–7", "8–15", "16+"]
    swatches = browser.execute_script(
        "return Array.from(document.querySelectorAll('.legend li')).map(li => getComputedStyle(li).backgroundColor)"
    )
    assert swatches == [shade_of[i] for i in range(1, 6)]
    # dark shades carry white numbers, light ones dark numbers
    colors = {heat_level(int(n)): c for n, _, c in cells if n}
    assert colors[5] == "rgb(255, 255, 255)" and colors[1] == "rgb(0, 0, 0)"


# --- two languages ----------------------------------------------------------------------------


def nav(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "header.site nav:not(.lang) a")]


def switch_language(driver) -> None:
    from selenium.webdriver.common.by import By

    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "nav.lang a") if a.is_displayed()]
    assert len(links) == 1  # the other language's link only
    links[0].click()


def test_the_language_switch_changes_labels_and_theme_names_and_is_kept(browser, site, cat):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    theme = cat.theme("collective-economy")
    open_page(browser, site, "index.html", "#theme=collective-economy")
    assert nav(browser) == ["Entries", "Matrix", "Localities", "Themes"]
    assert Select(browser.find_element(By.ID, "theme")).first_selected_option.text == theme.name.en
    switch_language(browser)
    # the switch keeps the filters after '#'
    wait_until(browser, lambda d: "?lang=zh" in d.current_url)
    assert browser.current_url.endswith("index.html?lang=zh#theme=collective-economy")
    assert nav(browser) == ["条目", "矩阵", "地区", "主题"]
    assert Select(browser.find_element(By.ID, "theme")).first_selected_option.text == theme.name.zh
    assert browser.find_element(By.ID, "theme").get_attribute("value") == "collective-economy"
    expected = query.filter_entries(cat, Filters(themes=["collective-economy"]))
    assert browser.find_element(By.ID, "count").text == f"{len(cat.entries())} 条中的 {len(expected)} 条"
    assert "地方政策机制名录" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.CSS_SELECTOR, "label.search").text.startswith("搜索")

    browser.refresh()  # a reload keeps the language
    assert nav(browser) == ["条目", "矩阵", "地区", "主题"]

    browser.find_element(By.LINK_TEXT, "矩阵").click()  # so does following a link
    assert browser.current_url.endswith("matrix.html?lang=zh") and browser.title == "矩阵 · polcat"
    heads = browser.find_elements(By.CSS_SELECTOR, "thead th[data-theme]")
    used = [t for t in cat.all_themes() if any(t.id in e.themes for e in cat.entries())]
    assert [h.text.replace("\n", "") for h in heads] == [t.name.zh for t in used]
    assert browser.find_element(By.TAG_NAME, "h1").text == "地区 × 主题"

    browser.find_element(By.CSS_SELECTOR, 'thead th[data-theme="collective-economy"] a').click()
    assert browser.current_url.endswith("themes/collective-economy.html?lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == theme.name.zh
    field = cat.fields[theme.field]["name"]
    assert browser.find_element(By.CSS_SELECTOR, "p.sub + p.sub").text == f"政策领域: {field['zh']}"

    entry = browser.find_element(By.CSS_SELECTOR, "ul.entries a")
    entry.click()
    assert "?lang=zh" in browser.current_url and "/entries/" in browser.current_url
    labels = [dt.text for dt in browser.find_elements(By.CSS_SELECTOR, "dl.facts dt")]
    assert labels[:2] == ["编号", "地区"] and "主题" in labels
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section h2")]
    assert "来源" in headings and "Sources" not in headings

    switch_language(browser)  # and back
    assert "?lang=en" in browser.current_url
    assert "Sources" in [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section h2")]
    assert nav(browser) == ["Entries", "Matrix", "Localities", "Themes"]
    assert browser.get_log("browser") == []


def test_the_browser_language_is_the_default(site):
    require_browser()
    from selenium.webdriver.common.by import By

    with chromium(1280, 800, language="zh-CN") as driver:
        open_page(driver, site, "themes/index.html")
        assert nav(driver) == ["条目", "矩阵", "地区", "主题"]
        assert driver.find_element(By.TAG_NAME, "h1").text == "主题"
        open_page(driver, site, "themes/index.html", "?lang=en")  # the address wins
        assert driver.find_element(By.TAG_NAME, "h1").text == "Themes"
