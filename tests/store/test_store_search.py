"""Full-text search and the resolved filters (migration 0004, eventwatch.store.search) on SQLite and,
when EVENTWATCH_TEST_PG_URL names a server, on PostgreSQL (`make test-postgres`)."""

from __future__ import annotations

import os

import pytest

from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.query import resolve_query
from eventwatch.store import open_store
from eventwatch.store.query import EventQuery

PG_URL = os.environ.get("EVENTWATCH_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set EVENTWATCH_TEST_PG_URL (make test-postgres)")])]


@pytest.fixture(scope="module")
def coded(seeds_dir):
    return [code_article(a) for a in read_sources([seeds_dir])]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    if request.param == "sqlite":
        yield open_store(str(tmp_path / "t.db"))
        return
    from sqlalchemy import text

    s = open_store(PG_URL)
    yield s
    with s.engine.begin() as conn:  # leave the server as we found it
        conn.execute(text("DROP TABLE IF EXISTS article_aliases, report_links, evidence, claims, event_sources, "
                          "event_records, events, articles, alembic_version CASCADE"))


def ids(store, **kw):
    return {e.event_id for e in store.query_events(EventQuery(**kw))}


def test_full_text_reads_the_articles_and_the_notes(store, coded):
    for article, events in coded:
        store.save_article(article, events)
    seed000 = {e.event_id for e in coded[0][1]}
    # "Sahwat al-Qameh" is in seed 000's text, not in any coded field
    assert ids(store, fulltext="Sahwat Al Qameh") == seed000
    assert ids(store, fulltext="sahwat al qameh") == seed000
    assert ids(store, fulltext="no such words anywhere") == set()
    # the notes are searched too ("suicide bombing" is the notes' wording for seed 003's main event)
    assert ids(store, fulltext="suicide bombing")
    # re-coding an article keeps the index in step: no stale matches, no duplicates
    article, events = coded[0]
    store.save_article(article, events)
    assert ids(store, fulltext="Sahwat Al Qameh") == seed000


def test_the_resolver_runs_on_every_backend(store, coded):
    for article, events in coded:
        store.save_article(article, events)
    resolved = resolve_query(store.engine, admin1="Daraa", kind="report")
    assert {e.admin1 for e in store.query_events(resolved.query)} == {"Dar'a"}
    daesh = resolve_query(store.engine, actor="Daesh", kind="report").query
    assert daesh.actor == "Islamic State (Syria)" and store.query_events(daesh)
