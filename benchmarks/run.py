"""End-to-end speed of `eventwatch run`, the whole process counted, against the raw-scan limit.

    .venv/bin/python benchmarks/run.py [--csv FA-KES.csv] [--synthetic 10000 100000 1000000]
        [--workers 1 2] [--engine local|ray|both] [--ray-workers 2] [--pg-url postgresql+psycopg://...]
        [--skip-fakes] [--no-sqlite] [--stop-after SECONDS]

For each corpus (FA-KES itself, and synthetic corpora of the sizes given, made by perturbing real FA-KES
articles: other numbers, other dates, a sentence of its own so that each text is new) and each
configuration (`--workers N` for each N given; `--engine ray --workers R` with --engine ray or both; the
old --ray means both), into a new SQLite file and, with --pg-url (or EVENTWATCH_TEST_PG_URL), into
PostgreSQL, it runs the real command in a child process and reports: articles per second of CPU time,
CPU time, wall time, and peak memory. CPU and memory are read from /proc every 0.25 s over the whole
process tree of the command (the driver, its worker processes, and for Ray the raylet, GCS and workers,
which are not waited-for children, so getrusage misses them): CPU is the larger of the sampled total
and getrusage(RUSAGE_CHILDREN); peak memory is the largest sum of the tree's PSS (proportional set size:
Ray's shared object store counted once) and, beside it, the largest single process's RSS. The PostgreSQL
server's own CPU and memory are not counted. With --stop-after S each run is interrupted (Ctrl-C, as a
user would) after S seconds, and the articles stored by then are counted: on a corpus too large to code
here, the memory of the first S seconds shows whether it stays flat. The raw-scan limit is one read of
the CSV plus one Aho-Corasick pass with the gazetteer's names over the lower-cased texts (the automaton
is built before timing): the ratio to aim at. The machine (CPU model, cores, load average, Python) is
printed first: figures from a busy machine say so.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
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


def proc_tree(root: int) -> list[int]:
    """The process `root` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def proc_usage(pid: int) -> tuple[tuple[int, int], float, float, float] | None:
    """((pid, start time), CPU seconds so far, PSS MB, RSS MB) of one process; None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        pss = rss = 0.0
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    return (pid, int(fields[19])), (int(fields[11]) + int(fields[12])) / tick, pss, rss


def process_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace").strip()[:60]
    except OSError:
        return "?"


class TreeSampler(threading.Thread):
    """Samples the process tree of `pid` every `every` seconds: CPU (last seen, per process), peak PSS sum
    and peak single-process RSS."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.cpu: dict[tuple[int, int], float] = {}
        self.peak_pss = self.peak_rss = 0.0
        self.peak_name = ""  # the process of the largest RSS
        self.timeline: list[tuple[float, float]] = []  # (seconds since start, PSS MB)
        self.done = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.done.is_set():
            pss = 0.0
            for pid in proc_tree(self.pid):
                usage = proc_usage(pid)
                if usage is None:
                    continue
                key, cpu, p, r = usage
                self.cpu[key] = cpu
                pss += p
                if r > self.peak_rss:
                    self.peak_rss, self.peak_name = r, process_name(pid)
            self.peak_pss = max(self.peak_pss, pss)
            self.timeline.append((time.perf_counter() - start, pss))
            self.done.wait(self.every)

    def stop(self) -> None:
        self.done.set()
        self.join()


