"""Load test of the REST API: requests/s and latency of filtered pages of `/api/events`.

    .venv/bin/python benchmarks/api.py [--events 100000] [--requests 3000] [--seconds 60] [--clients 8]

Builds an SQLite database of N synthetic-but-realistic fused events: the events coded from the bundled
sample corpus (examples/sample), repeated with shifted dates (up to +/- 4 years) and moved to the place of
another real event, with new ids. Then starts `eventwatch serve` on 127.0.0.1 in a subprocess and sends
filtered page requests (limit 100; governorate, date range, type, actor or text filters, sometimes GeoJSON)
from a few client threads, bounded by a request count and a time limit. Prints requests/s and the
p50/p95/p99 latency; the target is p95 under 100 ms for a filtered page of 100 events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from eventwatch.records import stable_id

try:
    from synthetic import prepared_database, sample_store, serving, write_fused
except ImportError:  # run from another folder
    from benchmarks.synthetic import prepared_database, sample_store, serving, write_fused


def build_database(path: str, n_events: int, seed: int = 7) -> int:
    store, real = sample_store(path)
    places = [(e.admin1, e.admin2, e.location, e.latitude, e.longitude) for e in real if e.latitude is not None]
    rng = random.Random(seed)

    def perturbed():
        for written in range(len(real), n_events):
            e = rng.choice(real)
            admin1, admin2, location, lat, lon = rng.choice(places)
            shift = dt.timedelta(days=rng.randint(-1460, 1460))
            date = (e.event_date or dt.date(2016, 1, 1)) + shift
            yield e.model_copy(update={
                "event_id": stable_id("synthetic", written), "event_date": date,
                "date_end": e.date_end + shift if e.date_end else None, "admin1": admin1, "admin2": admin2,
                "location": location, "latitude": lat + rng.uniform(-0.05, 0.05),
                "longitude": lon + rng.uniform(-0.05, 0.05), "report_ids": []})

    return write_fused(store, perturbed())


def queries(rng: random.Random) -> dict:
    start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
    choices = [
        {"admin1": rng.choice(["Aleppo", "Idleb", "Dar'a", "Rural Damascus", "Homs", "Ar-Raqqa"])},
        {"since": str(start), "until": str(start + dt.timedelta(days=rng.choice([7, 30, 90, 365])))},
        {"event_type": rng.choice(["Battles", "Explosions/Remote violence", "Air/drone strike",
                                   "Violence against civilians"])},
        {"actor": rng.choice(["Islamic State", "Daesh", "Military Forces of Syria", "Hezbollah"])},
        {"min_fatalities": rng.choice([1, 5, 20])},
        {"bbox": "35.8,32.4,36.8,33.2"},
    ]
    params = {"limit": 100}
    for extra in rng.sample(choices, k=rng.randint(1, 3)):
        params.update(extra)
    if rng.random() < 0.25:
        params["format"] = "geojson"
    if rng.random() < 0.2:
        params["offset"] = rng.choice([100, 500, 1000])
    return params


def load(base: str, n_requests: int, seconds: float, clients: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(n_requests))
    deadline = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline:
                with lock:
                    if next(counter, None) is None:
                        return
                params = queries(rng)
                t0 = time.perf_counter()
                response = client.get("/api/events", params=params)
                took = time.perf_counter() - t0
                with lock:
                    latencies.append(took)
                    errors += response.status_code != 200

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server processes (eventwatch serve --workers)")
    parser.add_argument("--db", help="reuse (or build) this database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "api-bench.db")
        prepared_database(db, args.events, build_database, reuse=bool(args.db))
        with serving(db, "--workers", str(args.workers)) as base:
            httpx.get(f"{base}/api/events", params={"limit": 100}, timeout=30)  # warm up
            latencies, errors, took = load(base, args.requests, args.seconds, args.clients)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(f"{len(latencies)} requests from {args.clients} clients ({args.workers} server processes) in {took:.1f} s: "
          f"{len(latencies) / took:.0f} requests/s, {errors} errors")
    print(f"latency p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms "
          f"(target: p95 < 100 ms)")


if __name__ == "__main__":
    main()
