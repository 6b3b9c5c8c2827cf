"""Speed of ingest + clean + store (no extraction): articles per second, on one core.

    .venv/bin/python benchmarks/ingest.py [--csv PATH] [--db PATH]

Reads FA-KES (804 articles) and the seeds into a fresh SQLite database, one transaction per article,
as `eventwatch ingest` does; then runs the same input again to measure the re-ingest (nothing added).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from eventwatch.clean import clean_article
from eventwatch.ingest import read_sources
from eventwatch.records import Article
from eventwatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
FAKES = ROOT.parent / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"


def ingest(paths: list[Path], db: str) -> tuple[int, int, float]:
    store = open_store(db)
    start = time.perf_counter()
    read = stored = 0
    for item in read_sources(paths):
        if not isinstance(item, Article):
            continue
        read += 1
        if store.has_article(content_hash=item.content_hash):
            continue
        stored += int(store.add_article(clean_article(item)))
    return read, stored, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, default=FAKES)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    paths = [args.csv, ROOT / "tests" / "data" / "seeds"]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        read, stored, seconds = ingest(paths, db)
        print(f"ingest+clean+store: {read} articles read, {stored} stored in {seconds:.2f} s "
              f"= {read / seconds:.0f} articles/s (one core, SQLite)")
        read, stored, seconds = ingest(paths, db)
        print(f"re-ingest of the same input: {stored} added, {read / seconds:.0f} articles/s")


if __name__ == "__main__":
    main()
