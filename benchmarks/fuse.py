"""Fusion at scale: reports/s, peak memory and growth from 10k to 100k to 1M synthetic reports.

    .venv/bin/python benchmarks/fuse.py [--sizes 10000 100000 1000000]
    .venv/bin/python benchmarks/fuse.py --validate     # the threshold, on the annotated development gold

Synthetic reports are made from real ones (the reports coded from examples/sample and the seeds): each
synthetic event takes a real report's type, actors and figures, a random day from 2012 on and a place
(a real event's place, or one of 3,000 villages placed around them in the same governorate); it is then
reported by 1 to 4 articles, each perturbed as outlets differ: the date off by one day (30%), the place
given only as the governorate (15%) or spelled another way, the toll changed (40%), the perpetrator left
unnamed (20%). The density is the same at every size (about 115 events a day, close to ACLED's Syria at
the height of the war): a bigger dataset covers more days, as a growing dataset does. Each size runs in its
own process, so that peak memory (max RSS) is its own.

Besides speed, the generator's truth gives pairwise precision/recall and B-cubed F1 of the clusters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"
OUTLETS = ["SANA", "Enab Baladi", "Al-Manar", "Reuters", "Daily Sabah", "Sputnik", "Ahram Online", "Etilaf"]


def real_reports():
    from eventwatch.ingest import read_sources
    from eventwatch.pipeline import code_article
    from eventwatch.records import Article

    out = []
    for item in read_sources([str(SAMPLE)]):
        if isinstance(item, Article):
            out += [e for e in code_article(item)[1] if e.event_date]
    return out


VILLAGES = 3000  # Syria has some 6,000 named localities; events concentrate in half of them
REPORTS_PER_DAY = 290  # about 115 events a day, each reported by 2.5 articles on average


def synthetic_places(real, rng: random.Random) -> list[tuple]:
    """The places synthetic reports are set at: the real reports' places and VILLAGES villages around them,
    in the same governorate, as (location, admin1, admin2, lat, lon, geonameid, country, geo precision)."""
    placed = [r for r in real if r.latitude is not None and r.admin1]
    places = [(r.location, r.admin1, r.admin2, r.latitude, r.longitude, r.geonameid, r.country, r.geo_precision)
              for r in placed]
    for k in range(VILLAGES):
        loc, admin1, admin2, lat, lon, _gid, country, _p = rng.choice(places)
        places.append((f"Village {k}", admin1, admin2, lat + rng.uniform(-0.6, 0.6), lon + rng.uniform(-0.6, 0.6),
                       10_000_000 + k, country, 1))
    return places


def synthetic_report(base, n: int, when: dt.date, place: tuple, country: str, rng: random.Random):
    """One outlet's report `r{n}` of a synthetic event made from the real report `base`, on `when` at `place`:
    sometimes only its governorate (15 %), its toll perturbed (40 %), its actor unidentified (20 %)."""
    from eventwatch.records import Source

    loc, admin1, admin2, lat, lon, gid, _country, precision = place
    vague = rng.random() < 0.15
    toll = base.fatalities
    if rng.random() < 0.4 and toll:
        toll = max(0, int(toll * rng.uniform(0.6, 1.5)))
    return base.model_copy(update={
        "event_id": f"r{n}", "event_date": when, "date_end": None, "time_precision": 1,
        "location": None if vague else (loc if rng.random() < 0.7 else loc.upper()),
        "admin1": admin1, "admin2": None if vague else admin2,
        "latitude": None if vague else lat, "longitude": None if vague else lon,
        "geonameid": None if vague else gid, "geo_precision": 3 if vague else precision,
        "country": country, "fatalities": toll,
        "fatalities_low": toll if base.fatalities_low is not None else None,
        "fatalities_high": toll if base.fatalities_low is not None else None,
        "actor1": f"Unidentified Armed Group ({country})" if rng.random() < 0.2 else base.actor1,
        "sources": [Source(article_id=f"a{n}", outlet=rng.choice(OUTLETS), published=when)],
        "evidence": [], "claims": [], "notes": ""})


def synthetic(n_reports: int, seed: int = 11):
    rng = random.Random(seed)
    real = real_reports()
    places = synthetic_places(real, rng)
    start = dt.date(2012, 1, 1).toordinal()
    days = max(1, round(n_reports / REPORTS_PER_DAY))  # a bigger dataset covers more days, equally dense
    reports, truth = [], []
    event = 0
    while len(reports) < n_reports:
        base = rng.choice(real)
        day = dt.date.fromordinal(start + rng.randrange(days))
        place = rng.choice(places)
        for _ in range(rng.choice([1, 1, 2, 2, 3, 3, 4])):
            d = day + dt.timedelta(days=rng.choice([-1, 1])) if rng.random() < 0.3 else day
            reports.append(synthetic_report(base, len(reports), d, place, place[6], rng))
            truth.append(event)
        event += 1
    return reports[:n_reports], truth[:n_reports]


def cluster_quality(assigned: list[str], truth: list[int]) -> dict:
    pred: dict[str, set[int]] = defaultdict(set)
    gold: dict[int, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(assigned, truth, strict=True)):
        pred[p].add(i)
        gold[g].add(i)
    n = len(truth)
    p = sum(len(pred[assigned[i]] & gold[truth[i]]) / len(pred[assigned[i]]) for i in range(n)) / n
    r = sum(len(pred[assigned[i]] & gold[truth[i]]) / len(gold[truth[i]]) for i in range(n)) / n
    pairs_pred = sum(len(a) * (len(a) - 1) // 2 for a in pred.values())
    pairs_gold = sum(len(b) * (len(b) - 1) // 2 for b in gold.values())
    together = 0
    for members in pred.values():
        counts: dict[int, int] = defaultdict(int)
        for i in members:
            counts[truth[i]] += 1
        together += sum(c * (c - 1) // 2 for c in counts.values())
    return {"bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4),
            "bcubed_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "pairwise_precision": round(together / pairs_pred, 4) if pairs_pred else 1.0,
            "pairwise_recall": round(together / pairs_gold, 4) if pairs_gold else 1.0}


def run_one(n: int) -> dict:
    from eventwatch.fuse import Fuser, fuse_cluster

    t0 = time.perf_counter()
    reports, truth = synthetic(n)
    made = time.perf_counter() - t0
    t1 = time.perf_counter()
    fuser = Fuser()
    fuser.add_all(reports)
    clustered = time.perf_counter() - t1
    t2 = time.perf_counter()
    fused = [fuse_cluster(c) for c in fuser.clusters]
    merged = time.perf_counter() - t2
    assigned = [fuser.clusters[fuser.by_report[r.event_id]].fused_id for r in reports]
    took = clustered + merged
    return {"reports": n, "true_events": len(set(truth)), "fused_events": len(fused),
            "generate_s": round(made, 1), "cluster_s": round(clustered, 2), "records_s": round(merged, 2),
            "reports_per_s": round(n / took), "peak_rss_mb": round(resource.getrusage(
                resource.RUSAGE_SELF).ru_maxrss / 1024), **cluster_quality(assigned, truth)}


GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "gold" / "fakes-dev.jsonl"
FAKES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"


def validate(gold_path: Path, fakes: Path) -> None:
    """The threshold on annotated pairs: the development gold's articles are coded, each report is paired
    with its gold event (as `eventwatch evaluate` pairs them), and clustering is run at several thresholds;
    pairwise and B-cubed figures over the reports that have a gold event_key are printed for each."""
    from eventwatch import evaluate as ev
    from eventwatch.fuse import Fuser
    from eventwatch.ingest import read_sources
    from eventwatch.pipeline import code_article
    from eventwatch.records import Article

    gold = {a.article_id: a for a in ev.load_gold(gold_path)}
    reports, keys = [], []
    for item in read_sources([str(fakes)]):
        if not isinstance(item, Article) or item.article_id not in gold:
            continue
        events = code_article(item)[1]
        golds = gold[item.article_id].events
        for r, g in ev.match_article(events, golds):
            if golds[g].get("event_key") and not golds[g].get("optional"):
                reports.append(events[r])
                keys.append(golds[g]["event_key"])
    print(f"{len(reports)} reports matched to gold events, {len(set(keys))} gold events")
    print("threshold  pair-P  pair-R  pair-F1  B3-P    B3-R    B3-F1")
    for threshold in [0.40, 0.45, 0.50, 0.55, 0.60, 0.62, 0.65, 0.70, 0.75, 0.80]:
        fuser = Fuser(threshold=threshold)
        fuser.add_all(reports)
        assigned = [fuser.clusters[fuser.by_report[r.event_id]].fused_id for r in reports]
        index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        q = cluster_quality(assigned, [index[k] for k in keys])
        f1 = 2 * q["pairwise_precision"] * q["pairwise_recall"] / max(1e-9, q["pairwise_precision"]
                                                                        + q["pairwise_recall"])
        print(f"{threshold:9.2f} {q['pairwise_precision']:7.3f} {q['pairwise_recall']:7.3f} {f1:8.3f} "
              f"{q['bcubed_precision']:7.3f} {q['bcubed_recall']:7.3f} {q['bcubed_f1']:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--validate", action="store_true", help="sweep the threshold on the development gold")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--fakes", type=Path, default=FAKES)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    args = parser.parse_args()
    if args.validate:
        validate(args.gold, args.fakes)
        return
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row))
    print("\nreports   fused     time(s)  reports/s  peak MB  B3-F1   pair-P  pair-R")
    for r in rows:
        print(f"{r['reports']:>8} {r['fused_events']:>8} {r['cluster_s'] + r['records_s']:>9.1f} "
              f"{r['reports_per_s']:>9} {r['peak_rss_mb']:>8} {r['bcubed_f1']:>7} {r['pairwise_precision']:>7} "
              f"{r['pairwise_recall']:>7}")
    for a, b in zip(rows, rows[1:], strict=False):
        ratio = (b["cluster_s"] + b["records_s"]) / max(1e-9, a["cluster_s"] + a["records_s"])
        print(f"{a['reports']} -> {b['reports']} reports (x{b['reports'] / a['reports']:.0f}): time x{ratio:.1f}")


if __name__ == "__main__":
    main()
