"""The analyst's workbench (issue 13), the behaviours tests/web/test_map.py does not drive: events at one
place spiderfied, the timeline's news-only default and robust range, and a source whose report disagrees
with its fused event flagged. Playwright drives Debian's Chromium; screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def api(server, path):
    from fastapi.testclient import TestClient

    return TestClient(server[1]).get(path).json()


def open_map(page, server, query=""):
    page.goto(f"{server[0]}/{query}")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    page.wait_for_function("document.body.dataset.loading === 'false'", polling=100)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_events_at_one_place_are_spiderfied(page, server):
    news = api(server, "/api/events?format=geojson&limit=1000&background=false")["features"]
    points = Counter(tuple(f["geometry"]["coordinates"]) for f in news if f["geometry"])
    (lon, lat), n = points.most_common(1)[0]
    assert n >= 2
    open_map(page, server)
    page.evaluate(f"() => {{ window.eventwatch.map.setView([{lat}, {lon}], 18, {{animate: false}}); }}")
    page.wait_for_timeout(400)  # the events of the new view are fetched 150 ms after the move ends
    page.wait_for_function("document.body.dataset.loading === 'false'", polling=100)
    cluster = page.locator(".marker-cluster").first
    cluster.wait_for(timeout=10000)
    assert int(cluster.text_content()) == n  # zooming never separates them: one cluster at the top zoom
    page.evaluate("() => { window.eventwatch.clusters.on('spiderfied', "
                  "(e) => { document.body.dataset.spiderfied = e.markers.length; }); }")
    cluster.click()
    page.wait_for_function("() => document.body.dataset.spiderfied", timeout=10000, polling=100)
    assert int(page.evaluate("() => document.body.dataset.spiderfied")) == n
    assert page.locator(".event-marker").count() >= n  # each on its own, a leg from the place
    shot(page, "spiderfied-events-at-one-place")
    # each leg ends at an event's own marker, which opens that event
    page.locator(".event-marker").first.click()
    page.wait_for_selector("#panel:not([hidden]) h2", timeout=10000)
    assert page.errors == []


def test_the_timeline_shows_news_only_and_a_robust_range(page, server):
    open_map(page, server)
    assert page.locator("select[name=background]").input_value() == "false"
    months = [r for r in api(server, "/api/stats?by=month&background=false")["rows"] if r["key"]]
    everything = [r for r in api(server, "/api/stats?by=month")["rows"] if r["key"]]
    assert sum(r["events"] for r in everything) > sum(r["events"] for r in months)  # background exists
    # a month years away from the rest (the sample's 2020 event after 2013-2019) is left out of the range
    # and counted beside the chart, so that it does not squash the others
    t0, t1 = (int(page.locator("#chart").get_attribute(a)) for a in ("data-t0", "data-t1"))
    at = {r["key"]: dt.datetime(int(r["key"][:4]), int(r["key"][5:7]), 1, tzinfo=dt.UTC).timestamp() * 1000
          for r in months}
    outside = sum(r["events"] for r in months if not t0 <= at[r["key"]] < t1)
    assert 1 <= outside <= 0.02 * sum(r["events"] for r in months) + 1
    assert f"{outside} event(s) far outside this range" in page.locator("#outside-label").text_content()
    assert page.locator("#chart text").count() >= 3  # the axis has year ticks
    shot(page, "timeline-news-only-robust-range")


def test_a_source_whose_report_disagrees_with_its_event_is_flagged(page, server):
    events = api(server, "/api/events?limit=1000&background=false")["events"]
    found = None
    for e in (e for e in events if e["n_sources"] > 1):
        detail = api(server, f"/api/events/{e['event_id']}")
        other = [r for r in detail["reports"] if r["sub_event_type"] != detail["sub_event_type"]]
        if other:
            found = detail, other
            break
    assert found, "the sample holds a fused event with a report of another type"
    detail, other = found
    open_map(page, server, f"?event={detail['event_id']}")
    page.wait_for_selector("#panel[data-ready=true]", timeout=20000)
    flagged = page.locator("#panel table.reports td.disagree")
    assert flagged.count() >= len(other)
    assert flagged.first.get_attribute("title") == "another type than the fused event's"
    assert {r["sub_event_type"] for r in other} <= set(flagged.all_text_contents())
    shot(page, "panel-disagreeing-report-flagged")
