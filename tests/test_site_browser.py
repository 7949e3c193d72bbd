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
