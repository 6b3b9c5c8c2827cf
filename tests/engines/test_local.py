"""`eventwatch run --workers N`: the same database as one worker, a killed worker loses nothing, a re-run
adds nothing. Real processes, real SQLite files, the seeds and the bundled FA-KES sample."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app

runner = CliRunner(env={"COLUMNS": "200"})
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample" / "fakes-dev-sample.csv"
EVENTWATCH = [sys.executable, "-m", "eventwatch.cli"]


def export(db: str, out: Path) -> bytes:
    result = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def run(db: str, *args: str) -> str:
    result = subprocess.run([*EVENTWATCH, "run", *args, "--db", db], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_two_workers_store_byte_for_byte_what_one_worker_stores(tmp_path, seeds_dir):
    inputs = [str(seeds_dir), str(SAMPLE)]
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    # small batches, so that the sample spreads over several batches and the pool is used
    run(one, *inputs, "--workers", "1", "--batch-size", "8")
    run(two, *inputs, "--workers", "2", "--batch-size", "8")
    assert export(one, tmp_path / "one.jsonl") == export(two, tmp_path / "two.jsonl")
    reports_one = runner.invoke(app, ["export", "--format", "jsonl", "--reports", "-o", str(tmp_path / "r1"),
                                      "--db", one])
    reports_two = runner.invoke(app, ["export", "--format", "jsonl", "--reports", "-o", str(tmp_path / "r2"),
                                      "--db", two])
    assert reports_one.exit_code == reports_two.exit_code == 0
    assert (tmp_path / "r1").read_bytes() == (tmp_path / "r2").read_bytes()
    again = run(two, *inputs, "--workers", "2", "--batch-size", "8")  # a re-run adds nothing
    assert "articles stored" in again
    assert export(two, tmp_path / "again.jsonl") == export(one, tmp_path / "one.jsonl")


def test_pool_engine_codes_in_worker_processes_and_keeps_input_order(tmp_path, seeds_dir):
    """In-process: the engine with a batch smaller than the input, so that articles go to workers."""
    from eventwatch.engines.local import run_local
    from eventwatch.ingest import read_sources
    from eventwatch.store import open_store

    one, two = open_store(str(tmp_path / "a.db")), open_store(str(tmp_path / "b.db"))
    r1 = run_local(read_sources([SAMPLE]), one, workers=1, batch_size=16)
    r2 = run_local(read_sources([SAMPLE]), two, workers=2, batch_size=16)
    assert r1.stored == r2.stored > 16 and r1.events_written == r2.events_written
    assert [a.article_id for a in one.list_articles(limit=500)] == [a.article_id for a in two.list_articles(limit=500)]
    assert [e.model_dump_json() for e in one.iter_events("fused")] == [
        e.model_dump_json() for e in two.iter_events("fused")]


def test_fusing_during_the_run_gives_one_and_two_workers_the_same_events(tmp_path):
    """Fusions every few articles: in line with one worker, in a thread beside the writer with two (the
    workers keep coding meanwhile); each fuses exactly the articles stored since the previous one, so the
    fused events are the same, and every report ends up in one of them."""
    from eventwatch.engines.local import run_local
    from eventwatch.ingest import read_sources
    from eventwatch.store import open_store

    one, two = open_store(str(tmp_path / "a.db")), open_store(str(tmp_path / "b.db"))
    r1 = run_local(read_sources([SAMPLE]), one, workers=1, batch_size=8, fuse_every=10)
    r2 = run_local(read_sources([SAMPLE]), two, workers=2, batch_size=8, fuse_every=10)
    assert r1.stored == r2.stored > 30
    assert [e.model_dump_json() for e in one.iter_events("fused")] == [
        e.model_dump_json() for e in two.iter_events("fused")]
    assert one.count_pending() == two.count_pending() == 0
    linked = set(two.fused_by_report())
    assert linked == {e.event_id for e in two.iter_events("report")}


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, seeds_dir):
    """SIGKILL one coding process while the run goes on: the run finishes, and its database is what a
    clean run stores (the dead worker's articles are coded again)."""
    inputs = [str(seeds_dir), str(SAMPLE)]
    clean = str(tmp_path / "clean.db")
    run(clean, *inputs, "--workers", "1")
    db = str(tmp_path / "killed.db")
    proc = subprocess.Popen([*EVENTWATCH, "run", *inputs, "--db", db, "--workers", "2", "--batch-size", "4"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killed = None
    deadline = time.time() + 120
    while killed is None and time.time() < deadline and proc.poll() is None:
        # the workers are grandchildren (forked by the fork server); kill the first coder found
        workers = [w for c in children_of(proc.pid) for w in children_of(c)]
        if workers:
            time.sleep(0.3)
            try:
                os.kill(workers[0], signal.SIGKILL)
                killed = workers[0]
            except ProcessLookupError:  # it ended on its own meanwhile: kill the next one seen
                pass
        time.sleep(0.05)
    output = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, output
    assert killed is not None, "no worker process was seen"
    assert "Traceback" not in output
    assert export(db, tmp_path / "k.jsonl") == export(clean, tmp_path / "c.jsonl")


@pytest.mark.postgres
def test_two_workers_fusing_into_postgresql_store_what_one_worker_stores_in_sqlite(tmp_path, pg_url):
    """The fusion thread beside the writer, on a server database: the same fused events as one worker into
    SQLite (the two writers of the process, batches and fusions, take turns on the server)."""
    from sqlalchemy import text

    from eventwatch.engines.local import run_local
    from eventwatch.ingest import read_sources
    from eventwatch.store import open_store

    one, server = open_store(str(tmp_path / "a.db")), open_store(pg_url)
    try:
        run_local(read_sources([SAMPLE]), one, workers=1, batch_size=8, fuse_every=10)
        run_local(read_sources([SAMPLE]), server, workers=2, batch_size=8, fuse_every=10)
        assert [e.model_dump_json() for e in one.iter_events("fused")] == [
            e.model_dump_json() for e in server.iter_events("fused")]
        assert server.count_pending() == 0
    finally:
        with server.engine.begin() as conn:  # leave the server as we found it
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
