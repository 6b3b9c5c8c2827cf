"""Full-text search and the resolved filters (migration 0004, eventwatch.store.search) on SQLite and,
when EVENTWATCH_TEST_PG_URL names a server, on PostgreSQL (`make test-postgres`)."""

from __future__ import annotations

from eventwatch.query import resolve_query
from eventwatch.store.query import EventQuery


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
