"""Check that a speed change changed no output: code the corpora into a new database, export the reports
and the fused events as JSON Lines, and compare them byte for byte with a baseline taken before.

    .venv/bin/python benchmarks/same_output.py --save BASE_DIR [--workers 1] [INPUTS ...]   # take the baseline
    .venv/bin/python benchmarks/same_output.py --check BASE_DIR [--workers 2] [INPUTS ...]  # compare with it

INPUTS default to FA-KES, the worldwide corpus and the seed articles (the corpora `make eval` codes). The
real commands run in child processes (`eventwatch run`, `eventwatch export --format jsonl [--reports]`),
with EVENTWATCH_HOME as the caller set it. Exits 1 and names the first differing line when an export differs.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT.parent / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv",
          ROOT / "gold" / "world" / "articles.jsonl", ROOT.parent / "shared" / "corpora" / "seeds"]
EVENTWATCH = [sys.executable, "-m", "eventwatch.cli"]
EXPORTS = {"reports.jsonl": ["--reports"], "fused.jsonl": []}


def code_and_export(inputs: list[str], out: Path, workers: int) -> None:
    """`eventwatch run` of the inputs into a new database in `out`, then both JSON Lines exports there."""
    db = out / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run([*EVENTWATCH, "run", *inputs, "--db", str(db), "--no-progress", "--workers", str(workers)],
                   check=True, stdout=subprocess.DEVNULL)
    for name, options in EXPORTS.items():
        subprocess.run([*EVENTWATCH, "export", "--format", "jsonl", "-o", str(out / name), "--db", str(db),
                        *options], check=True, stdout=subprocess.DEVNULL)


def first_difference(a: Path, b: Path) -> str:
    with a.open("rb") as fa, b.open("rb") as fb:
        for n, (la, lb) in enumerate(zip(fa, fb, strict=False), 1):
            if la != lb:
                return f"line {n}:\n  baseline: {la[:300]!r}\n  now:      {lb[:300]!r}"
    return "one file is a prefix of the other (different number of lines)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="folder to write the baseline exports to")
    mode.add_argument("--check", type=Path, help="folder holding the baseline exports")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("inputs", nargs="*", default=[str(p) for p in INPUTS])
    args = parser.parse_args()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        code_and_export(args.inputs, args.save, args.workers)
        for name in EXPORTS:
            digest = hashlib.sha256((args.save / name).read_bytes()).hexdigest()[:16]
            print(f"baseline {name}: {sum(1 for _ in (args.save / name).open('rb'))} lines, sha256 {digest}")
        return
    with tempfile.TemporaryDirectory(prefix="ew-same-") as tmp:
        code_and_export(args.inputs, Path(tmp), args.workers)
        same = True
        for name in EXPORTS:
            base, now = args.check / name, Path(tmp) / name
            if base.read_bytes() == now.read_bytes():
                print(f"{name}: identical ({sum(1 for _ in now.open('rb'))} lines)")
            else:
                same = False
                print(f"{name}: DIFFERENT at {first_difference(base, now)}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
