"""Speed of clean + extract (+ resolve) on FA-KES: articles per second on one core, median of 3 runs.

    .venv/bin/python benchmarks/extract.py [--csv PATH] [--runs 3]

Reading the CSV is done once, before timing; each run codes every article in one process (one core).
Peak memory is the process's maximum resident set size.
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

FAKES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, default=FAKES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = [a for a in read_sources([args.csv]) if isinstance(a, Article)]
    code_article(articles[0])  # load lexicons, automata and the gazetteer index outside the timing
    stage_rates: dict[str, list[float]] = {"clean+extract": [], "clean+extract+resolve": []}
    events = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        cleaned = [clean_article(a) for a in articles]
        mentions = [extract_events(a) for a in cleaned]
        middle = time.perf_counter()
        events = sum(len(resolve_events(a, m)) for a, m in zip(cleaned, mentions, strict=True))
        end = time.perf_counter()
        stage_rates["clean+extract"].append(len(articles) / (middle - start))
        stage_rates["clean+extract+resolve"].append(len(articles) / (end - start))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.csv.name}, {len(articles)} articles, {events} events")
    for stage, rates in stage_rates.items():
        # The first run also fills the word-level caches of the gazetteer matcher.
        print(f"{stage}: median {statistics.median(rates):.0f} articles/s on one core "
              f"(runs: {', '.join(f'{r:.0f}' for r in rates)})")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
