"""Bad sources and bad pages: each reported against its source and skipped; the others go on."""

from __future__ import annotations

from watchsite import article_html, real_texts, rss

from eventwatch.sources import SourceSpec
from eventwatch.store import open_store
from eventwatch.store import watch_store as ws
from eventwatch.watch import poll_round

TEXTS = real_texts()
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title>'
        "<item><title>&lol3;</title><link>http://x/a-b-c</link></item></channel></rss>")
FRENCH = ("Au moins trente personnes ont été tuées mardi dans un bombardement sur la ville, selon une "
          "organisation de surveillance. Les secours cherchaient encore des survivants sous les décombres "
          "des immeubles détruits, et les hôpitaux de la région manquaient de tout. ") * 4
WALL = "Subscribe to continue reading. Already a subscriber? Sign in to read this article and all our journalism."


def test_bad_sources_and_pages_are_reported_and_skipped(site, db, fast):
    good, pages = "/news/a-good-story-here", {
        "/news/paywalled-story-here": article_html("Paywalled", WALL),
        "/news/a-french-story-here": article_html("Bombardement", FRENCH).replace("lang=en", "lang=fr"),
        "/news/a-huge-page-here": b"<html><body><article>" + b"<p>filler text here</p>" * 2_500_000,
        "/news/gone-story-here": None,  # 404
    }
    site.set(good, article_html(*TEXTS[0]))
    for path, body in pages.items():
        if body is not None:
            site.set(path, body)
    site.set("/news/loop-a-b", location="/news/loop-b-a")
    site.set("/news/loop-b-a", location="/news/loop-a-b")
    items = [good, *pages, "/news/loop-a-b"]
    site.set("/feed", rss([{"url": site.url(p), "title": "t"} for p in items]), ctype="application/rss+xml")
    site.set("/html-feed", article_html("Not a feed", TEXTS[1][1]), ctype="application/rss+xml")
    site.set("/bomb", BOMB, ctype="application/rss+xml")
    site.set("/broken", "oops", status=500)
    site.set("/slow", rss([]), ctype="application/rss+xml", delay=4)
    store = open_store(db)
    for path, kind in (("/feed", "auto"), ("/html-feed", "feed"), ("/bomb", "auto"), ("/broken", "auto"),
                       ("/slow", "auto")):
        ws.add_source(store, SourceSpec(url=site.url(path), kind=kind))
    with fast.fetcher() as fetcher:
        report = poll_round(store, fetcher, fast, force=True)
    errors = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.source_errors}
    assert "HTML page" in errors["html-feed"]
    assert "entity" in errors["bomb"]
    assert "HTTP 500" in errors["broken"]
    assert "timed out" in errors["slow"]
    skipped = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.skipped}
    assert "paywall" in skipped["paywalled-story-here"]
    assert "too large" in skipped["a-huge-page-here"]
    assert "HTTP 404" in skipped["gone-story-here"]
    assert "redirect loop" in skipped["loop-a-b"]
    assert all("source:" in r for r in skipped.values())
    # The good article and the French one are stored; the French one is marked, not coded.
    assert report.stored == 2 and report.not_english == 1
    french = [a for a in store.list_articles() if a.language == "fr"]
    assert len(french) == 1 and french[0].n_events == 0
    # The failing sources are backed off and shown as failing; the good one is healthy.
    health = {s.url.rsplit("/", 1)[-1]: s for s in ws.list_sources(store)}
    assert health["feed"].health() == "ok"
    assert health["broken"].failures == 1 and health["broken"].health().startswith("failing")
    assert (health["broken"].next_poll - health["broken"].last_poll).total_seconds() >= 2 * 15 * 60


def test_robots_txt_is_respected(site, db, fast):
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    site.set("/private/secret-story-here", article_html(*TEXTS[2]))
    site.set("/news/public-story-here", article_html(*TEXTS[3]))
    site.set("/feed", rss([{"url": site.url(p), "title": "t"} for p in
                           ("/private/secret-story-here", "/news/public-story-here")]), ctype="application/rss+xml")
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    with fast.fetcher() as fetcher:
        report = poll_round(store, fetcher, fast, force=True)
    assert report.stored == 1
    assert [p.reason for p in report.skipped if "secret" in p.path][0].startswith("disallowed by the site's robots.txt")
    assert site.hits("/private/secret-story-here") == []


def test_a_page_that_fails_for_a_while_is_retried_on_later_polls(site, db, fast):
    site.set("/news/flaky-story-here", article_html(*TEXTS[4]), fail_times=2)  # two 500s: one poll's tries
    site.set("/feed", rss([{"url": site.url("/news/flaky-story-here"), "title": "t"}]), ctype="application/rss+xml")
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    with fast.fetcher() as fetcher:
        first = poll_round(store, fetcher, fast, force=True)
        assert first.stored == 0 and first.retrying == 1
        second = poll_round(store, fetcher, fast, force=True)
    assert second.stored == 1
