"""What the API and web benchmarks share: a database of the bundled sample coded and fused, synthetic
events written to it in batches, and a free port on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from pathlib import Path

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
