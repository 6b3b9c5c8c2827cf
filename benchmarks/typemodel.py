"""What the learned type model costs: clean + extract + resolve of the tuning articles (the even-numbered world
articles and the FA-KES development articles, as `make train` reads them) with each type_model setting, in
articles per CPU second, and the time to load the model.

    .venv/bin/python benchmarks/typemodel.py [--runs 3] [--fakes PATH]

Only the tuning halves are read (the held-out ones stay unread outside `eventwatch evaluate`).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_type_model as train  # noqa: E402

from eventwatch.clean import clean_article  # noqa: E402
from eventwatch.context import build_context  # noqa: E402
from eventwatch.evaluate import load_gold  # noqa: E402
from eventwatch.extract.events import extract_events  # noqa: E402
from eventwatch.ingest import read_sources  # noqa: E402
from eventwatch.records import Article  # noqa: E402
from eventwatch.resolve.events import resolve_events  # noqa: E402
from eventwatch.typemodel import load_type_model  # noqa: E402


def tuning_articles(fakes_csv: Path) -> list[Article]:
    ids = {a.article_id for a in load_gold(train.FAKES_DEV)}
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world.jsonl"
        world.write_text("".join(train.tuning_world_lines()), encoding="utf-8")
        fakes = Path(tmp) / "fakes.csv"
        header, rows = train.tuning_fakes_rows(ids, fakes_csv)
        with open(fakes, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
        return [a for a in read_sources([world, fakes]) if isinstance(a, Article)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fakes", type=Path, default=train.FAKES_CSV)
    args = parser.parse_args()
    start = time.process_time()
    load_type_model()
    print(f"model load: {1000 * (time.process_time() - start):.0f} ms of CPU")
    cleaned = [clean_article(a) for a in tuning_articles(args.fakes)]
    contexts = {mode: build_context(type_model=mode) for mode in ("rules", "model", "both")}
    for c in contexts.values():
        resolve_events(cleaned[0], extract_events(cleaned[0]), context=c)  # caches and the model, untimed
    mentions = [extract_events(a) for a in cleaned]
    rates: dict[str, list[float]] = {m: [] for m in contexts}
    events = 0
    for _ in range(args.runs):
        for mode, c in contexts.items():
            start = time.process_time()
            events = sum(len(resolve_events(a, m, context=c)) for a, m in zip(cleaned, mentions, strict=True))
            rates[mode].append(time.process_time() - start)
    print(f"{len(cleaned)} tuning articles, {events} events; resolve CPU time per article (median of {args.runs}):")
    base = statistics.median(rates["rules"]) / len(cleaned)
    for mode, times in rates.items():
        per = statistics.median(times) / len(cleaned)
        print(f"  {mode}: {1000 * per:.2f} ms ({1000 * (per - base):+.2f} ms against the rules)")


if __name__ == "__main__":
    main()
