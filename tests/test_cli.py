"""The eventwatch command as a user runs it, on the seeds and on bad inputs, against a real SQLite file."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_dir):
    db = str(tmp_path_factory.mktemp("cli") / "ew.db")
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", db])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_run_codes_the_seeds_and_summarises(seeded):
    _, output = seeded
    assert "articles stored" in output and "events coded" in output


def test_running_the_same_input_again_adds_nothing(seeded, seeds_dir):
    db, _ = seeded
    before = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--limit", "1000"]).output
    again = runner.invoke(app, ["run", str(seeds_dir), "--db", db])
    assert again.exit_code == 0
    assert "already stored (same text)" in again.output and "│ 2" in again.output.split("already stored")[1][:40]
    after = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--limit", "1000"]).output
    assert before == after


def test_events_filters_and_jsonl(seeded):
    db, _ = seeded
    lines = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--admin1", "Dar'a"]).output.splitlines()
    events = [json.loads(line) for line in lines if line.strip()]
    assert events and all(e["admin1"] == "Dar'a" for e in events)
    main = [e for e in events if e["event_date"] == "2019-07-27"]
    assert main and main[0]["sub_event_type"] == "Suicide bomb"
    ied = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--since", "2020-01-01"]).output
    assert [json.loads(x)["event_date"] for x in ied.splitlines() if x.strip()] == ["2020-11-12"]
    by_alias = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--actor", "Islamic State"]).output
    assert by_alias.strip()


def test_show_prints_the_cleaned_article_and_its_events(seeded):
    db, _ = seeded
    out = runner.invoke(app, ["show", "000_19109e5cf8b1b5c5", "--db", db], terminal_width=200).output
    assert "Thursday 12 November 2020" in out and "Donate" not in out
    assert "Remote explosive/landmine/IED" in out


def test_show_unknown_id_is_a_clear_error(seeded):
    db, _ = seeded
    result = runner.invoke(app, ["show", "nope", "--db", db])
    assert result.exit_code == 1 and "No article or event" in result.output


@pytest.mark.parametrize("fmt, name", [("acled-csv", "e.csv"), ("jsonl", "e.jsonl"), ("geojson", "e.geojson"),
                                       ("parquet", "e.parquet")])
def test_export_every_format(seeded, tmp_path, fmt, name):
    db, _ = seeded
    out = tmp_path / name
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path, data_dir, seeds_dir):
    folder = tmp_path / "mixed"
    shutil.copytree(data_dir / "inputs", folder)
    shutil.copy(seeds_dir / "000_19109e5cf8b1b5c5.txt", folder)
    result = runner.invoke(app, ["run", str(folder), "--db", str(tmp_path / "m.db")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Skipped inputs" in result.output
    for reason in ("binary content", "empty file", "no article text", "empty or missing"):
        assert reason in result.output
    assert "Traceback" not in result.output


def test_nothing_readable_exits_non_zero(tmp_path, data_dir):
    result = runner.invoke(app, ["run", str(data_dir / "inputs" / "image.txt"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "Nothing could be read" in result.output


def test_ingest_stores_articles_without_events(tmp_path, seeds_dir):
    db = str(tmp_path / "i.db")
    assert runner.invoke(app, ["ingest", str(seeds_dir), "--db", db]).exit_code == 0
    listing = runner.invoke(app, ["articles", "--db", db], terminal_width=200).output
    assert "000_19109e5cf8b1b5c5" in listing and "Enab Baladi" in listing


def test_gazetteer_missing_lists_places_the_gazetteer_lacks(seeded):
    db, _ = seeded
    out = runner.invoke(app, ["gazetteer", "missing", "--db", db]).output
    assert "Melihit al-Atash" in out and "Dar'a" in out


# --- search and papercuts (issue 13) ---------------------------------------------------------------


def test_the_cli_resolves_actor_aliases_and_everyday_spellings(seeded):
    db, _ = seeded
    daesh = runner.invoke(app, ["events", "--db", db, "--actor", "Daesh", "--format", "jsonl"])
    assert daesh.exit_code == 0
    rows = [json.loads(line) for line in daesh.stdout.splitlines() if line.startswith("{")]
    assert rows and all("Islamic State (Syria)" in (r["actor1"] or "") + (r["actor2"] or "") for r in rows)
    daraa = runner.invoke(app, ["events", "--db", db, "--admin1", "Daraa", "--format", "jsonl"])
    assert [json.loads(line)["admin1"] for line in daraa.stdout.splitlines()] and all(
        json.loads(line)["admin1"] == "Dar'a" for line in daraa.stdout.splitlines())
    miss = runner.invoke(app, ["events", "--db", db, "--admin1", "Dar'o"])
    assert "did you mean Dar'a?" in miss.output


def test_limit_is_validated_and_all_takes_everything(seeded):
    db, _ = seeded
    bad = runner.invoke(app, ["events", "--db", db, "--limit", "100000"])
    assert bad.exit_code == 2 and "--limit must be between 1 and 1000" in bad.output
    assert "Traceback" not in bad.output
    every = runner.invoke(app, ["events", "--db", db, "--all", "--format", "jsonl"])
    some = runner.invoke(app, ["events", "--db", db, "--limit", "1", "--format", "jsonl"])
    assert len(every.stdout.splitlines()) > len(some.stdout.splitlines()) == 1


@pytest.mark.parametrize("command", [["events"], ["articles"], ["show", "x"],
                                     ["export", "--format", "jsonl", "-o", "out.jsonl"]])
def test_read_only_commands_refuse_a_database_that_does_not_exist(tmp_path, command):
    missing = tmp_path / "mistyped.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 1 and "No database at" in result.output
    assert not missing.exists()


def test_version_and_examples_in_every_help():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and version("eventwatch") in result.output
    for command in ("events", "articles", "show", "export", "serve"):
        assert "Example:" in runner.invoke(app, [command, "--help"]).output, command


def test_the_events_table_fits_an_80_column_terminal(seeded):
    db, _ = seeded
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["events", "--db", db])
    assert narrow.exit_code == 0
    lines = narrow.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    events = [line for line in lines if line.strip()[:16].isalnum() and len(line.strip().split()[0]) == 16]
    assert len(events) == 7  # one line per event, its id whole (for `eventwatch show`)
    assert all("…" not in line.split()[0] for line in events)
    assert "fatal." in narrow.output and "place" in narrow.output


def test_a_busy_port_is_named_with_another_to_try(seeded):
    import socket

    db, _ = seeded
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output and "--port" in result.output


def test_the_same_text_under_another_id_is_exported_under_both(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (seeds_dir / "000_19109e5cf8b1b5c5.txt").read_text(encoding="utf-8")
    (corpus / "first.txt").write_text(text, encoding="utf-8")
    (corpus / "second.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "alias.db")
    assert runner.invoke(app, ["run", str(corpus), "--db", db]).exit_code == 0
    out = tmp_path / "events.jsonl"
    assert runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--db", db]).exit_code == 0
    ids = {s["article_id"] for line in out.read_text().splitlines() for s in json.loads(line)["sources"]}
    assert len(ids) == 2
