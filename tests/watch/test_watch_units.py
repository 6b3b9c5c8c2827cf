"""What a response is, by its content; intervals; alert filters."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.alerts import AlertFilter, matches, signature
from eventwatch.ingest.decode import UnreadableInput
from eventwatch.ingest.feed import list_feed, list_page_links
from eventwatch.ingest.url import canonical_url, detect_kind, looks_like_wall
from eventwatch.records import Event
from eventwatch.sources import format_every, parse_every


def test_kind_by_content_not_by_extension():
    assert detect_kind("text/html", b'<?xml version="1.0"?><rss version="2.0"><channel>') == "feed"
    assert detect_kind("application/octet-stream", b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert detect_kind("application/rss+xml", b"<!DOCTYPE html><html><body>oops</body></html>") == "html"
    assert detect_kind("text/plain", b"\xef\xbb\xbf<urlset xmlns='x'>") == "sitemap"
    assert detect_kind("text/html; charset=utf-8", b"<div>hello</div>") == "html"
    assert detect_kind("application/pdf", b"%PDF-1.4") == "other"


def test_entity_declarations_are_refused():
    with pytest.raises(UnreadableInput, match="entity"):
        list_feed(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><rss><channel><title>&a;</title>'
                  b"</channel></rss>")


def test_section_page_links_and_canonical():
    page = ("<a href='/news/a-long-story-slug'>A</a><a href='/tag/x'>t</a><a href='/2019/07/28/x'>d</a>"
            "<a href='https://other.example/news/a-b-c'>o</a><a href='/news/a-long-story-slug#c'>again</a>")
    links = [i.url for i in list_page_links(page, "https://site.example/section").items]
    assert links == ["https://site.example/news/a-long-story-slug", "https://site.example/2019/07/28/x"]
    assert canonical_url('<link rel="canonical" href="/n/x">', "https://s.example/amp/x") == "https://s.example/n/x"
    assert looks_like_wall("Subscribe to continue reading this article.")
    assert not looks_like_wall("word " * 300 + "accept cookies")


def test_intervals():
    assert parse_every("15m") == 900 and parse_every("2h") == 7200 and parse_every("90") == 90
    assert format_every(900) == "15m"
    for bad in ("5s", "soon", "-1m"):
        with pytest.raises(ValueError):
            parse_every(bad)


def event(**kw) -> Event:
    base = dict(event_id="e1", event_date=dt.date(2019, 7, 27), disorder_type="Political violence",
                event_type="Explosions/Remote violence", sub_event_type="Suicide bomb", country="Syria",
                admin1="Dar'a", latitude=32.7, longitude=36.4, fatalities=9, actor1="Islamic State (Syria)")
    return Event(**{**base, **kw})


def test_alert_filters_mean_what_the_events_api_means():
    e = event()
    assert matches(AlertFilter(country="syria", admin1="dar'a", event_type="Suicide bomb"), e)
    assert matches(AlertFilter(event_type="Explosions/Remote violence", actor="islamic state"), e)
    assert matches(AlertFilter(bbox=(36, 32, 37, 33), min_fatalities=9), e)
    assert not matches(AlertFilter(min_fatalities=10), e)
    assert not matches(AlertFilter(bbox="30,30,31,31"), e)
    assert not matches(AlertFilter(), event(background=True))
    assert matches(AlertFilter(actor="Daesh"), e, lambda a: "Islamic State (Syria)" if a == "Daesh" else a)
    assert signature("k", b"{}") == "sha256=" + __import__("hmac").new(b"k", b"{}", "sha256").hexdigest()


def test_each_change_a_rule_asks_for_is_alerted_once(tmp_path):
    from eventwatch.alerts import AlertRule, queue_alerts
    from eventwatch.records import Claim, Source
    from eventwatch.store import open_store
    from eventwatch.store import watch_store as ws

    store = open_store(str(tmp_path / "a.db"))
    rule = AlertRule.model_validate({"name": "r", "on": ["new_source", "new_claim"],
                                     "to": {"type": "jsonl", "path": str(tmp_path / "a.jsonl")}})
    now = ws.utcnow()
    one = event(sources=[Source(article_id="a1")])
    assert queue_alerts(store, [rule], [one], now) == 1
    assert queue_alerts(store, [rule], [one], now) == 0  # nothing changed
    assert queue_alerts(store, [rule], [event(fatalities=20, sources=[Source(article_id="a1")])], now) == 0
    two = event(sources=[Source(article_id="a1"), Source(article_id="a2")])
    assert queue_alerts(store, [rule], [two], now) == 1
    claimed = two.model_copy(update={"claims": [Claim(field="fatalities", value=12, claimed_by="SOHR",
                                                       article_id="a2")]})
    assert queue_alerts(store, [rule], [claimed], now) == 1
    assert queue_alerts(store, [rule], [claimed], now) == 0
    assert [d.trigger for d in ws.list_deliveries(store)] == ["new_claim", "new_source", "new"]


def test_retries_back_off_and_the_rate_limit_spaces_requests_to_a_host(site):
    from eventwatch.ingest.url import Fetcher, FetchError, HostLimiter

    site.set("/flaky", "<html><body>fine</body></html>", fail_times=2)
    waits: list[float] = []
    with Fetcher(retries=2, backoff=1.0, sleep=waits.append, rate=HostLimiter(0)) as fetcher:
        assert fetcher.get(site.url("/flaky")).status == 200
        assert waits == [1.0, 2.0]  # two 500s, then the answer
        site.set("/down", "x", fail_times=10)
        try:
            fetcher.get(site.url("/down"))
            raise AssertionError("a server that keeps failing is an error")
        except FetchError as exc:
            assert exc.transient and "HTTP 500" in str(exc)
    clock, slept = [100.0], []
    limiter = HostLimiter(1.0, clock=lambda: clock[0], sleep=slept.append)
    limiter.wait("http://a.example/1")
    limiter.wait("http://a.example/2")  # the same host at once: waits a second
    limiter.wait("http://b.example/1")  # another host: no wait
    assert slept == [1.0]
