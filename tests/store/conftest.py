"""The store's tests run on SQLite always, and on PostgreSQL too when EVENTWATCH_TEST_PG_URL names a
server (`make test-postgres` starts a throwaway one)."""

from __future__ import annotations

import os

import pytest

from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.store import open_store

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
    with s.engine.begin() as conn:  # leave the server as we found it: every table the migrations made
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
