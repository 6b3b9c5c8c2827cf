"""An unreadable file and an unreadable folder inside a folder given to `eventwatch ingest`: each is
reported with its path and the reason, the readable articles around them are stored, the run exits 0.

chmod does not stop root, and the suite runs as root on the project's machines: there the command runs in
a forked child that drops its privileges to `nobody` (os.setuid) after the interpreter and eventwatch are
loaded (the interpreter lives under /root, which `nobody` cannot enter). Skipped only where privileges
cannot be dropped."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app

NOBODY = 65534
ARTICLE = ("Three people were killed and five wounded on {day} when a car bomb exploded near the market in the "
           "town of Azaz, north of Aleppo, the Syrian Observatory for Human Rights said.\n")


def write_folder(root: Path, locked: bool) -> None:
    (root / "open").mkdir(parents=True)
    (root / "good.txt").write_text(ARTICLE.format(day="Tuesday"))
    (root / "open" / "ok.txt").write_text(ARTICLE.format(day="Friday"))
    (root / "unreadable.txt").write_text(ARTICLE.format(day="Monday"))
    (root / "locked").mkdir()
    (root / "locked" / "inside.txt").write_text(ARTICLE.format(day="Sunday"))
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    if locked:
        (root / "unreadable.txt").chmod(0)
        (root / "locked").chmod(0)


def ingest_as(uid: int | None, folder: Path, db: Path, out) -> None:
    """The CLI's `ingest` in this (forked) process, as `uid` when given; (exit code, output) to `out`."""
    try:
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
    except PermissionError as exc:
        out.put(("no setuid", str(exc)))
        return
    out.put(ingest(folder, db))


def ingest(folder: Path, db: Path) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    return result.exit_code, result.output + (repr(result.exception) if result.exit_code not in (0, None) else "")


def run_forked(uid: int | None, folder: Path, db: Path) -> tuple[object, str]:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=ingest_as, args=(uid, folder, db, out))
    child.start()
    child.join(120)
    return out.get(timeout=10)


def test_an_unreadable_file_and_folder_are_reported_and_the_rest_is_stored():
    base = Path(tempfile.mkdtemp(prefix="ew-perm-"))
    try:
        base.chmod(0o755)  # `nobody` must reach the folder and write the database
        dbs = base / "db"
        dbs.mkdir()
        dbs.chmod(0o777)
        # the same command once in this process with everything readable: every lazy import is done
        # before the forked child gives up the right to read the interpreter's files
        warm = base / "warm"
        write_folder(warm, locked=False)
        code, output = ingest(warm, dbs / "warm.db")
        assert code == 0 and "skipped inputs │ 0" in " ".join(output.split()), output
        folder = base / "in"
        write_folder(folder, locked=True)
        uid = NOBODY if os.geteuid() == 0 else None
        code, output = run_forked(uid, folder, dbs / "perm.db")
        if code == "no setuid":
            pytest.skip(f"cannot drop privileges to nobody here: {output}")
        assert code == 0, output
        assert "Traceback" not in output
        lines = " ".join(output.split())
        assert f"{folder / 'unreadable.txt'} │ cannot read" in lines, output
        assert f"{folder / 'locked'} │ cannot read folder: Permission denied" in lines, output
        assert "articles stored │ 2" in lines and "skipped inputs │ 2" in lines, output
    finally:
        for path in (base / "in" / "locked", base / "in" / "unreadable.txt"):
            if path.exists():
                path.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
