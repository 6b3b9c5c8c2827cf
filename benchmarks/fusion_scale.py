"""Incremental fusion at scale: a database holding N stored reports (and their fused events), then 10,000 new
reports fused into it (`fuse_pending`): CPU time, wall time and peak memory for each N, on SQLite and on
PostgreSQL. Near-linear means the fusion's time follows the new reports, not N.

    .venv/bin/python benchmarks/fusion_scale.py [--stored 10000 100000 1000000] [--new 10000]
        [--where latest|spread] [--pg-url postgresql+psycopg://...] [--no-sqlite] [--keep DIR]

The database is built fast, by bulk inserts (SQLite: executemany in transactions of 20,000 reports;
PostgreSQL: COPY), not by coding articles: synthetic reports made as benchmarks/fuse.py makes them (real
reports' types, actors and figures; about 115 events and 290 reports a day, so a bigger database covers
more days, as a growing one does; each event reported by 1 to 4 articles that differ in date, place and
toll; records without evidence spans), one article per report, and one stored fused event per event (its
stored reports fused by fuse.fuse_cluster), linked as `fuse_pending` links them. The new reports are
events of the same kind: --where latest (the default, a daily feed) puts them on the last ~70 days, where
about half are later reports of stored events; --where spread puts them on any day (late reports of old
events: the most windows to read); --countries K spreads the stored events over K countries at the same
total density and puts the new ones in one of them (a regional feed into a worldwide database). They are written through the store's own path (Store.save_prepared:
pending, as a run leaves them), then one child process opens the database and runs `fuse_pending` alone:
its CPU time (process_time), wall time, and peak memory (the peak RSS of that process, VmHWM, with its
RSS after start-up beside it) are what is reported. The PostgreSQL server's own CPU and memory are not counted. Into
PostgreSQL every table of the database at --pg-url is dropped first (use a throwaway server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

CHUNK = 20_000  # reports per bulk-insert transaction
REPORTS_PER_DAY = 290  # as benchmarks/fuse.py: about 115 events a day, 2.5 reports each
LATE_SHARE = 0.6  # --where latest: the share of the reports of the last days that are new


def templates():
    """(real reports, places): what the synthetic reports are made of (benchmarks/fuse.py's recipe)."""
    from fuse import real_reports, synthetic_places

    rng = random.Random(11)
    real = real_reports()
    places = synthetic_places(real, rng)
    return real, places


def events_stream(total: int, new: int, where: str, countries: int = 1, seed: int = 11):
    """Yield (stored reports, new reports) per synthetic event, day by day, `total` reports in all, about
    `new` of them new (see the module's docstring); with `countries` > 1 the events are spread over that
    many countries (copies of the real one, "Syria 2", ...) and the new reports are all in the first."""
    from fuse import synthetic_report

    rng = random.Random(seed)
    real, places = templates()
    start = dt.date(2012, 1, 1)
    days = max(1, round(total / REPORTS_PER_DAY))
    late_days = max(1, round(new * countries / (REPORTS_PER_DAY * LATE_SHARE)))
    made = 0
    for d in range(days + 1):
        share = (min(1.0, new * countries / total) if where == "spread"
                 else (LATE_SHARE if d >= days - late_days else 0.0))
        quota = min(total - made, REPORTS_PER_DAY if d < days else total - made)
        day_made = 0
        while day_made < quota:
            base = rng.choice(real)
            day = start + dt.timedelta(days=d)
            place = rng.choice(places)
            other = rng.randrange(countries)  # 0: the country of the new reports
            country = f"{place[6]} {other + 1}" if other else place[6]
            stored, fresh = [], []
            for _ in range(min(quota - day_made, rng.choice([1, 1, 2, 2, 3, 3, 4]))):
                when = day + dt.timedelta(days=rng.choice([-1, 1])) if rng.random() < 0.3 else day
                report = synthetic_report(base, made, when, place, country, rng)
                (fresh if not other and rng.random() < share else stored).append(report)
                made += 1
                day_made += 1
            yield stored, fresh
        if made >= total:
            return


def article_for(report):
    from eventwatch.records import Article

    aid = report.sources[0].article_id
    return Article(article_id=aid, raw_text=f"synthetic article {aid} ({report.event_id})", text="x")


def bulk_rows(events_) -> dict[str, list[dict]]:
    """Every table's rows for a chunk of synthetic events already stored: articles, reports, fused events."""
    from eventwatch.fuse import Cluster, fuse_cluster
    from eventwatch.store.rows import TABLES, article_row, event_rows

    out: dict[str, list[dict]] = {"articles": [], **{t: [] for t in TABLES}}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    reports, fused = [], []
    for stored in events_:
        for r in stored:
            out["articles"].append({**article_row(article_for(r)), "ingested_at": now})
            reports.append(r)
        fused.append(fuse_cluster(Cluster(reports=list(stored))))
    for kind, group in (("report", reports), ("fused", fused)):
        for table, rows in event_rows(group, kind=kind).items():
            if kind == "report":  # each report's article
                for row in rows if table == "events" else ():
                    row["article_id"] = "a" + row["event_id"][1:]
            out[table] += rows
    return out


ORDER = ("articles", "events", "event_records", "event_sources", "claims", "evidence", "report_links")


def insert_bulk(store, rows: dict[str, list[dict]]) -> None:
    """One transaction: COPY on PostgreSQL, executemany on SQLite, in foreign-key order."""
    from sqlalchemy import insert

    from eventwatch.store.db import TABLE_OF
    from eventwatch.store.schema import articles

    tables = {"articles": articles, **TABLE_OF}
    if store.engine.dialect.name == "postgresql":
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            for name in ORDER:
                if rows.get(name):
                    cols = list(rows[name][0])
                    quoted = ", ".join(f'"{c}"' for c in cols)  # "end" is a keyword
                    with cur.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                        for row in rows[name]:
                            copy.write_row([row[c] for c in cols])
            raw.commit()
        finally:
            raw.close()
        return
    with store.engine.begin() as conn:
        for name in ORDER:
            if rows.get(name):
                conn.execute(insert(tables[name]), rows[name])


def build(db: str, stored_n: int, new: int, where: str, countries: int = 1) -> tuple[int, int, float]:
    """Write the stored state in bulk and the new reports through the store; (stored, new, seconds)."""
    from eventwatch.store import open_store
    from eventwatch.store.rows import prepare

    t0 = time.perf_counter()
    store = open_store(db)
    chunk, fresh, n_stored = [], [], 0
    for stored, late in events_stream(stored_n + new, new, where, countries):
        if stored:
            chunk.append(stored)
            n_stored += len(stored)
        fresh += late
        if sum(len(c) for c in chunk) >= CHUNK:
            insert_bulk(store, bulk_rows(chunk))
            chunk = []
    if chunk:
        insert_bulk(store, bulk_rows(chunk))
    for i in range(0, len(fresh), 2000):  # pending, as a run leaves them
        store.save_prepared([prepare(article_for(r), [r]) for r in fresh[i:i + 2000]])
    store.engine.dispose()
    return n_stored, len(fresh), time.perf_counter() - t0


def memory_mb(field: str) -> float:
    """VmRSS or VmHWM (peak RSS) of this process, from /proc: unlike getrusage's ru_maxrss, which keeps the
    peak of the process this one was forked from across exec, VmHWM starts afresh with the program."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(db: str) -> None:
    """In a process of its own: open the database and fuse what is pending; print the figures as JSON."""
    from eventwatch.pipeline import fuse_pending
    from eventwatch.store import open_store

    store = open_store(db)
    start_rss = memory_mb("VmRSS")
    cpu, wall = time.process_time(), time.perf_counter()
    summary = fuse_pending(store, counts=False)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"cpu": cpu, "wall": wall, "start_mb": start_rss,
                      "peak_mb": memory_mb("VmHWM"),
                      "reports": summary.reports, "fused_written": summary.fused_written}))


def reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--where", choices=["latest", "spread"], default="latest")
    parser.add_argument("--countries", type=int, default=1,
                        help="spread the stored events over this many countries; the new ones are in one")
    parser.add_argument("--pg-url", help="a throwaway PostgreSQL database: its tables are dropped")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", type=Path, help="build the SQLite files in this folder and keep them")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    print(describe())
    print(f"new reports on the {args.where} days, stored ones in {args.countries} countries (the new ones in "
          "one); figures of the fuse_pending process alone")
    print(f"{'backend':<10} {'stored':>9} {'new':>6} {'build s':>8} {'fuse CPU s':>10} {'fuse wall s':>11} "
          f"{'new/CPU s':>9} {'start MB':>8} {'peak MB':>8} {'fused written':>13}")
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.pg_url else [])
    with tempfile.TemporaryDirectory(prefix="ew-fusion-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for backend in backends:
            for n in args.stored:
                if backend == "sqlite":
                    db = str(folder / f"fusion-{n}-{args.where}.db")
                    for suffix in ("", "-wal", "-shm"):
                        Path(db + suffix).unlink(missing_ok=True)
                else:
                    db = args.pg_url
                    reset_pg(db)
                stored, new, took = build(db, n, args.new, args.where, args.countries)
                out = subprocess.run([sys.executable, __file__, "--measure", db], capture_output=True, text=True)
                if out.returncode != 0:
                    print(out.stderr, file=sys.stderr)
                    raise SystemExit(out.returncode)
                m = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{backend:<10} {stored:>9,} {m['reports']:>6,} {took:>8.1f} {m['cpu']:>10.2f} "
                      f"{m['wall']:>11.2f} {m['reports'] / max(m['cpu'], 1e-9):>9.0f} {m['start_mb']:>8.0f} "
                      f"{m['peak_mb']:>8.0f} {m['fused_written']:>13,}", flush=True)


if __name__ == "__main__":
    main()
