"""Incremental fusion as the database grows: the time to fuse NEW reports into a store that already
holds N fused reports, for several N. Near-linear means the time follows the new reports, not N.

    .venv/bin/python benchmarks/fuse_incremental.py [--stored 10000 100000] [--new 1000] [--db-url URL]

The reports are benchmarks/fuse.py's synthetic ones (real reports' types, actors and figures, random days
from 2012 on, about 115 events a day): N are written and fused first (not timed), then --new more reports on
the latest days are written (not timed) and `fuse_pending` is timed (CPU and wall). Into a new SQLite file
per size, or into the PostgreSQL server at --db-url (its tables are dropped first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuse import synthetic  # noqa: E402
from machine import describe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--db-url")
    args = parser.parse_args()
    from eventwatch.pipeline import fuse_pending
    from eventwatch.store import open_store
    from eventwatch.store.rows import Prepared, article_row, event_rows

    print(describe())
    print(f"{'stored':>9} {'new':>6} {'fuse CPU s':>11} {'fuse wall s':>12} {'reports/CPU s':>14}")
    for n in args.stored:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db_url or str(Path(tmp) / "f.db")
            if args.db_url:
                from run import drop_pg_tables

                drop_pg_tables(db)
            store = open_store(db)
            reports = sorted(synthetic(n + args.new)[0], key=lambda r: (r.event_date, r.event_id))
            old, new = reports[:n], reports[n:]

            def write(batch, store=store):
                from eventwatch.records import Article

                prepared = []
                for r in batch:
                    aid = r.sources[0].article_id
                    a = Article(article_id=aid, raw_text=f"synthetic {aid} {r.event_id}", text="x")
                    prepared.append(Prepared(article_id=aid, content_hash=a.content_hash, article=article_row(a),
                                             events=event_rows([r], kind="report", article_id=aid), n_events=1))
                for i in range(0, len(prepared), 2000):
                    store.save_prepared(prepared[i:i + 2000])

            write(old)
            fuse_pending(store, counts=False)
            write(new)
            cpu, wall = time.process_time(), time.perf_counter()
            summary = fuse_pending(store, counts=False)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{n:>9,} {summary.reports:>6,} {cpu:>11.2f} {wall:>12.2f} {summary.reports / cpu:>14.0f}", flush=True)


if __name__ == "__main__":
    main()
