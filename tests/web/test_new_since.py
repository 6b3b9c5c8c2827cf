""""What is new since the last visit" on the map page: Playwright drives Debian's Chromium against the API on
127.0.0.1 (the fixtures of test_map.py, on a database of its own), while the test stores one more article
through the store, as a watcher in another process would."""

from __future__ import annotations

import datetime as dt

import test_map
from test_map import open_map, shot, wait_loaded

pytestmark = test_map.pytestmark  # Debian's chromium, or skipped
page = test_map.page  # its page fixture; the server and browser fixtures (conftest.py) are per module: a server of our own

VISIT_KEY = "eventwatch.lastVisit"
NAWA = ("An air strike killed seven civilians, including two children, in the town of Nawa in Daraa province on "
        "Friday, the Syrian Observatory for Human Rights said. The monitor said warplanes hit a market in the "
        "town's centre in the morning and that rescue workers were still searching the rubble. No group "
        "commented on the strike.")


def store_one_more_article(app) -> str:
    """Code and store an article about a new event (as `watch` would), through a store of its own on the
    server's database; the id of the fused event it made."""
    from eventwatch.pipeline import code_article, fuse_pending
    from eventwatch.records import Article
    from eventwatch.store import open_store

    store = open_store(app.state.store.engine.url.database)
    article = Article(article_id="nawa-air-strike", raw_text=NAWA, title="Air strike kills seven in Nawa",
                      outlet="Test Wire", published=dt.date(2026, 11, 27), published_source="metadata",
                      source_path="test")
    coded, events = code_article(article)
    store.save_article(coded, events)
    fuse_pending(store)
    fused = store.fused_by_report()
    (report,) = [e for e in events if not e.background]
    store.engine.dispose()
    return fused[report.event_id]


def badged_rows(tab) -> list[str]:
    return [r.get_attribute("data-event-id") for r in tab.locator("#events-table tbody tr:has(.new-badge)").all()]


def test_the_events_stored_since_the_last_visit_are_marked_new(page, server):
    # First visit: the mark is set (the server's clock), nothing is new.
    open_map(page, server)
    first_mark = page.evaluate(f"() => localStorage.getItem('{VISIT_KEY}')")
    assert first_mark and first_mark.endswith("Z")
    assert abs(dt.datetime.fromisoformat(first_mark[:-1]) - dt.datetime.now(dt.UTC).replace(tzinfo=None)) \
        < dt.timedelta(minutes=1)
    assert page.locator("#new-count").text_content().startswith("First visit")
    assert not page.locator("#only-new").is_visible()
    assert badged_rows(page) == [] and page.locator("#status").get_attribute("data-new") == "0"
    before = int(page.locator("#status").get_attribute("data-total"))

    new_id = store_one_more_article(server[1])

    # The next visit: exactly that event is new, in the table, on the map and in the line above them.
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    assert int(page.locator("#status").get_attribute("data-total")) == before + 1
    line = page.locator("#new-count")
    assert line.get_attribute("data-count") == "1" and line.text_content().startswith("1 new since ")
    assert page.locator("#status").get_attribute("data-new") == "1"
    assert badged_rows(page) == [new_id]
    assert page.locator("#events-table tbody tr.is-new").count() == 1
    assert page.locator(".marker-cluster.has-new").count() + page.locator(".event-marker.is-new").count() == 1
    shot(page, "new-since-last-visit")
    page.evaluate(f"() => window.eventwatch.clusters.zoomToShowLayer(window.eventwatch.state.markers.get('{new_id}'), () => {{}})")
    page.wait_for_selector(f".event-marker.ev-{new_id}.is-new")
    assert page.locator(".event-marker.is-new").count() == 1
    assert page.evaluate(f"() => localStorage.getItem('{VISIT_KEY}')") > first_mark  # this visit is the next mark
    page.wait_for_timeout(400)  # the zoom's animation
    shot(page, "new-since-marker")

    # "show only new": the map, the table and the status hold that one event; off again, everything.
    page.check("#only-new")
    page.wait_for_function("document.querySelector('#status').dataset.total === '1'", polling=100)
    wait_loaded(page)
    assert page.locator("#status").get_attribute("data-markers") == "1"
    assert page.locator("#events-table tbody tr").count() == 1 and badged_rows(page) == [new_id]
    shot(page, "new-since-only-new")
    page.uncheck("#only-new")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{before + 1}'", polling=100)

    # A visit after that one: nothing was stored since, so nothing is new.
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    assert page.locator("#new-count").get_attribute("data-count") == "0"
    assert page.locator("#new-count").text_content().startswith("0 new since ")
    assert badged_rows(page) == [] and page.errors == []
