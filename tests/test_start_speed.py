"""What makes `eventwatch run` start and write fast gives what the slower way gave: the cache of parsed
YAML documents, the driver-level inserts, imports left for the commands that need them, and the early
start of the workers' fork server."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from eventwatch.resources import parse_yaml, parsed_documents, shipped_documents, yaml_cache_path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "data" / "seeds"
SAMPLE = ROOT / "examples" / "sample" / "fakes-dev-sample.csv"


def test_parsed_yaml_comes_back_from_its_cache_and_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWATCH_HOME", str(tmp_path / "home"))
    doc = tmp_path / "doc.yaml"
    doc.write_text("name: Borno State\nsince: 2019-05-29\naliases: [Borno, Bornu]\n", encoding="utf-8")
    first = parsed_documents([doc])
    assert first == [parse_yaml(doc.read_text(encoding="utf-8"))]
    assert yaml_cache_path().is_file()
    assert parsed_documents([doc]) == first  # from the cache now: the same document, dates included
    doc.write_text("name: Yobe State\n", encoding="utf-8")
    assert parsed_documents([doc]) == [{"name": "Yobe State"}]


def test_a_cache_that_cannot_be_read_is_left_aside(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWATCH_HOME", str(tmp_path))
    path = yaml_cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    doc = tmp_path / "doc.yaml"
    doc.write_text("- one\n- two\n", encoding="utf-8")
    assert parsed_documents([doc]) == [["one", "two"]]


def test_every_shipped_document_from_the_cache_is_the_parsed_file():
    data = ROOT / "src" / "eventwatch" / "data"
    shipped = shipped_documents()
    assert len(shipped) > 80 and "triggers.yaml" in shipped and "countries/NG.yaml" in shipped
    for name, document in shipped.items():
        assert document == parse_yaml((data / name).read_text(encoding="utf-8")), name


def test_help_and_reading_a_table_load_neither_the_html_readers_nor_the_database_layer():
    code = ("import sys; from eventwatch.cli import app; from eventwatch.ingest import read_sources; "
            f"n = sum(1 for _ in read_sources([{str(SAMPLE)!r}])); "
            "print(n, *sorted(m for m in ('trafilatura', 'feedparser', 'charset_normalizer', 'sqlalchemy', 'alembic') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 10 and out[1:] == []


def test_a_worker_process_never_loads_sqlalchemy(tmp_path):
    code = "import sys, eventwatch.engines.preload; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"EVENTWATCH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "False"


def test_help_starts_in_well_under_a_second_of_cpu():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "eventwatch.cli", "--help"], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0 and "run" in result.stdout
    assert (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) < 0.8
    as_module = subprocess.run([sys.executable, "-m", "eventwatch", "--version"], capture_output=True, text=True)
    assert as_module.returncode == 0 and as_module.stdout.startswith("eventwatch ")


def test_workers_are_started_early_only_for_inputs_of_more_than_one_batch(tmp_path):
    from eventwatch.engines.local import worth_workers

    assert not worth_workers([str(SEEDS)], batch_size=200)  # two files
    assert worth_workers([str(SEEDS)], batch_size=1)
    small = tmp_path / "small.csv"
    small.write_text("article_content\nA shell hit Aleppo.\n", encoding="utf-8")
    assert not worth_workers([str(small)])
    big = tmp_path / "big.csv"
    big.write_text("article_content\n" + "A shell hit Aleppo on Monday, killing two people.\n" * 20_000, encoding="utf-8")
    assert worth_workers([str(small), str(big)])
    assert not worth_workers(["https://example.org/feed.xml", str(tmp_path / "missing.csv")])


def test_the_driver_inserts_store_the_rows_a_core_insert_stores(tmp_path):
    """The writer's executemany with the columns' bind processors against SQLAlchemy's own insert, on the
    rows of real coded articles (dates, booleans, floats, None)."""
    from sqlalchemy import insert, select

    from eventwatch.engines.local import code_one
    from eventwatch.ingest import read_sources
    from eventwatch.records import Article
    from eventwatch.store import open_store
    from eventwatch.store.db import TABLE_OF
    from eventwatch.store.rows import TABLES
    from eventwatch.store.schema import articles

    prepared = [code_one(a, True) for a in read_sources([SEEDS]) if isinstance(a, Article)][:3]
    assert sum(p.n_events for p in prepared) > 3
    fast, core = open_store(str(tmp_path / "fast.db")), open_store(str(tmp_path / "core.db"))
    fast.save_prepared(prepared)
    with core.writing() as conn:
        conn.execute(insert(articles), [p.article for p in prepared])
        for name in TABLES:
            rows = [r for p in prepared for r in p.events[name]]
            if rows:
                conn.execute(insert(TABLE_OF[name]), rows)
    for name in ("events", "event_sources", "claims", "evidence", "event_records"):
        table = TABLE_OF[name]
        with fast.engine.connect() as a, core.engine.connect() as b:
            got = a.execute(select(table).order_by(*table.primary_key.columns)).all()
            want = b.execute(select(table).order_by(*table.primary_key.columns)).all()
        assert got == want and got, name
    with fast.engine.connect() as a:  # stored as text the way SQLAlchemy writes dates and flags
        raw = a.exec_driver_sql("SELECT event_date, background FROM events WHERE event_date IS NOT NULL").first()
    assert len(raw[0]) == 10 and raw[0][4] == "-" and raw[1] in (0, 1)


def schema_rows(path: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


def test_the_shipped_sqlite_schema_is_what_the_migrations_make(tmp_path):
    """After a new migration: python -c 'from eventwatch.store.db import write_sqlite_schema as w; w()'"""
    from eventwatch.store.db import SQLITE_SCHEMA, write_sqlite_schema

    shipped = ROOT / "src" / "eventwatch" / "store" / "migrations" / SQLITE_SCHEMA
    assert write_sqlite_schema(tmp_path / "now.json").read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")


def test_a_new_database_made_from_the_shipped_schema_is_a_migrated_one(tmp_path):
    from eventwatch.store import open_store
    from eventwatch.store.db import HEAD, make_engine, migrate, schema_version

    store = open_store(str(tmp_path / "new.db"))
    assert schema_version(store.engine) == HEAD
    engine = make_engine(str(tmp_path / "migrated.db"))
    with engine.connect() as conn, conn.begin():
        migrate(conn)
    assert schema_rows(tmp_path / "new.db") == schema_rows(tmp_path / "migrated.db")
    assert len(schema_rows(tmp_path / "new.db")) > 40  # tables, indexes, FTS tables and their triggers
    store.save_prepared([])  # and it opens again as at HEAD, without migrating
    assert schema_version(open_store(str(tmp_path / "new.db")).engine) == HEAD
