"""The watcher's tables and queries on PostgreSQL (when EVENTWATCH_TEST_PG_URL names a server)."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import text
from watchsite import article_html, real_texts, rss

from eventwatch.alerts import AlertRule
from eventwatch.sources import SourceSpec
from eventwatch.store import open_store
from eventwatch.store import watch_store as ws
from eventwatch.watch import poll_round

PG_URL = os.environ.get("EVENTWATCH_TEST_PG_URL")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set EVENTWATCH_TEST_PG_URL")]
TEXTS = real_texts()


def test_watch_and_alert_on_postgres(site, fast, tmp_path):
    store = open_store(PG_URL)
    try:
        for i in (0, 5):
            site.set(f"/news/story-number-{i}", article_html(*TEXTS[i]))
        site.set("/feed", rss([{"url": site.url(f"/news/story-number-{i}"), "title": TEXTS[i][0]} for i in (0, 5)]),
                 ctype="application/rss+xml", etag='"a"')
        ws.add_source(store, SourceSpec(url=site.url("/feed")))
        out = tmp_path / "alerts.jsonl"
        rule = AlertRule.model_validate({"name": "pg", "filters": {"min_fatalities": 10},
                                         "to": {"type": "jsonl", "path": str(out)}})
        ws.save_rule(store, rule.name, rule.model_dump_json())
        with fast.fetcher() as fetcher:
            first = poll_round(store, fetcher, fast, force=True)
            second = poll_round(store, fetcher, fast, force=True)
        assert first.stored == 2 and second.stored == 0 and second.not_modified == 1
        lines = [json.loads(x) for x in out.read_text().splitlines()]
        expected = sorted(e.fatalities for e in store.iter_events("fused") if e.fatalities >= 10 and not e.background)
        assert 27 in expected and sorted(x["event"]["fatalities"] for x in lines) == expected
        assert ws.list_sources(store)[0].health() == "ok"
    finally:
        with store.engine.begin() as conn:  # leave the server as we found it
            conn.execute(text("DROP TABLE IF EXISTS alert_deliveries, alert_rules, watch_items, watch_sources, "
                              "article_aliases, report_links, evidence, claims, event_sources, event_records, "
                              "events, articles, alembic_version CASCADE"))
