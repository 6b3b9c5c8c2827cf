"""`eventwatch run feed.xml`: a feed saved to a file is read as the article pages its entries link to, served
by a real site on 127.0.0.1 (tests/watch/watchsite.py); an entry whose page cannot be read is coded from its
summary and reported; `--no-fetch` codes the summaries without touching the network."""

from __future__ import annotations

import socket

from typer.testing import CliRunner
from watchsite import article_html, real_texts, rss

from eventwatch.cli import app
from eventwatch.store import open_store

TEXTS = real_texts()


def write_feed(tmp_path, site) -> tuple:
    """Two entries whose pages the site serves, one whose page is gone (404) but whose summary is long
    enough to code, and one whose page is gone and that has no summary."""
    items = []
    for i in (0, 1):
        title, text = TEXTS[i]
        site.set(f"/news/story-number-{i}", article_html(title, text))
        items.append({"url": site.url(f"/news/story-number-{i}"), "title": title, "summary": text[:120]})
    gone_title, gone_text = TEXTS[2]
    items.append({"url": site.url("/news/a-story-taken-down"), "title": gone_title, "summary": gone_text[:400]})
    items.append({"url": site.url("/news/another-story-taken-down"), "title": "No summary", "summary": ""})
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(items), encoding="utf-8")
    return feed, items


def run(*args: str):
    return CliRunner(env={"COLUMNS": "400"}).invoke(app, ["run", *args, "--no-progress"])


def articles_by_url(db: str) -> dict:
    store = open_store(db)
    return {a.url: a for a in (store.get_article(s.article_id) for s in store.list_articles(limit=100))}


def test_a_feed_file_is_coded_from_the_pages_it_links_to(tmp_path, site):
    feed, items = write_feed(tmp_path, site)
    db = str(tmp_path / "run.db")
    result = run(str(feed), "--db", db)
    assert result.exit_code == 0, result.output
    stored = articles_by_url(db)
    assert len(stored) == 3
    for i, item in enumerate(items[:2]):
        article = stored[item["url"]]
        # the page's whole text, not the entry's 120-character summary, with the page's title and outlet
        beyond_summary = " ".join(TEXTS[i][1][150:600].split()[1:-1])
        assert len(article.text) > 400 and beyond_summary in " ".join(article.text.split())
        assert article.title == TEXTS[i][0].strip() and article.outlet == "Test News"
        assert article.source_path == f"{feed}#{i + 1}" and len(site.hits(f"/news/story-number-{i}")) == 1
    # the page that is gone: its summary stands in, and the run says so against the entry
    fallback = stored[items[2]["url"]]
    assert fallback.text.startswith(TEXTS[2][1][:60].strip()[:40]) and "HTTP 404" in fallback.extra["from_summary"]
    output = " ".join(result.output.split())
    assert "(row 3)" in output and "HTTP 404" in output and "coded from the entry's summary instead" in output
    assert "(row 4)" in output and "and the entry has no text" in output
    store = open_store(db)
    reports = store.count_kind("report")
    assert reports >= 3
    # the same file again adds nothing
    again = run(str(feed), "--db", db)
    assert again.exit_code == 0, again.output
    assert store.count_articles() == 3 and store.count_kind("report") == reports


def test_no_fetch_codes_the_summaries_without_the_network(tmp_path, site):
    feed, items = write_feed(tmp_path, site)
    db = str(tmp_path / "summaries.db")
    result = run(str(feed), "--db", db, "--no-fetch")
    assert result.exit_code == 0, result.output
    assert site.log == []  # not one request
    stored = articles_by_url(db)
    assert {u for u in stored} == {i["url"] for i in items[:3]}
    assert all(len(a.text) <= 400 and a.source_format == "feed" for a in stored.values())


def test_a_site_that_cannot_be_reached_costs_one_failure_not_one_per_entry(tmp_path):
    with socket.socket() as s:  # a port nobody listens on: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    items = [{"url": f"http://127.0.0.1:{port}/news/story-number-{i}", "title": TEXTS[i][0],
              "summary": TEXTS[i][1][:300]} for i in (0, 1, 2)]
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(items), encoding="utf-8")
    db = str(tmp_path / "down.db")
    result = run(str(feed), "--db", db)
    assert result.exit_code == 0, result.output
    assert open_store(db).count_articles() == 3  # each from its summary
    output = " ".join(result.output.split())
    assert output.count("could not connect") == 3 and output.count("not tried again") == 2
