"""Speed of clean + extract (+ resolve) on FA-KES: articles per second of CPU time, 3 runs, each printed.

    .venv/bin/python benchmarks/extract.py [--csv PATH] [--runs 3]

Reading the CSV is done once, before timing; each run codes every article in one process, one article at a
time through clean, extract and resolve (as `eventwatch run` does, so that what extract found in an article
is still at hand when it is resolved; the stages' CPU time is summed over the articles). Time is CPU time
(time.process_time), so that a busy machine does not slow the figure down; wall time is printed beside it.
The machine (CPU model, cores, load, Python) is printed first. Peak memory is the maximum resident set.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from eventwatch.clean import clean_article
from eventwatch.extract.events import extract_events
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.records import Article
from eventwatch.resolve.events import resolve_events

try:
    from machine import describe
except ImportError:  # run from another folder
    from benchmarks.machine import describe

FAKES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, default=FAKES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = [a for a in read_sources([args.csv]) if isinstance(a, Article)]
    code_article(articles[0])  # load lexicons, automata and the gazetteer index outside the timing
    stage_rates: dict[str, list[float]] = {"clean+extract": [], "clean+extract+resolve": []}
    walls: list[float] = []
    events = 0
    print(describe())
    for _ in range(args.runs):
        # Article by article, as `eventwatch run` codes them (pipeline.code_article): what extract finds
        # in an article is still at hand when it is resolved. The clock is read around each stage.
        wall = time.perf_counter()
        before_resolve = in_resolve = 0.0
        events = 0
        for a in articles:
            start = time.process_time()
            cleaned = clean_article(a)
            mentions = extract_events(cleaned)
            middle = time.process_time()
            events += len(resolve_events(cleaned, mentions))
            end = time.process_time()
            before_resolve += middle - start
            in_resolve += end - middle
        walls.append(time.perf_counter() - wall)
        stage_rates["clean+extract"].append(len(articles) / before_resolve)
        stage_rates["clean+extract+resolve"].append(len(articles) / (before_resolve + in_resolve))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.csv.name}, {len(articles)} articles, {events} events")
    for stage, rates in stage_rates.items():
        # The first run also fills the word-level caches of the gazetteer matcher.
        print(f"{stage}: median {statistics.median(rates):.0f} articles per CPU second "
              f"(runs: {', '.join(f'{r:.0f}' for r in rates)})")
    print(f"wall time per run: {', '.join(f'{w:.2f} s' for w in walls)}")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
