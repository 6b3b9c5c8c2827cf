"""`eventwatch run --engine ray` on a local Ray instance with 2 workers: the same database as a
single-process run of the seeds and the bundled FA-KES sample, into SQLite and into PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[scale]' (make test does)")

runner = CliRunner(env={"COLUMNS": "200"})
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample" / "fakes-dev-sample.csv"


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray instance for the module: 2 coding workers and a slot for the read tasks."""
    import os

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=3, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield
    ray.shutdown()


def export(db: str, out: Path, *extra: str) -> bytes:
    result = runner.invoke(app, ["export", "--format", "jsonl", *extra, "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def run(db: str, seeds_dir, *options: str) -> None:
    result = runner.invoke(app, ["run", str(seeds_dir), str(SAMPLE), "--db", db, *options])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def single(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("single")
    db = str(folder / "single.db")
    run(db, seeds_dir, "--workers", "1")
    return export(db, folder / "fused.jsonl"), export(db, folder / "reports.jsonl", "--reports")


def test_ray_engine_stores_what_one_process_stores(local_ray, single, tmp_path, seeds_dir):
    db = str(tmp_path / "ray.db")
    run(db, seeds_dir, "--engine", "ray", "--workers", "2", "--batch-size", "8")
    assert export(db, tmp_path / "f.jsonl") == single[0]
    assert export(db, tmp_path / "r.jsonl", "--reports") == single[1]
    run(db, seeds_dir, "--engine", "ray", "--workers", "2")  # a re-run adds nothing
    assert export(db, tmp_path / "again.jsonl") == single[0]


@pytest.fixture(scope="module")
def single_fused_often(tmp_path_factory, seeds_dir):
    """A one-process run that fuses every 10 stored articles (batches of 8): many incremental fusions."""
    folder = tmp_path_factory.mktemp("often")
    db = str(folder / "single.db")
    run(db, seeds_dir, "--workers", "1", "--batch-size", "8", "--fuse-every", "10")
    return export(db, folder / "fused.jsonl"), export(db, folder / "reports.jsonl", "--reports")


@pytest.mark.postgres
def test_ray_workers_write_to_postgresql_what_one_process_stores(local_ray, single_fused_often, pg_url, tmp_path,
                                                                 seeds_dir):
    """Into PostgreSQL the two workers write their batches themselves, in whatever order they finish; the
    driver fuses at the one-process run's points (here every 10 articles), in Ray tasks by blocking key:
    the same reports, ids and fused events, byte for byte; a re-run adds nothing."""
    from sqlalchemy import text

    from eventwatch.store import open_store

    try:
        run(pg_url, seeds_dir, "--engine", "ray", "--workers", "2", "--batch-size", "8", "--fuse-every", "10")
        assert export(pg_url, tmp_path / "f.jsonl") == single_fused_often[0]
        assert export(pg_url, tmp_path / "r.jsonl", "--reports") == single_fused_often[1]
        run(pg_url, seeds_dir, "--engine", "ray", "--workers", "2", "--batch-size", "8")
        assert export(pg_url, tmp_path / "again.jsonl") == single_fused_often[0]
        assert open_store(pg_url).count_pending() == 0
    finally:
        with open_store(pg_url).engine.begin() as conn:  # leave the server as we found it
            conn.execute(text("DROP TABLE IF EXISTS pending_reports, article_aliases, report_links, evidence, claims, "
                              "event_sources, event_records, events, articles, alembic_version CASCADE"))


def test_without_ray_the_command_says_how_to_install_it(tmp_path, seeds_dir, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", str(tmp_path / "x.db"), "--engine", "ray"])
    assert result.exit_code == 2 and "pip install 'eventwatch[scale]'" in result.output
