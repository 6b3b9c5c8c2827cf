"""Large tables are read as streams: a CSV or JSON Lines file above `stream_bytes` gives the same Articles and
Problems as a whole read, and reading one ten times larger takes no more memory (peak RSS of a child process
that reads it, as `eventwatch run` does, on generated files of about 1 and 12 MB)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventwatch.ingest.table import read_csv_file, read_jsonl_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample" / "fakes-dev-sample.csv"


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def dumped(items) -> list[dict]:
    return [x.model_dump() for x in items]


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_streamed_csv_reads_as_a_whole_one(tmp_path, encoding):
    rows = sample_rows()
    rows[3] = {**rows[3], "article_content": ""}  # a row without text: a Problem, in its place
    path = write_csv(tmp_path / "t.csv", rows, encoding)
    whole = dumped(read_csv_file(path))
    assert dumped(read_csv_file(path, stream_bytes=0)) == whole
    assert any("empty or missing" in (x.get("reason") or "") for x in whole) and len(whole) == len(rows)


def test_a_streamed_jsonl_reads_as_a_whole_one(tmp_path):
    rows = sample_rows()
    lines = [json.dumps(r) for r in rows[:10]]
    lines[2] = '{"unit_id": "broken", '  # not JSON
    lines[4] = "[1, 2]"  # not an object
    lines.insert(6, "")
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = dumped(read_jsonl_file(path))
    assert dumped(read_jsonl_file(path, stream_bytes=0)) == whole
    reasons = [x.get("reason") for x in whole if "reason" in x]
    assert len(reasons) == 2 and reasons[0].startswith("invalid JSON") and reasons[1] == "not a JSON object"


READ = """
import sys
from pathlib import Path
from eventwatch.ingest.table import read_csv_file, read_jsonl_file
path = Path(sys.argv[1])
read = read_csv_file if path.suffix == ".csv" else read_jsonl_file
n = sum(1 for _ in read(path, stream_bytes=0))
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(n, peak // 1024)
"""


def peak_mb(path: Path) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True)
    n, peak = out.stdout.split()
    return int(n), int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_reading_a_table_ten_times_larger_takes_no_more_memory(tmp_path, suffix):
    rows = sample_rows()
    sizes = {}
    for label, n in (("small", 500), ("large", 5_000)):
        many = [{**rows[i % len(rows)], "unit_id": f"u{i}"} for i in range(n)]
        path = tmp_path / f"{label}{suffix}"
        if suffix == ".csv":
            write_csv(path, many)
        else:
            path.write_text("".join(json.dumps(r) + "\n" for r in many), encoding="utf-8")
        sizes[label] = (path.stat().st_size, *peak_mb(path))
    (_, small_n, small_peak), (large_bytes, large_n, large_peak) = sizes["small"], sizes["large"]
    assert large_n == 10 * small_n and large_bytes > 10_000_000
    # a whole read would hold the large file's text (over 10 MB, twice over: its bytes and its str)
    assert large_peak - small_peak < 8, sizes
