"""What the API and web benchmarks share: a database of the bundled sample coded and fused, synthetic
events written to it in batches, a free port on 127.0.0.1 and a real `eventwatch serve` on it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article, fuse_pending
from eventwatch.records import Article, Event
from eventwatch.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"
BATCH = 5000


def sample_store(path: str):
    """(store, its fused events): the bundled sample corpus coded into a new database at `path`."""
    store = open_store(path)
    for item in read_sources([str(SAMPLE)]):
        if isinstance(item, Article):
            store.save_article(*code_article(item))
    fuse_pending(store)
    return store, list(store.iter_events("fused"))


def write_fused(store, events: Iterable[Event]) -> int:
    """Write synthetic fused events in batches of BATCH; returns the number of fused events stored."""
    batch: list[Event] = []
    for e in events:
        batch.append(e)
        if len(batch) == BATCH:
            store.upsert_fused(batch)
            batch = []
    if batch:
        store.upsert_fused(batch)
    return store.count_kind("fused")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepared_database(db: str, events: int, build: Callable[[str, int], int], reuse: bool) -> int:
    """The number of fused events in `db` after building it with `build(db, events)`, unless `reuse` and it
    already holds that many; prints how long it took."""
    t0 = time.perf_counter()
    total = open_store(db).count_kind("fused") if reuse and Path(db).exists() else 0
    if total < events:
        total = build(db, events)
    print(f"database: {total} fused events ({time.perf_counter() - t0:.1f} s to prepare)")
    return total


@contextmanager
def serving(db: str, *options: str) -> Iterator[str]:
    """A real `eventwatch serve` on `db` (with `options`) on a free port of 127.0.0.1: yields its base URL once
    it answers, and stops it afterwards."""
    port = free_port()
    exe = Path(sys.executable).with_name("eventwatch")
    server = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port), *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(f"{base}/api/config", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
