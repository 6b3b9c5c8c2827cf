"""A watcher killed outright (SIGKILL) resumes where it was; SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from watchsite import article_html, real_texts, rss

from eventwatch.sources import SourceSpec
from eventwatch.store import open_store
from eventwatch.store import watch_store as ws

EVENTWATCH = str(Path(sys.executable).parent / "eventwatch")
TEXTS = real_texts()


def count(db: str, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the tables are not there yet
        return 0


def three_feeds(site) -> None:
    for f in range(3):
        items = []
        for i in range(3 * f, 3 * f + 3):
            site.set(f"/news/story-number-{i}", article_html(*TEXTS[i]), delay=0.3)
            items.append({"url": site.url(f"/news/story-number-{i}"), "title": TEXTS[i][0]})
        site.set(f"/feed-{f}", rss(items), ctype="application/rss+xml")


def test_a_killed_watcher_resumes_and_codes_nothing_twice(site, db, tmp_path):
    three_feeds(site)
    store = open_store(db)
    for f in range(3):
        ws.add_source(store, SourceSpec(url=site.url(f"/feed-{f}")))
    alerts = tmp_path / "alerts.jsonl"
    subprocess.run([EVENTWATCH, "alerts", "add", "all", "--jsonl", str(alerts), "--db", db], check=True,
                   capture_output=True)
    proc = subprocess.Popen([EVENTWATCH, "watch", "--rate", "0", "--workers", "1", "--db", db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count(db, "SELECT count(*) FROM articles") < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    stored_when_killed = count(db, "SELECT count(*) FROM articles")
    assert 1 <= stored_when_killed < 9
    done = subprocess.run([EVENTWATCH, "watch", "--once", "--force", "--rate", "0", "--db", db],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert count(db, "SELECT count(*) FROM articles") == 9, done.stdout + done.stderr
    assert count(db, "SELECT count(*) FROM watch_items WHERE status = 'stored'") == 9
    # Every article coded once: as many reports as a single uninterrupted run makes.
    reference = str(tmp_path / "reference.db")
    ref = open_store(reference)
    for f in range(3):
        ws.add_source(ref, SourceSpec(url=site.url(f"/feed-{f}")))
    subprocess.run([EVENTWATCH, "watch", "--once", "--rate", "0", "--db", reference], check=True, capture_output=True)
    assert count(db, "SELECT count(*) FROM events WHERE kind = 'report'") == \
        count(reference, "SELECT count(*) FROM events WHERE kind = 'report'")
    # Each fused event alerted once, none lost.
    lines = [json.loads(x) for x in alerts.read_text().splitlines()]
    assert len(lines) == len({x["event_id"] for x in lines}) == count(
        db, "SELECT count(*) FROM events WHERE kind = 'fused' AND background = 0")


def test_sigterm_stops_the_watcher_cleanly(site, db):
    three_feeds(site)
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed-0")))
    proc = subprocess.Popen([EVENTWATCH, "watch", "--rate", "0", "--db", db], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while count(db, "SELECT count(*) FROM watch_items WHERE status = 'stored'") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert "stopped" in stderr


def test_serve_watch_runs_the_watcher_beside_the_api(site, db):
    import socket

    import httpx

    three_feeds(site)
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed-1"), name="Feed one"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([EVENTWATCH, "serve", "--watch", "--port", str(port), "--db", db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, body = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=2).json()
                if body["items"].get("stored") == 3:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        (src,) = body["sources"]
        assert src["name"] == "Feed one" and src["health"] == "ok" and src["items_stored"] == 3
    finally:
        proc.terminate()
        proc.wait(10)
