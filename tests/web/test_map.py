"""The map page end to end: Playwright drives Debian's Chromium (headless) against `eventwatch serve`'s
application on 127.0.0.1, on a database coded from the seeds, the FA-KES development sample and an
article carrying a <script>. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SEED000 = "000_19109e5cf8b1b5c5"


@pytest.fixture(scope="module")
def server(build_sample_db):
    import uvicorn

    from eventwatch.api import create_app

    db = build_sample_db("web")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(db=db)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


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


def test_the_map_shows_one_marker_per_placed_event(page, server):
    open_map(page, server)
    geo = api(server, "/api/events?format=geojson&limit=1000")
    placed = sum(1 for f in geo["features"] if f["geometry"])
    assert placed > 30
    assert page.locator("path.event-marker").count() == placed
    assert page.locator("#status").get_attribute("data-markers") == str(placed)
    assert page.locator("#chart rect.bar").count() > 5  # the timeline
    shot(page, "map")
    assert page.errors == []


def test_selecting_a_type_filters_the_markers_and_the_url(page, server):
    open_map(page, server)
    page.select_option("select[name=event_type]", "Battles")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('loading') === false "
                           "&& location.search.includes('event_type=Battles')")
    geo = api(server, "/api/events?format=geojson&limit=1000&event_type=Battles")
    expected = sum(1 for f in geo["features"] if f["geometry"])
    page.wait_for_function(f"document.querySelectorAll('path.event-marker').length === {expected}")
    assert page.locator("path.event-marker.type-battles").count() == expected
    assert page.locator("path.event-marker").count() < api(server, "/api/events?limit=1")["total"]
    shot(page, "filtered-battles")
    # the URL reflects the filters: opening it again gives the same view
    url = page.url
    open_map(page, server, "?" + url.split("?", 1)[1])
    assert page.locator("select[name=event_type]").input_value() == "Battles"
    assert page.locator("path.event-marker").count() == expected


def test_brushing_the_timeline_filters_by_date(page, server):
    open_map(page, server)
    before = page.locator("path.event-marker").count()
    box = page.locator("#chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_function("location.search.includes('since=') && location.search.includes('until=')")
    since = page.locator("input[name=since]").input_value()
    until = page.locator("input[name=until]").input_value()
    assert since < until
    page.wait_for_function(f"document.querySelectorAll('path.event-marker').length < {before}")
    shot(page, "timeline-range")


def test_clicking_the_seed_event_shows_its_evidence(page, server):
    fused_id = next(e["fused_id"] for e in api(server, f"/api/articles/{SEED000}")["events"])
    open_map(page, server)
    page.locator(f"path.ev-{fused_id}").dispatch_event("click")
    page.wait_for_selector("#panel:not([hidden]) .article-text")
    panel = page.locator("#panel")
    assert "Remote explosive/landmine/IED" in panel.locator("h2").text_content()
    assert "Military Forces of Russia (2000-)" in panel.text_content()
    weapon = panel.locator("mark.f-weapon")
    assert weapon.count() >= 1 and "IED" in weapon.first.text_content()
    assert panel.locator("mark.f-event_date").first.text_content().startswith("Thursday 12 November 2020")
    assert f"event={fused_id}" in page.url
    shot(page, "seed000-panel")


def test_the_claims_are_shown_side_by_side(page, server):
    main = next(e for e in api(server, "/api/articles/003_86bd7c93810df1c3")["events"]
                if e["event_date"] == "2019-07-27")
    open_map(page, server, f"?event={main['fused_id']}")
    page.wait_for_selector("#panel:not([hidden]) .claims")
    claims = page.locator("#panel .claims").text_content()
    assert "Islamic State (Syria): 8 killed" in claims
    shot(page, "seed003-claims")


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
