"""The write path as an unlucky user meets it: kills during creation, two writers at once, a --db that is
not a database, two texts under one id, a run interrupted before fusion (issue 11, items 2, 3, 5, 6, 8)."""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.store import open_store
from eventwatch.store.db import HEAD, StoreError

runner = CliRunner(env={"COLUMNS": "200"})
EVENTWATCH = [sys.executable, "-m", "eventwatch.cli"]
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "fakes-dev-sample.csv"


def export(db: str, tmp_path: Path, name: str, *extra: str) -> bytes:
    out = tmp_path / f"{name}.jsonl"
    result = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--db", db, *extra])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_head_constant_is_alembics_head():
    from importlib.resources import files

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(files("eventwatch.store") / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def _open(path: str) -> None:
    open_store(path)


def test_a_kill_while_a_fresh_database_is_created_never_ruins_it(tmp_path, seeds_dir):
    """open_store on a fresh database killed (SIGKILL) at 50 random moments; every database then opens and
    takes a run."""
    ctx = multiprocessing.get_context("fork")
    started = time.perf_counter()
    _open(str(tmp_path / "timing.db"))
    span = max(time.perf_counter() - started, 0.05)
    rng = random.Random(11)
    killed_mid = 0
    for i in range(50):
        path = str(tmp_path / f"k{i}.db")
        child = ctx.Process(target=_open, args=(path,))
        child.start()
        time.sleep(rng.uniform(0, span * 1.2))
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
            killed_mid += 1
        child.join()
        store = open_store(path)  # must open (and finish the schema) whatever the kill left
        assert store.count_articles() == 0
    assert killed_mid >= 10  # the kills did land during creation
    db = str(tmp_path / "k0.db")
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", db])
    assert result.exit_code == 0, result.output


def test_two_runs_at_once_on_a_fresh_database_store_what_one_run_stores(tmp_path, seeds_dir):
    one = str(tmp_path / "one.db")
    assert runner.invoke(app, ["run", str(seeds_dir), str(SAMPLE), "--db", one]).exit_code == 0
    both = str(tmp_path / "both.db")
    procs = [subprocess.Popen([*EVENTWATCH, "run", str(seeds_dir), str(SAMPLE), "--db", both, "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out
        assert "Traceback" not in out
    # as the runs left them (each fused what it stored): the same reports and fused events as one run
    assert export(both, tmp_path, "both-reports", "--reports") == export(one, tmp_path, "one-reports", "--reports")
    assert export(both, tmp_path, "both") == export(one, tmp_path, "one")
    assert open_store(both).count_pending() == 0
    runner.invoke(app, ["fuse", "--db", both])  # and a full re-fuse of either changes nothing
    assert export(both, tmp_path, "both-refused") == export(one, tmp_path, "one")


@pytest.mark.parametrize("kind", ["folder", "text file", "missing folder", "unreachable server"])
def test_a_db_that_is_not_a_database_is_a_one_line_error(tmp_path, seeds_dir, kind):
    if kind == "folder":
        db = str(tmp_path)
    elif kind == "text file":
        db = str(tmp_path / "notes.txt")
        Path(db).write_text("these are my notes, not a database\n" * 100)
    elif kind == "missing folder":
        db = str(tmp_path / "nowhere" / "x.db")
    else:
        db = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    result = subprocess.run([*EVENTWATCH, "run", str(seeds_dir), "--db", db], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and db.split("?")[0][:20] in lines[0], result.stderr
    if kind == "text file":
        assert Path(db).read_text().startswith("these are my notes")  # untouched
    with pytest.raises(StoreError):
        open_store(db)


def test_a_second_text_under_a_taken_id_gets_a_derived_id_never_an_overwrite(tmp_path):
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    clash = dict(rows[1], unit_id=rows[0]["unit_id"])  # another article under the first one's id
    copy = dict(rows[2], unit_id="copy-of-" + rows[2]["unit_id"])  # the same text under a new id
    path = tmp_path / "clash.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows([rows[0], clash, rows[2], copy])
    db = str(tmp_path / "c.db")
    result = runner.invoke(app, ["run", str(path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "already names another text" in result.output
    store = open_store(db)
    first = store.get_article(rows[0]["unit_id"])
    assert first is not None and first.raw_text.strip().startswith(rows[0]["article_content"].strip()[:40])
    ids = {a.article_id for a in store.list_articles(limit=10)}
    derived = [i for i in ids if i.startswith(rows[0]["unit_id"] + "~")]
    assert len(derived) == 1 and len(ids) == 3
    assert store.get_article(derived[0]).raw_text.strip().startswith(rows[1]["article_content"].strip()[:40])
    assert store.aliases() == {rows[2]["unit_id"]: ["copy-of-" + rows[2]["unit_id"]]}
    again = runner.invoke(app, ["run", str(path), "--db", db])  # a re-run adds nothing, renames nothing new
    assert again.exit_code == 0 and store.count_articles() == 3


def test_reports_an_interrupted_run_left_unfused_are_fused_at_the_next_start(tmp_path, seeds_dir):
    from eventwatch.ingest import read_sources
    from eventwatch.pipeline import code_article

    db = str(tmp_path / "i.db")
    store = open_store(db)
    for item in read_sources([seeds_dir]):  # stored, never fused: what a killed run leaves
        store.save_article(*code_article(item))
    assert store.count_kind("fused") == 0 and store.count_pending() > 0
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", db])
    assert result.exit_code == 0 and "left unfused by an earlier run were fused" in result.output
    assert store.count_pending() == 0 and store.count_kind("fused") > 0


def _fuse_and_time(url: str, ready, out) -> None:
    from eventwatch.pipeline import fuse_pending

    store = open_store(url)
    ready.set()
    started = time.monotonic()
    fuse_pending(store)
    out.put(time.monotonic() - started)


def test_one_fusion_at_a_time_across_processes(store, coded):
    """While one process fuses (holds the fusion lock), another process's fusion waits for it: each reads
    what the other wrote, so that no report is fused into two events (SQLite and PostgreSQL)."""
    for article, events in coded:
        store.save_article(article, events)
    url = store.engine.url.render_as_string(hide_password=False)
    if url.startswith("sqlite:///"):
        url = url.removeprefix("sqlite:///")
    ctx = multiprocessing.get_context("fork")
    out, ready = ctx.Queue(), ctx.Event()
    with store.fusion_lock():
        other = ctx.Process(target=_fuse_and_time, args=(url, ready, out))
        other.start()
        assert ready.wait(60)
        time.sleep(1.0)
        assert out.empty()  # waiting for the lock, not fusing behind this process's back
    other.join(60)
    assert out.get(timeout=5) >= 0.9
    assert store.count_pending() == 0 and store.count_kind("fused") > 0


def unfused_database(path: Path, coded) -> str:
    """A database as a killed run leaves it: articles and reports stored, nothing fused."""
    store = open_store(str(path))
    for article, events in coded:
        store.save_article(article, events)
    assert store.count_kind("fused") == 0 and store.count_pending() > 0
    return str(path)


def test_serve_and_watch_fuse_what_an_interrupted_run_left_at_start_up(tmp_path, coded):
    import socket

    import httpx

    db = unfused_database(tmp_path / "w.db", coded)
    watched = subprocess.run([*EVENTWATCH, "watch", "--once", "--db", db], capture_output=True, text=True,
                             timeout=120)
    assert watched.returncode == 0, watched.stderr
    assert "left unfused by an earlier run were fused" in watched.stderr
    assert open_store(db).count_pending() == 0 and open_store(db).count_kind("fused") > 0

    db = unfused_database(tmp_path / "s.db", coded)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([*EVENTWATCH, "serve", "--db", db, "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/api/events", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        # the map's default view (fused events) shows the reports the run left, without any run or fuse
        assert page.json()["total"] == open_store(db).count_kind("fused") > 0
        assert open_store(db).count_pending() == 0
    finally:
        server.terminate()
        server.wait(30)
