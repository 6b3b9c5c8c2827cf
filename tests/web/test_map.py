"""The map page end to end: Playwright drives Debian's Chromium (headless) against `eventwatch serve`'s
application on 127.0.0.1, on a database coded from the seeds, the FA-KES development sample and an
article carrying a <script>. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SEED000 = "000_19109e5cf8b1b5c5"


@pytest.fixture
def page(browser, server):
    # bypass_csp: the tests' own wait_for_function expressions are evaluated as strings, which the page's
    # Content-Security-Policy forbids; tests/robustness/test_csp_map.py loads the map with the policy on.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def api(server, path):
    from fastapi.testclient import TestClient

    return TestClient(server[1]).get(path).json()


def open_map(page, server, query=""):
    page.goto(f"{server[0]}/{query}")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)


def news_features(server, query=""):
    return api(server, f"/api/events?format=geojson&limit=1000&background=false{query}")["features"]


def wait_loaded(page):
    page.wait_for_function("document.body.dataset.loading === 'false'", polling=100)


def test_every_news_event_is_on_the_map_in_clusters_that_split_on_zoom(page, server):
    open_map(page, server)
    features = news_features(server)
    placed = [f for f in features if f["geometry"]]
    assert len(placed) > 30 and any(f["properties"].get("placed_at") == "admin1" for f in placed)
    status = page.locator("#status")
    assert status.get_attribute("data-markers") == str(len(placed)) == status.get_attribute("data-total")
    assert page.locator("#chart rect.bar").count() > 5 and page.locator("#chart text").count() >= 2  # bars, axis
    clusters = page.locator(".marker-cluster")
    assert clusters.count() >= 1
    shot(page, "map-clusters")
    # zoom into the biggest cluster: it splits into smaller clusters and single events
    biggest = max(int(t) for t in clusters.all_text_contents())
    page.evaluate("""() => {
        const {clusters, map} = window.eventwatch;
        let best = null;
        clusters._featureGroup.eachLayer((l) => { if (l.getChildCount && (!best || l.getChildCount() > best.getChildCount())) best = l; });
        map.setView(best.getLatLng(), 11, {animate: false});
    }""")
    page.wait_for_timeout(600)
    parts = [int(t) for t in clusters.all_text_contents()] + [1] * page.locator(".event-marker").count()
    assert len(parts) >= 2 and max(int(t) for t in clusters.all_text_contents() or ["1"]) < biggest
    shot(page, "map-zoomed")
    assert page.errors == []


def test_selecting_a_type_filters_the_markers_and_the_url(page, server):
    open_map(page, server)
    page.select_option("select[name=event_type]", "Battles")
    page.wait_for_function("location.search.includes('event_type=Battles')", polling=100)
    wait_loaded(page)
    expected = sum(1 for f in news_features(server, "&event_type=Battles") if f["geometry"])
    page.wait_for_function(f"document.querySelector('#status').dataset.markers === '{expected}'", polling=100)
    assert expected < len(news_features(server))
    shot(page, "filtered-battles")
    url = page.url
    open_map(page, server, "?" + url.split("?", 1)[1])
    assert page.locator("select[name=event_type]").input_value() == "Battles"
    assert page.locator("#status").get_attribute("data-markers") == str(expected)


def test_a_search_by_an_everyday_spelling_finds_the_events(page, server):
    open_map(page, server)
    page.fill("input[name=q]", "Khan Sheikhoun")
    page.press("input[name=q]", "Enter")
    page.wait_for_function("location.search.includes('q=Khan')", polling=100)
    wait_loaded(page)
    expected = api(server, "/api/events?q=Khan+Sheikhoun&background=false&limit=1")["total"]
    assert expected > 0
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{expected}'", polling=100)
    shot(page, "search-khan-sheikhoun")
    open_map(page, server, "?admin1=Idlib")
    assert int(page.locator("#status").get_attribute("data-total")) == api(
        server, "/api/events?admin1=Idleb&background=false&limit=1")["total"] > 0
    open_map(page, server, "?admin1=Idlob")
    page.wait_for_selector("#hint:not([hidden])")
    assert "did you mean Idleb?" in page.locator("#hint").text_content()


def test_the_table_is_in_sync_with_the_map(page, server):
    open_map(page, server)
    rows = page.locator("#events-table tbody tr")
    assert 0 < rows.count() <= 25
    in_view = int(page.locator("#list-count").get_attribute("data-count"))
    assert in_view == page.evaluate("""() => {
        const {map, state} = window.eventwatch; const b = map.getBounds();
        return state.features.filter(f => f.geometry && b.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]])).length;
    }""")
    # sorted by toll, the first row holds the highest toll in view
    page.click("#events-table th button[data-sort=fatalities]")
    first = int(rows.first.locator("td").nth(4).text_content())
    assert first == max(int(t) for t in rows.locator("td:nth-child(5)").all_text_contents())
    # a row opens its event, and the event's marker is shown selected
    event_id = rows.first.get_attribute("data-event-id")
    rows.first.click()
    page.wait_for_selector("#panel:not([hidden])")
    assert page.locator("#panel").get_attribute("data-event-id") == event_id
    page.wait_for_selector(f".event-marker.ev-{event_id}.selected", timeout=5000)
    shot(page, "table-row-selected")
    # zooming in narrows the table to what is in view
    page.evaluate("() => { window.eventwatch.map.setView([36.2, 37.15], 11, {animate: false}); }")
    page.wait_for_function(f"+document.querySelector('#list-count').dataset.count < {in_view}", polling=100)
    # download this selection: the current filters, every event
    href = page.locator("#dl-csv").get_attribute("href")
    assert href.startswith("/api/export?") and "format=acled-csv" in href


def test_brushing_the_timeline_filters_by_date(page, server):
    open_map(page, server)
    before = int(page.locator("#status").get_attribute("data-total"))
    box = page.locator("#chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_function("location.search.includes('since=') && location.search.includes('until=')", polling=100)
    since = page.locator("input[name=since]").input_value()
    until = page.locator("input[name=until]").input_value()
    assert since < until
    page.wait_for_function(f"+document.querySelector('#status').dataset.total < {before}", polling=100)
    assert page.locator("#chart rect.brush").count() == 1  # the range stays drawn
    shot(page, "timeline-range")


def test_clicking_a_bar_selects_its_period(page, server):
    open_map(page, server)
    bar = page.locator("#chart rect.bar").nth(page.locator("#chart rect.bar").count() // 2)
    start, end = bar.get_attribute("data-from"), bar.get_attribute("data-to")
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 1)
    page.wait_for_function("location.search.includes('since=')", polling=100)
    assert page.locator("input[name=since]").input_value() == start
    assert page.locator("input[name=until]").input_value() == end


def test_a_brush_by_touch(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_map(page, server)
    box = page.locator("#chart").bounding_box()
    cdp = context.new_cdp_session(page)
    y = box["y"] + 40
    x0, x1 = box["x"] + box["width"] * 0.3, box["x"] + box["width"] * 0.8
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x0 + (x1 - x0) * i / 5, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("location.search.includes('since=') && location.search.includes('until=')", polling=100)
    assert page.locator("input[name=since]").input_value() < page.locator("input[name=until]").input_value()
    shot(page, "timeline-touch-brush")
    context.close()


def test_the_panel_is_a_bottom_sheet_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    main = next(e for e in api(server, "/api/articles/003_86bd7c93810df1c3")["events"] if e["event_date"] == "2019-07-27")
    open_map(page, server, f"?event={main['fused_id']}")
    assert not page.locator("#filters").is_visible()
    page.click("#toggle-filters")
    assert page.locator("#filters").is_visible()
    page.click("#toggle-filters")
    page.wait_for_selector("#panel:not([hidden]) .ledger")
    box = page.locator("#panel").bounding_box()
    assert box["width"] == 390 and box["x"] == 0 and box["y"] + box["height"] >= 843
    # nothing in the sheet is wider than the sheet: no clipped words
    assert page.evaluate("() => { const p = document.getElementById('panel'); return p.scrollWidth <= p.clientWidth; }")
    shot(page, "mobile-bottom-sheet")
    context.close()


def test_clicking_the_seed_event_shows_its_evidence(page, server):
    fused_id = next(e["fused_id"] for e in api(server, f"/api/articles/{SEED000}")["events"])
    open_map(page, server)
    page.evaluate(f"() => window.eventwatch.clusters.zoomToShowLayer(window.eventwatch.state.markers.get('{fused_id}'), () => {{}})")
    page.wait_for_selector(f".event-marker.ev-{fused_id}")
    page.locator(f".event-marker.ev-{fused_id}").dispatch_event("click")
    page.wait_for_selector("#panel:not([hidden]) .article-text")
    panel = page.locator("#panel")
    assert "Remote explosive/landmine/IED" in panel.locator("h2").text_content()
    assert "Military Forces of Russia (2000-)" in panel.text_content()
    weapon = panel.locator("mark.f-weapon")
    assert weapon.count() >= 1 and "IED" in weapon.first.text_content()
    assert panel.locator("mark.f-event_date").first.text_content().startswith("Thursday 12 November 2020")
    assert f"event={fused_id}" in page.url
    shot(page, "seed000-panel")


def test_each_claim_is_shown_with_its_quote(page, server):
    main = next(e for e in api(server, "/api/articles/003_86bd7c93810df1c3")["events"]
                if e["event_date"] == "2019-07-27")
    event = api(server, f"/api/events/{main['fused_id']}")
    open_map(page, server, f"?event={main['fused_id']}")
    page.wait_for_selector("#panel:not([hidden]) .claims")
    assert "Islamic State (Syria): 8 killed" in page.locator("#panel .claims").text_content()
    ledger = page.locator("#panel .ledger li")
    assert ledger.count() == len(event["claims"])
    quotes = page.locator("#panel .ledger q").all_text_contents()
    assert any(c["quote"] in quotes for c in event["claims"] if c["quote"])
    eight = next(li for li in ledger.all() if li.text_content().startswith("8 killed"))
    assert "Islamic State (Syria)" in eight.text_content() and eight.locator("q").count() == 1
    # each source is linked to its text in the panel
    link = page.locator("#panel table.reports a.to-text").first
    target = link.get_attribute("href")
    assert page.locator(f"#panel section.source{target}").count() == 1
    shot(page, "seed003-claims")


def test_a_large_selection_is_drawn_as_counts_per_area(page, server):
    open_map(page, server, "?client_max=10")
    assert page.locator("#status").get_attribute("data-mode") == "cells"
    cells = page.locator(".agg-cell")
    assert cells.count() > 0
    total = int(page.locator("#status").get_attribute("data-total"))
    assert sum(int(t) for t in cells.all_text_contents()) == total == len(news_features(server))
    page.wait_for_selector("#events-table tbody tr", timeout=20000)  # the table pages through the server
    shot(page, "map-aggregated")


def test_a_script_in_an_article_is_shown_as_text_and_never_runs(page, server):
    article_id = "script-article"
    fused_id = api(server, f"/api/articles/{article_id}")["events"][0]["fused_id"]
    open_map(page, server, f"?event={fused_id}")
    source = f"#panel section.source[data-article-id='{article_id}'] .article-text"
    page.wait_for_selector(source)
    text = page.locator(source).text_content()
    assert "<script>alert(1)</script>" in text
    assert page.locator("#panel script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []
    shot(page, "script-article")


def test_the_basemap_names_provinces_and_towns(page, server):
    open_map(page, server)
    page.wait_for_selector(".admin1-label", state="attached", timeout=10000)
    provinces = page.locator(".admin1-label").all_text_contents()
    assert {"Idleb", "Aleppo", "Dar'a"} <= set(provinces)
    assert page.locator(".town-label").count() > 5
    assert all(name.isascii() for name in page.locator(".town-label").all_text_contents())