def run_command(corpus: Path, db: str, options: list[str], stop_after: float | None = None) -> dict:
    """The real `eventwatch run` in a child process: CPU and memory of its whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    child = subprocess.Popen([*EVENTWATCH, "run", str(corpus), "--db", db, "--no-progress", *options],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(child.pid)
    sampler.start()
    stopped = False
    try:
        out, errors = child.communicate(timeout=stop_after)
    except subprocess.TimeoutExpired:
        stopped = True
        child.send_signal(signal.SIGINT)  # as Ctrl-C: the run stops after the batch being written
        try:
            out, errors = child.communicate(timeout=120)
        except subprocess.TimeoutExpired:  # seen once with Ray: stuck in its shutdown after the Ctrl-C
            child.terminate()
            out, errors = child.communicate()
    wall = time.perf_counter() - wall
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = child.returncode == 0 or stopped
    if not ok:
        print(out[-2000:], errors[-2000:], file=sys.stderr)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu": max(reaped, sum(sampler.cpu.values())), "wall": wall, "peak_mb": sampler.peak_pss,
            "peak_rss_mb": sampler.peak_rss, "peak_process": sampler.peak_name, "ok": ok, "interrupted": stopped,
            "timeline": sampler.timeline}


def stored_articles(db: str) -> int:
    from eventwatch.store import open_store

    store = open_store(db)
    try:
        return store.count_articles()
    finally:
        store.engine.dispose()


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
    parser.add_argument("--ray", action="store_true", help="also --engine ray (the same as --engine both)")
    parser.add_argument("--engine", choices=["local", "ray", "both"], default="local",
                        help="local: the --workers configurations; ray: only --engine ray; both")
    parser.add_argument("--ray-workers", type=int, default=2)
    parser.add_argument("--pg-url", default=os.environ.get("EVENTWATCH_TEST_PG_URL"))
    parser.add_argument("--skip-fakes", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="only into PostgreSQL (--pg-url)")
    parser.add_argument("--stop-after", type=float, help="interrupt each run after this many seconds")
    args = parser.parse_args()
    engine = "both" if args.ray and args.engine == "local" else args.engine
    print(describe())
    with tempfile.TemporaryDirectory(prefix="ew-bench-") as tmp:
        corpora = [] if args.skip_fakes else [("FA-KES", args.csv)]
        for n in args.synthetic:
            corpora.append((f"synthetic {n:,}", synthetic(args.csv, n, Path(tmp) / f"syn-{n}.csv")))
        configs = [] if engine == "ray" else [(f"--workers {w}", ["--workers", str(w)]) for w in args.workers]
        if engine in ("ray", "both"):
            configs.append((f"--engine ray --workers {args.ray_workers}",
                            ["--engine", "ray", "--workers", str(args.ray_workers)]))
        print(f"{'corpus':<18} {'configuration':<26} {'db':<10} {'articles':>9} {'art/CPU s':>10} "
              f"{'CPU s':>8} {'wall s':>8} {'peak MB':>8} {'max RSS':>8}")
        for name, corpus in corpora:
            n = count_rows(corpus)
            scan_cpu, _ = raw_scan(corpus)
            print(f"{name:<18} {'raw scan (read + 1 pass)':<26} {'-':<10} {n:>9,} {n / scan_cpu:>10.0f} "
                  f"{scan_cpu:>8.2f} {'':>8} {'':>8}", flush=True)
            for label, options in configs:
                targets = [] if args.no_sqlite else [("SQLite", str(Path(tmp) / f"{abs(hash((name, label)))}.db"))]
                if args.pg_url:
                    targets.append(("PostgreSQL", args.pg_url))
                for db_name, db in targets:
                    if db_name == "PostgreSQL":
                        drop_pg_tables(db)
                    r = run_command(corpus, db, options, args.stop_after)
                    done = stored_articles(db) if r["interrupted"] else n
                    status = "" if r["ok"] else "  (FAILED)"
                    if r["interrupted"]:
                        status += f"  (stopped after {args.stop_after:.0f} s)"
                    print(f"{name:<18} {label:<26} {db_name:<10} {done:>9,} {done / r['cpu']:>10.0f} "
                          f"{r['cpu']:>8.2f} {r['wall']:>8.2f} {r['peak_mb']:>8.0f} {r['peak_rss_mb']:>8.0f}{status}",
                          flush=True)
                    print(f"    largest process: {r['peak_process']}")
                    if args.stop_after:  # the memory over time: flat means bounded by the batches in flight
                        marks = [r["timeline"][int(len(r["timeline"]) * q) - 1] for q in (0.25, 0.5, 0.75, 1.0)
                                 if r["timeline"]]
                        print("    PSS over time: " + ", ".join(f"{t:.0f} s {mb:.0f} MB" for t, mb in marks))
                    if db_name == "SQLite":
                        for suffix in ("", "-wal", "-shm"):
                            Path(db + suffix).unlink(missing_ok=True)
    print(describe().replace("machine:", "after:"))


if __name__ == "__main__":
    main()
