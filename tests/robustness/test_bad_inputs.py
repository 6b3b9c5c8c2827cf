"""The bad-input corpus (scripts/make_bad_inputs.py) read as ONE `eventwatch run` of the real CLI:
exit 0, no traceback, every bad entry named in the report with a reason, every good article stored, and a
second run adds nothing."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Smaller than the script's defaults (4.9 MB, 2.4 MB) to keep the suite fast; benchmarks/robustness.py
# times the full sizes.
LONG_BYTES = 1_000_000
REPEAT_BYTES = 500_000


def load_generator():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def eventwatch(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "eventwatch"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "eventwatch.cli"]
    # wide enough that no path is folded over two lines of the report's table
    env = {**os.environ, "COLUMNS": "1000", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=900, env=env)


def summary_value(output: str, label: str) -> int:
    m = re.search(rf"{re.escape(label)}\s*│\s*(\d+)", output)
    assert m, f"no '{label}' in the summary:\n{output}"
    return int(m.group(1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    gen = load_generator()
    folder = tmp_path_factory.mktemp("bad") / "corpus"
    entries = gen.generate(folder, long_bytes=LONG_BYTES, repeat_bytes=REPEAT_BYTES)
    yield folder, entries
    gen.restore_permissions(folder)


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory):
    folder, _ = corpus
    db = str(tmp_path_factory.mktemp("bad-db") / "bad.db")
    # --no-fetch: the corpus's feed links to example.org; these are files, read without the network
    first = eventwatch("run", str(folder), "--db", db, "--no-fetch")
    second = eventwatch("run", str(folder), "--db", db, "--no-fetch")
    return db, first, second


def reported_lines(output: str, path: Path) -> list[str]:
    """Lines of the report's table naming `path` exactly (followed by a space, or its row)."""
    pattern = re.compile(rf"│ {re.escape(str(path))}(?: \(row (\d+)\))? +│ +(\S.*?) *│")
    return [m.group(0) for line in output.splitlines() if (m := pattern.search(line))]


def test_the_corpus_has_over_a_hundred_entries(corpus):
    _, entries = corpus
    assert len(entries) >= 100
    kinds = {e.expect for e in entries}
    assert kinds == {"stored", "reported", "rows"}


def test_one_run_over_the_whole_corpus_exits_0_without_a_traceback(runs):
    _, first, second = runs
    for result in (first, second):
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "Traceback" not in result.stdout + result.stderr


def test_every_bad_entry_is_named_with_a_reason(corpus, runs):
    folder, entries = corpus
    _, first, _ = runs
    as_root = os.geteuid() == 0  # chmod 000 does not stop root from reading
    missing = []
    for e in entries:
        if e.expect == "stored" or (e.unless_root and as_root):
            continue
        lines = reported_lines(first.stdout, folder / e.name)
        if not lines:
            missing.append(e.name)
        for row in e.rows:
            if not any(f"(row {row})" in line for line in lines):
                missing.append(f"{e.name} row {row}")
    assert not missing, f"not in the report: {missing}\n{first.stdout[-5000:]}"


def test_every_good_article_is_stored_and_not_reported(corpus, runs):
    from eventwatch.store import open_store

    folder, entries = corpus
    db, first, _ = runs
    store = open_store(db)
    absent = [(e.name, i) for e in entries for i in e.ids if store.get_article(i) is None]
    assert not absent, absent
    wrongly = [e.name for e in entries if e.expect == "stored" and reported_lines(first.stdout, folder / e.name)]
    assert not wrongly, wrongly
    # decoded right: Latin-1 and cp1252 letters, UTF-16 without a mark
    assert "The café nearby" in store.get_article("latin1-0").text
    assert "€5 fee – paid" in store.get_article("cp1252-1").text
    assert "Café Rüstem" in store.get_article("utf-16-be-nobom").text


def test_a_second_run_adds_nothing(corpus, runs):
    _, entries = corpus
    _, first, second = runs
    assert summary_value(first.stdout, "articles stored") >= sum(len(e.ids) for e in entries)
    assert summary_value(second.stdout, "articles stored") == 0
    assert summary_value(second.stdout, "skipped inputs") == summary_value(first.stdout, "skipped inputs")


def test_a_text_longer_than_the_coding_cap_is_stored_whole_with_a_warning(corpus, runs):
    from eventwatch.bounds import MAX_CODED_CHARS
    from eventwatch.store import open_store

    folder, _ = corpus
    db, first, second = runs
    store = open_store(db)
    stored = store.get_article("single-line")
    assert len(stored.text) > MAX_CODED_CHARS  # nothing dropped from what is stored
    # the run says which file was coded in part, and how much of it (stderr: one line per article)
    line = next((x for x in first.stderr.replace("\n", " ").split("warning: ") if "single-line.txt" in x), "")
    assert str(folder / "long" / "single-line.txt") in " ".join(first.stderr.split()), first.stderr[-2000:]
    assert "characters; events are coded from the first" in " ".join(line.split())
    assert "single-line.txt" not in second.stderr  # nothing new the second time: nothing to warn about
