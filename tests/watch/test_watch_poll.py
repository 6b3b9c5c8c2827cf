"""The watcher against a real site on 127.0.0.1 whose content changes between polls."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner
from watchsite import article_html, real_texts, rss

from eventwatch.cli import app
from eventwatch.sources import SourceSpec
from eventwatch.store import open_store
from eventwatch.store import watch_store as ws
from eventwatch.watch import poll_round

TEXTS = real_texts()


def publish(site, slugs: list[int], version: str = "Wed, 05 Apr 2017 10:00:00 GMT", etag: str = '"v1"') -> None:
    """Article pages for these texts, and a feed listing them."""
    items = []
    for i in slugs:
        title, text = TEXTS[i]
        site.set(f"/news/story-number-{i}", article_html(title, text))
        items.append({"url": site.url(f"/news/story-number-{i}"), "title": title, "summary": text[:120],
                      "updated": version})
    site.set("/feed", rss(items), ctype="application/rss+xml", etag=etag)


def one_round(db, fast, force=True):
    store = open_store(db)
    with fast.fetcher() as fetcher:
        return store, poll_round(store, fetcher, fast, force=force)


def test_watch_once_twice_codes_each_article_once(site, db):
    publish(site, [0, 1, 2])
    cli = CliRunner()
    assert cli.invoke(app, ["sources", "add", site.url("/feed"), "--name", "Test News", "--db", db]).exit_code == 0
    first = cli.invoke(app, ["watch", "--once", "--rate", "0", "--db", db])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["stored"] == 3 and summary["events"] >= 3
    store = open_store(db)
    reports = store.count_kind("report")
    assert store.count_articles() == 3
    # The article page is what was coded, not the feed's 120-character summary.
    arts = store.list_articles()
    assert all(a.n_chars > 400 for a in arts) and {a.title for a in arts} == {t.strip() for t, _ in TEXTS[:3]}
    second = cli.invoke(app, ["watch", "--once", "--force", "--rate", "0", "--db", db])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout.strip().splitlines()[-1])["stored"] == 0
    assert store.count_articles() == 3 and store.count_kind("report") == reports
    # The second poll was conditional and the server said 304; no article page was fetched again.
    assert site.hits("/feed")[-1].get("if-none-match") == '"v1"'
    assert len(site.hits("/news/story-number-0")) == 1
    listed = cli.invoke(app, ["sources", "list", "--json", "--db", db])
    (row,) = json.loads(listed.stdout)
    assert row["health"] == "ok" and row["items_seen"] == 3 and row["items_stored"] == 3


def test_new_edited_and_removed_items(site, db, fast):
    publish(site, [0, 1])
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    _, r1 = one_round(db, fast)
    assert r1.stored == 2
    fused_before = {e.event_id: e.fatalities for e in store.iter_events("fused")}
    # Next poll: item 1 removed from the feed, item 3 new, item 0 edited (a higher toll, a new version).
    title, text = TEXTS[0]
    assert "at least 27 people dead" in text
    site.set("/news/story-number-0", article_html(title, re.sub(r"\b27\b", "35", text)))
    site.set("/news/story-number-3", article_html(*TEXTS[3]))
    site.set("/feed", rss([
        {"url": site.url("/news/story-number-0"), "title": title, "updated": "Thu, 06 Apr 2017 09:00:00 GMT"},
        {"url": site.url("/news/story-number-3"), "title": TEXTS[3][0]}]), ctype="application/rss+xml", etag='"v2"')
    _, r2 = one_round(db, fast)
    assert r2.stored == 2 and r2.duplicates == 0
    assert store.count_articles() == 3  # the edit replaced its article; the removed item's article stays
    tolls = sorted(e.fatalities for e in store.iter_events("fused") if e.admin1 == "Idleb" and not e.background)
    assert 35 in tolls and 27 not in tolls
    assert len(fused_before) >= 2


def test_one_article_by_two_urls_and_the_same_text_under_a_new_url(site, db, fast):
    title, text = TEXTS[5]
    canonical = site.url("/news/the-qamishli-bombing")
    site.set("/news/the-qamishli-bombing", article_html(title, text, canonical=canonical))
    site.set("/amp/the-qamishli-bombing", article_html(title, text[:-40] + " (AMP)", canonical=canonical))
    site.set("/s/qamishli-1", location="/news/the-qamishli-bombing", status=301)
    site.set("/news/copied-story-elsewhere", article_html(title, text))  # the same text, no canonical link
    urls = ["/news/the-qamishli-bombing", "/amp/the-qamishli-bombing", "/s/qamishli-1", "/news/copied-story-elsewhere"]
    site.set("/feed", rss([{"url": site.url(u), "title": title} for u in urls]), ctype="application/rss+xml")
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    _, report = one_round(db, fast)
    assert report.stored == 1 and report.duplicates == 3
    assert store.count_articles() == 1


def test_sitemap_and_section_page(site, db, fast):
    site.set("/news/one-aleppo-story", article_html(*TEXTS[1]))
    site.set("/news/two-idlib-story", article_html(*TEXTS[2]))
    site.set("/2017/04/05/gas-attack-idlib", article_html(*TEXTS[4]))
    site.set("/sitemap-news.xml", (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f'<url><loc>{site.url("/news/one-aleppo-story")}</loc><news:news><news:publication>'
        "<news:name>Test News</news:name><news:language>en</news:language></news:publication>"
        "<news:publication_date>2016-12-20</news:publication_date><news:title>Aleppo</news:title></news:news></url>"
        f'<url><loc>{site.url("/news/two-idlib-story")}</loc><lastmod>2017-04-05</lastmod></url></urlset>'),
        ctype="text/plain")  # the content, not the content type, says it is a sitemap
    site.set("/section/syria", "<html><body><nav><a href='/tag/syria'>Syria</a><a href='/about'>About</a></nav>"
             "<main><a href='/2017/04/05/gas-attack-idlib'>Gas attack</a> <a href='/news/one-aleppo-story'>Aleppo</a>"
             "<a href='https://elsewhere.example/news/a-b-c'>x</a><a href='/logo.png'>l</a></main></body></html>")
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/sitemap-news.xml")))
    ws.add_source(store, SourceSpec(url=site.url("/section/syria")))
    _, report = one_round(db, fast)
    assert report.stored == 3 and not report.source_errors
    kinds = {s.url.rsplit("/", 1)[-1]: s.detected_kind for s in ws.list_sources(store)}
    assert kinds == {"sitemap-news.xml": "sitemap", "syria": "page"}
    # The section page linked one article the sitemap had already brought: fetched once, stored once.
    assert len(site.hits("/news/one-aleppo-story")) == 1


def test_run_reads_a_feed_url_as_the_articles_it_links(site, db):
    publish(site, [6, 7])
    site.set("/latest.html", site.routes["/feed"].body, ctype="text/xml")  # a feed whose URL says .html
    result = CliRunner().invoke(app, ["run", site.url("/latest.html"), "--db", db])
    assert result.exit_code == 0, result.output
    store = open_store(db)
    assert store.count_articles() == 2 and all(a.n_chars > 400 for a in store.list_articles())
