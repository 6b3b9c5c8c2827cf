"""The store: one transaction per article, nothing twice, filters a user relies on.

Runs on SQLite always, and on PostgreSQL too when EVENTWATCH_TEST_PG_URL names a server
(`make test-postgres` starts a throwaway one).
"""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.store import EventQuery, open_store


def test_save_and_read_back_exactly(store, coded):
    for article, events in coded:
        assert store.save_article(article, events)
    article, events = coded[1]
    assert store.get_article(article.article_id) == article
    assert store.events_for_article(article.article_id) == sorted(
        events, key=lambda e: (e.background, e.event_date, e.event_id))
    assert store.get_event(events[0].event_id) == events[0]
    assert store.count_articles() == 2


def test_same_text_twice_adds_nothing(store, coded):
    article, events = coded[0]
    assert store.save_article(article, events)
    assert not store.save_article(article, events)
    renamed = article.model_copy(update={"article_id": "copy-of-000"})
    assert not store.add_article(renamed)  # same content under another name
    assert store.count_articles() == 1
    assert store.count_events(EventQuery()) == len(events)


def test_recoding_replaces_an_articles_events(store, coded):
    article, events = coded[1]
    store.save_article(article, events)
    store.save_article(article, events[:1])
    assert store.events_for_article(article.article_id) == events[:1]


def test_a_crash_mid_article_leaves_nothing_half_written(store, coded, monkeypatch):
    article, events = coded[1]

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(type(store), "_insert_rows", boom)
    with pytest.raises(RuntimeError):
        store.save_article(article, events)
    monkeypatch.undo()
    assert not store.has_article(article_id=article.article_id)
    assert store.count_events(EventQuery()) == 0


def test_filters(store, coded):
    for article, events in coded:
        store.save_article(article, events)
    ids = lambda **kw: {e.event_id for e in store.query_events(EventQuery(**kw))}  # noqa: E731
    everything = ids()
    assert len(everything) == sum(len(e) for _, e in coded)
    assert {store.get_event(i).event_date.year for i in ids(since=dt.date(2020, 1, 1))} == {2020}
    assert all(store.get_event(i).admin1 == "Dar'a" for i in ids(admin1="dar'a"))
    suicide = ids(event_type="Suicide bomb")
    assert len(suicide) == 1
    assert ids(actor="islamic state") >= suicide
    assert ids(background=False) == {e.event_id for _, evs in coded for e in evs if not e.background}
    assert ids(min_fatalities=3) == {e.event_id for _, evs in coded for e in evs if e.fatalities >= 3}
    assert len(ids(bbox=(36.0, 32.5, 36.5, 33.0))) >= 1
    assert ids(bbox=(0.0, 0.0, 1.0, 1.0)) == set()
    page1 = store.query_events(EventQuery(limit=2, order="date"))
    page2 = store.query_events(EventQuery(limit=2, offset=2, order="date"))
    assert not {e.event_id for e in page1} & {e.event_id for e in page2}
    assert store.count_events(EventQuery(article_id="000_19109e5cf8b1b5c5")) == 1


def test_stats(store, coded):
    for article, events in coded:
        store.save_article(article, events)
    by_type = {r["key"]: r for r in store.stats(EventQuery(), "sub_event_type")}
    assert by_type["Suicide bomb"]["events"] == 1 and by_type["Suicide bomb"]["fatalities"] == 1
    months = store.stats(EventQuery(), "month")
    assert any(r["key"].startswith("2019-07") for r in months)


def test_limit_has_a_hard_maximum():
    with pytest.raises(ValueError):
        EventQuery(limit=5000)


def test_the_same_text_under_another_id_becomes_an_alias(store, coded):
    article, events = coded[0]
    store.save_article(article, events)
    assert store.add_alias("fakes-copy-42", article.content_hash)
    assert not store.add_alias("fakes-copy-42", article.content_hash)  # once
    assert store.get_article("fakes-copy-42") == article
    assert store.aliases() == {article.article_id: ["fakes-copy-42"]}


def test_upgrading_a_database_from_revision_0002_keeps_every_event(tmp_path, coded):
    """0003 moved event records to their own table; an older database keeps its events and their children."""
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        cfg = Config()
        cfg.set_main_option("script_location", str(files("eventwatch.store") / "migrations"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        article, events = coded[0]
        conn.execute(text("INSERT INTO articles (article_id, content_hash, n_chars, record, ingested_at) "
                          "VALUES (:a, 'h', 1, '{}', '2026-01-01')"), {"a": article.article_id})
        e = events[0]
        conn.execute(text("INSERT INTO events (event_id, kind, article_id, fatalities, background, n_sources, record) "
                          "VALUES (:i, 'report', :a, 0, 0, 1, :r)"),
                     {"i": e.event_id, "a": article.article_id, "r": e.model_dump_json()})
        conn.execute(text("INSERT INTO event_sources (event_id, article_id) VALUES (:i, :a)"),
                     {"i": e.event_id, "a": article.article_id})
    store = open_store(str(path))
    assert store.get_event(e.event_id) == e
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event_sources")).scalar_one() == 1
