"""Writers at the same instant (issue 11, item 2): 100 identical POSTs sent at once to a real
`eventwatch serve --workers 2` (two uvicorn processes on 127.0.0.1) on a fresh database give every caller
a success with the same article id, store one article, and leave exactly what one POST on a fresh database
leaves: the same fused events and reports in the JSONL export, the same statistics and map. On SQLite
always, on PostgreSQL too under `make test-postgres`."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from test_api_hardening import BACKENDS, PG_URL, eventwatch_command, free_port, reset_postgres

from eventwatch.api import create_app
from eventwatch.store import open_store

TOKEN = "concurrent-token-77"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CALLERS = 100
ARTICLE = {
    "text": ("Five civilians were killed and eight wounded on Monday when government warplanes struck a market in "
             "the town of Saraqib in Idlib province, the Syrian Observatory for Human Rights said. Two days "
             "earlier, clashes between rebels and government forces near Kafr Nabl killed three fighters, "
             "the monitor added."),
    "title": "Airstrike on Saraqib market kills five",
    "outlet": "Test Wire",
    "published": "2019-05-14",
}
# what the map and the statistics show: every view of the fused events a user reads
VIEWS = ["/api/events?limit=1000", "/api/stats?by=month", "/api/stats?by=admin1", "/api/aggregate?by=admin1", "/api/aggregate?by=grid",
         "/api/export?format=jsonl"]


@pytest.fixture(params=BACKENDS)
def fresh_db(request, tmp_path):
    """A function returning the URL or path of a database that does not exist yet (each call: another)."""
    made = []

    def fresh() -> str:
        made.append(None)
        if request.param == "sqlite":
            return str(tmp_path / f"db{len(made)}.db")
        reset_postgres(PG_URL)
        return PG_URL

    yield fresh
    if request.param == "postgres":
        reset_postgres(PG_URL)


def export(db: str, tmp_path: Path, name: str, *extra: str) -> bytes:
    out = tmp_path / f"{name}.jsonl"
    subprocess.run([*eventwatch_command(), "export", "--format", "jsonl", "-o", str(out), "--db", db, *extra],
                   check=True, capture_output=True, timeout=120)
    return out.read_bytes()


def views(base: str) -> dict[str, object]:
    out = {}
    for path in VIEWS:
        r = httpx.get(base + path, timeout=60)
        assert r.status_code == 200, (path, r.text[:300])
        # the time of storing is the one field that differs from a run at another moment
        out[path] = re.sub(r'"stored_at":"[^"]*"', '"stored_at":"-"', r.text)
    return out


def wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("the server stopped: " + proc.stdout.read().decode(errors="replace"))
        try:
            if httpx.get(base + "/api/config", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("the server did not start")


def test_100_identical_posts_at_once_to_two_workers_store_what_one_post_stores(fresh_db, tmp_path, serve_app):
    # the sequential run: one POST to a server on a fresh database
    seq_db = fresh_db()
    with serve_app(create_app(db=seq_db, token=TOKEN)) as base:
        one = httpx.post(base + "/api/articles", json=ARTICLE, headers=AUTH, timeout=120)
        assert one.status_code == 201, one.text
        assert one.json()["events"], "the article codes no event: the comparison would say nothing"
        expected_views = views(base)
    expected_fused = export(seq_db, tmp_path, "seq-fused")
    expected_reports = export(seq_db, tmp_path, "seq-reports", "--reports")

    db = fresh_db()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("EVENTWATCH_TOKEN", "EVENTWATCH_DB")}
    proc = subprocess.Popen([*eventwatch_command(), "serve", "--db", db, "--port", str(port), "--token", TOKEN,
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        # both workers warm (each loads the gazetteer at its first article), so that the POSTs race in
        # the store, not in start-up: a read of a missing article warms nothing, a GET of events does
        for _ in range(8):
            httpx.get(base + "/api/events?limit=1", timeout=60)
        start = threading.Barrier(CALLERS)
        with httpx.Client(limits=httpx.Limits(max_connections=CALLERS), timeout=300) as client:

            def post(_: int) -> httpx.Response:
                start.wait()  # every caller sends at the same instant
                return client.post(base + "/api/articles", json=ARTICLE, headers=AUTH)

            with ThreadPoolExecutor(max_workers=CALLERS) as pool:
                answers = list(pool.map(post, range(CALLERS)))
        statuses = [a.status_code for a in answers]
        assert all(s in (200, 201) for s in statuses), [a.text[:200] for a in answers if a.status_code >= 300][:5]
        assert {a.json()["article_id"] for a in answers} == {one.json()["article_id"]}
        # one caller stored it (201); every other one is told it is already stored: never a false "stored"
        assert sorted(statuses) == [200] * (CALLERS - 1) + [201]
        assert [a.json()["stored"] for a in answers].count(True) == 1
        # and every caller gets the same events, with their fused events, as the one sequential POST
        assert all(a.json()["events"] == one.json()["events"] for a in answers)
        assert open_store(db).count_articles() == 1
        assert views(base) == expected_views  # the map, the statistics, the export count the event once
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert export(db, tmp_path, "conc-fused") == expected_fused
    assert export(db, tmp_path, "conc-reports", "--reports") == expected_reports
