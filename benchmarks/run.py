"""End-to-end speed of `eventwatch run`, the whole process counted, against the raw-scan limit.

    .venv/bin/python benchmarks/run.py [--csv FA-KES.csv] [--synthetic 10000 100000 1000000]
        [--workers 1 2] [--ray] [--pg-url postgresql+psycopg://...] [--skip-fakes]

For each corpus (FA-KES itself, and synthetic corpora of the sizes given, made by perturbing real FA-KES
articles: other numbers, other dates, a sentence of its own so that each text is new) and each
configuration (`--workers N` for each N given; `--engine ray --workers 2` with --ray), into a new SQLite
file and, with --pg-url (or EVENTWATCH_TEST_PG_URL), into PostgreSQL, it runs the real command in a child
process and reports: articles per second of CPU time (user + system of the command and every process it
waited for: resource.getrusage(RUSAGE_CHILDREN)), CPU time, wall time and the peak resident memory of the
largest process. The raw-scan limit is one read of the CSV plus one Aho-Corasick pass with the gazetteer's
names over the lower-cased texts (the automaton is built before timing): the ratio to aim at.
The machine (CPU model, cores, load average, Python) is printed first: figures from a busy machine say so.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from machine import describe
except ImportError:  # run from another folder
    from benchmarks.machine import describe

ROOT = Path(__file__).resolve().parents[1]
FAKES = ROOT.parent / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"
EVENTWATCH = [sys.executable, "-m", "eventwatch.cli"]
NUMBER = re.compile(r"\b\d{1,3}\b")
FILLERS = ["Residents said", "A local source added", "Activists reported", "Witnesses described", "Medics said"]


def synthetic(source: Path, n: int, out: Path, seed: int = 12) -> Path:
    """A CSV of n articles made from FA-KES's: small numbers changed, dates moved by up to a year, one
    sentence appended so that every text (and id) is new. Written row by row: memory stays flat."""
    rng = random.Random(seed)
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            text = NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), row["article_content"])
            text += f" {rng.choice(FILLERS)} that report {i} was filed on day {rng.randint(1, 28)}."
            row.update(unit_id=f"syn-{i}", article_content=text)
            try:
                import datetime as dt

                day = dt.datetime.strptime(row["date"].strip(), "%m/%d/%Y") + dt.timedelta(days=rng.randint(-180, 180))
                row["date"] = day.strftime("%m/%d/%Y")
            except (ValueError, KeyError):
                pass
            writer.writerow(row)
    return out


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def run_command(corpus: Path, db: str, options: list[str]) -> dict:
    """The real `eventwatch run` in a child process; CPU of the child and of everything it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    result = subprocess.run([*EVENTWATCH, "run", str(corpus), "--db", db, "--no-progress", *options],
                            capture_output=True, text=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
    return {"cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), "wall": wall,
            "peak_mb": after.ru_maxrss / 1024, "ok": result.returncode == 0}


def raw_scan(corpus: Path) -> tuple[float, int]:
    """CPU seconds of one read of the CSV plus one Aho-Corasick pass with the gazetteer's names."""
    import ahocorasick

    from eventwatch.gazetteer import default_gazetteer

    automaton = ahocorasick.Automaton()
    for key in default_gazetteer().matcher_keys():
        automaton.add_word(f" {key} ", key)
    automaton.make_automaton()
    start = time.process_time()
    n = hits = 0
    with corpus.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = " " + " ".join(row.get("article_content", "").lower().split()) + " "
            hits += sum(1 for _ in automaton.iter(text))
            n += 1
    return time.process_time() - start, n


def drop_pg_tables(url: str) -> None:
    from sqlalchemy import create_engine, text

    with create_engine(url).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS pending_reports, article_aliases, report_links, evidence, claims, "
                          "event_sources, event_records, events, articles, alembic_version CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=FAKES)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[], help="sizes of synthetic corpora")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--ray", action="store_true", help="also --engine ray (needs eventwatch[scale])")
    parser.add_argument("--pg-url", default=os.environ.get("EVENTWATCH_TEST_PG_URL"))
    parser.add_argument("--skip-fakes", action="store_true")
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory(prefix="ew-bench-") as tmp:
        corpora = [] if args.skip_fakes else [("FA-KES", args.csv)]
        for n in args.synthetic:
            corpora.append((f"synthetic {n:,}", synthetic(args.csv, n, Path(tmp) / f"syn-{n}.csv")))
        configs = [(f"--workers {w}", ["--workers", str(w)]) for w in args.workers]
        if args.ray:
            configs.append(("--engine ray --workers 2", ["--engine", "ray", "--workers", "2"]))
        print(f"{'corpus':<18} {'configuration':<26} {'db':<10} {'articles':>9} {'art/CPU s':>10} "
              f"{'CPU s':>8} {'wall s':>8} {'peak MB':>8}")
        for name, corpus in corpora:
            n = count_rows(corpus)
            scan_cpu, _ = raw_scan(corpus)
            print(f"{name:<18} {'raw scan (read + 1 pass)':<26} {'-':<10} {n:>9,} {n / scan_cpu:>10.0f} "
                  f"{scan_cpu:>8.2f} {'':>8} {'':>8}")
            for label, options in configs:
                targets = [("SQLite", str(Path(tmp) / f"{abs(hash((name, label)))}.db"))]
                if args.pg_url:
                    targets.append(("PostgreSQL", args.pg_url))
                for db_name, db in targets:
                    if db_name == "PostgreSQL":
                        drop_pg_tables(db)
                    r = run_command(corpus, db, options)
                    status = "" if r["ok"] else "  (FAILED)"
                    if "ray" in options and r["ok"]:
                        # Ray's raylet and workers are daemons, not waited-for children: CPU is undercounted
                        status = "  (CPU: the driver's and what it reaped only)"
                    print(f"{name:<18} {label:<26} {db_name:<10} {n:>9,} {n / r['cpu']:>10.0f} {r['cpu']:>8.2f} "
                          f"{r['wall']:>8.2f} {r['peak_mb']:>8.0f}{status}", flush=True)
                    if db_name == "SQLite":
                        for suffix in ("", "-wal", "-shm"):
                            Path(db + suffix).unlink(missing_ok=True)
    print(describe().replace("machine:", "after:"))


if __name__ == "__main__":
    main()
