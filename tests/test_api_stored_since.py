"""When events were first stored: `stored_at` on every event of GET /api/events, and the `stored_since` filter
(the map's "new since your last visit"), on a real SQLite database coded from the seeds by `eventwatch run`,
to which the test adds articles through the store as a watcher would."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwatch.api import create_app
from eventwatch.cli import app as cli
from eventwatch.records import Article
from eventwatch.store import open_store

NAWA = ("An air strike killed seven civilians, including two children, in the town of Nawa in Daraa province on "
        "Friday, the Syrian Observatory for Human Rights said. The monitor said warplanes hit a market in the "
        "town's centre in the morning and that rescue workers were still searching the rubble. No group "
        "commented on the strike.")


def store_article(db: str, article: Article) -> list[str]:
    """Code, store and fuse one article; the fused events of its news reports."""
    from eventwatch.pipeline import code_article, fuse_pending

    store = open_store(db)
    coded, events = code_article(article)
    store.save_article(coded, events)
    fuse_pending(store)
    fused = store.fused_by_report()
    store.engine.dispose()
    return [fused[e.event_id] for e in events if not e.background]


@pytest.fixture()
def setup(tmp_path, seeds_dir):
    db = str(tmp_path / "stored.db")
    result = CliRunner().invoke(cli, ["run", str(seeds_dir), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    return db, TestClient(create_app(db=db))


def ids(client, **params) -> set[str]:
    page = client.get("/api/events", params={"limit": 1000, **params})
    assert page.status_code == 200, page.text
    return {e["event_id"] for e in page.json()["events"]}


def test_events_stored_since_a_moment_are_those_first_stored_after_it(setup, seeds_dir):
    db, client = setup
    old = ids(client)
    assert old
    mark = client.get("/api/config").json()["now"]
    assert ids(client, stored_since=mark) == set()
    new = store_article(db, Article(article_id="nawa", raw_text=NAWA, title="Air strike kills seven in Nawa",
                                    outlet="Test Wire", published=dt.date(2026, 11, 27), source_path="test"))
    assert len(new) == 1 and new[0] not in old
    assert ids(client, stored_since=mark) == set(new)
    assert ids(client) == old | set(new)
    # the same moment in another zone, and the reports: the same answer
    moment = dt.datetime.fromisoformat(mark.replace("Z", "+00:00")).astimezone(dt.timezone(dt.timedelta(hours=2)))
    assert ids(client, stored_since=moment.isoformat()) == set(new)
    reports = client.get("/api/events", params={"kind": "report", "stored_since": mark}).json()["events"]
    assert [r["sources"][0]["article_id"] for r in reports] == ["nawa"]
    assert client.get("/api/aggregate", params={"stored_since": mark}).json()["total"] == 1
    assert client.get("/api/stats", params={"stored_since": mark, "by": "admin1"}).json()["rows"] == [
        {"key": "Dar'a", "events": 1, "fatalities": 7}]


def test_every_event_says_when_it_was_first_stored(setup):
    db, client = setup
    before = client.get("/api/events").json()["events"]
    stamps = [dt.datetime.fromisoformat(e["stored_at"].replace("Z", "+00:00")) for e in before]
    now = dt.datetime.now(dt.UTC)
    assert all(now - dt.timedelta(minutes=5) < s <= now for s in stamps)
    mark = client.get("/api/config").json()["now"]
    (new,) = store_article(db, Article(article_id="nawa", raw_text=NAWA, published=dt.date(2026, 11, 27),
                                       source_path="test"))
    features = client.get("/api/events", params={"format": "geojson"}).json()["features"]
    stored = {f["id"]: f["properties"]["stored_at"] for f in features}
    assert stored[new] >= mark and all(stored[e["event_id"]] == e["stored_at"] < mark for e in before)


def test_an_old_event_reported_again_is_not_new(setup, seeds_dir):
    db, client = setup
    mark = client.get("/api/config").json()["now"]
    seed = (seeds_dir / "000_19109e5cf8b1b5c5.txt").read_text(encoding="utf-8")
    # another outlet's copy of the same story: fused into the seed's event, which gains a source
    again = store_article(db, Article(article_id="seed000-again", raw_text=seed + "\nRepublished by Test Wire.",
                                      outlet="Test Wire", source_path="test"))
    event = client.get(f"/api/events/{again[0]}").json()
    assert {s["article_id"] for s in event["sources"]} >= {"000_19109e5cf8b1b5c5", "seed000-again"}
    assert again[0] not in ids(client, stored_since=mark)
    assert "seed000-again" in {r["sources"][0]["article_id"]
                               for r in client.get("/api/events", params={"kind": "report", "stored_since": mark}).json()["events"]}


@pytest.mark.parametrize("value, says", [
    ("yesterday", "stored_since"),
    ("2026-13-01T00:00:00", "stored_since"),
    ("9999-01-01T00:00:00Z", "outside 1900-01-01..2100-12-31"),
])
def test_a_bad_stored_since_is_a_422_that_says_why(setup, value, says):
    _, client = setup
    for path in ("/api/events", "/api/aggregate", "/api/export"):
        reply = client.get(path, params={"stored_since": value})
        assert reply.status_code == 422 and says in reply.json()["detail"], (path, reply.text)
