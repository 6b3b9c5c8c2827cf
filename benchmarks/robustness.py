"""Time and peak memory of reading + coding one huge article, against its size: a single line (no
newline, no sentence end) and one sentence repeated, 100 KB to 5 MB by default.

    .venv/bin/python benchmarks/robustness.py [--sizes 100000,200000,...] [--shapes line,repeated] [--no-cap]

Each (shape, size) runs in a fresh process (so that its peak resident memory is its own): the file is
written to a temporary folder, read with the real reader (decode, charset checks) and coded with
`pipeline.code_article` (clean, extract, resolve). Past `bounds.MAX_CODED_CHARS` (500,000 characters)
only the text's first part is coded, as `eventwatch run` does (with a warning); `--no-cap` codes all of
it, to measure extraction itself. Linear time means the "time growth / size growth" column stays near 1;
the target is 5 MB in under 10 s on the project's machine. "cpu" is the process's CPU time for the
article (what a loaded machine does not inflate), "seconds" the wall time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {
    # one line, no sentence boundary: the worst case for per-line and per-sentence work
    "line": "fighters advanced on the village of Kafr Nabl near Maarat al-Numan in Idlib province on Monday, ",
    # one sentence repeated: many sentences, places, dates and figures
    "repeated": ("Five civilians were killed in an airstrike on the town of Saraqib in Idlib province on Monday, "
                 "activists from Aleppo said, near Kafr Nabl and Maarat al-Numan. "),
}
DEFAULT_SIZES = [100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000]


def one(shape: str, size: int, cap: bool = True) -> dict:
    """Read and code one article of `size` bytes (all of it unless `cap`); the seconds taken (wall and
    CPU) and the process's peak memory."""
    import datetime as dt

    from eventwatch.bounds import MAX_CODED_CHARS
    from eventwatch.ingest import read_file
    from eventwatch.pipeline import code_article
    from eventwatch.records import Article

    unit = SHAPES[shape]
    code_article(Article(article_id="warm", raw_text=unit * 3))  # lexicons and gazetteer outside the timing
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{shape}.txt"
        path.write_text((unit * (size // len(unit) + 1))[:size], encoding="utf-8")
        started, cpu = time.perf_counter(), time.process_time()
        items = list(read_file(path))
        article = items[0]
        if not isinstance(article, Article):
            raise SystemExit(f"not read: {article}")
        article = article.model_copy(update={"published": dt.date(2019, 5, 1)})
        _, events = code_article(article, limit=MAX_CODED_CHARS if cap else None)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"shape": shape, "size": size, "seconds": seconds, "cpu": cpu, "events": len(events),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="bytes, comma-separated")
    parser.add_argument("--shapes", default="line,repeated")
    parser.add_argument("--no-cap", action="store_true", help="code the whole text, past MAX_CODED_CHARS too")
    parser.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), cap=not args.no_cap)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':9} {'size':>10} {'seconds':>9} {'cpu':>7} {'cpu/MB':>7} {'growth':>7} {'peak MB':>8} "
          f"{'events':>7}")
    for shape in args.shapes.split(","):
        previous = None
        for size in sizes:
            out = subprocess.run([sys.executable, __file__, "--one", shape, str(size)] +
                                 (["--no-cap"] if args.no_cap else []), capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            # CPU time growth divided by size growth: ~1 when linear, ~size growth when quadratic
            growth = "" if previous is None else f"{(r['cpu'] / previous['cpu']) / (size / previous['size']):.2f}"
            print(f"{shape:9} {size:>10,} {r['seconds']:>9.2f} {r['cpu']:>7.2f} {r['cpu'] / (size / 1e6):>7.2f} "
                  f"{growth:>7} {r['peak_mb']:>8.0f} {r['events']:>7}", flush=True)
            previous = r


if __name__ == "__main__":
    main()
