"""Alert rules fire once per matching event, again when the toll rises; deliveries are retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sys

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from watchsite import article_html, real_texts, rss

from eventwatch.alerts import SIGNATURE_HEADER
from eventwatch.api import create_app
from eventwatch.cli import app
from eventwatch.sources import SourceSpec
from eventwatch.store import open_store
from eventwatch.store import watch_store as ws
from eventwatch.watch import poll_round

TEXTS = real_texts()


def feed_of(site, indexes, edits=None, version="v1"):
    items = []
    for i in indexes:
        title, text = TEXTS[i]
        text = (edits or {}).get(i, text)
        site.set(f"/news/story-number-{i}", article_html(title, text))
        items.append({"url": site.url(f"/news/story-number-{i}"), "title": title,
                      "updated": "Wed, 05 Apr 2017 10:00:00 GMT" if version == "v1" else "Thu, 06 Apr 2017 10:00:00 GMT"})
    site.set("/feed", rss(items), ctype="application/rss+xml")


def rounds(db, fast):
    store = open_store(db)
    with fast.fetcher() as fetcher:
        return poll_round(store, fetcher, fast, force=True)


def test_a_rule_fires_once_per_event_and_again_when_the_toll_rises(site, db, fast, tmp_path):
    out = tmp_path / "alerts.jsonl"
    feed_of(site, [0, 1, 5])  # Idleb (27 killed), Aleppo (6), Al Hasakeh (48)
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    added = CliRunner().invoke(app, ["alerts", "add", "idleb", "--admin1", "Idleb", "--min-fatalities", "10",
                                     "--jsonl", str(out), "--db", db])
    assert added.exit_code == 0, added.output
    rounds(db, fast)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(a["trigger"], a["event"]["admin1"], a["event"]["fatalities"]) for a in lines] == [("new", "Idleb", 27)]
    rounds(db, fast)  # nothing changed: nothing more
    assert len(out.read_text().splitlines()) == 1
    # The article is edited to a higher toll: one more alert, for the same event.
    feed_of(site, [0, 1, 5], edits={0: re.sub(r"\b27\b", "35", TEXTS[0][1])}, version="v2")
    rounds(db, fast)
    rounds(db, fast)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(a["trigger"], a["event"]["fatalities"], a["previous"]) for a in lines[1:]] == [
        ("toll_up", 35, {"fatalities": 27, "n_sources": 1, "n_claims": len(lines[0]["event"]["claims"])})]
    assert lines[0]["event_id"] == lines[1]["event_id"]
    # The API shows the rule and both alerts; `alerts log` lists them.
    client = TestClient(create_app(db=db))
    body = client.get("/api/alerts").json()
    assert [r["name"] for r in body["rules"]] == ["idleb"]
    assert [a["trigger"] for a in body["alerts"]] == ["toll_up", "new"]
    assert all(a["status"] == "delivered" for a in body["alerts"])
    sources = client.get("/api/sources").json()
    assert sources["sources"][0]["health"] == "ok" and sources["items"]["stored"] == 3
    assert "toll_up" in CliRunner().invoke(app, ["alerts", "log", "--db", db], env={"COLUMNS": "200"}).output


def test_a_webhook_that_fails_twice_gets_the_alert_on_the_third_try(site, db, fast, monkeypatch):
    site.set("/hook", "ok", ctype="text/plain", fail_times=2)
    feed_of(site, [6])
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    monkeypatch.setenv("HOOK_SECRET", "s3cret")
    assert CliRunner().invoke(app, ["alerts", "add", "all", "--webhook", site.url("/hook"), "--secret-env",
                                    "HOOK_SECRET", "--db", db]).exit_code == 0
    report = rounds(db, fast)
    assert report.alerts_delivered == 1
    posts = [(h, b) for p, h, b in site.posts if p == "/hook"]
    assert len(posts) == 3  # two refused, the third accepted
    headers, body = posts[-1]
    assert headers[SIGNATURE_HEADER.lower()] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert json.loads(body)["event"]["admin1"] == "Al Hasakeh"
    (d,) = ws.list_deliveries(store)
    assert d.status == "delivered" and d.attempts == 3


def test_an_alert_not_delivered_is_kept_and_delivered_later(site, db, fast):
    site.set("/hook", "ok", ctype="text/plain", fail_times=100)
    feed_of(site, [6])
    store = open_store(db)
    ws.add_source(store, SourceSpec(url=site.url("/feed")))
    CliRunner().invoke(app, ["alerts", "add", "all", "--webhook", site.url("/hook"), "--db", db])
    report = rounds(db, fast)
    assert report.alerts_delivered == 0 and report.alerts_pending == 1
    (d,) = ws.list_deliveries(store)
    assert d.status == "pending" and "HTTP 500" in d.last_error
    site.set("/hook", "ok", ctype="text/plain")  # the receiver is back
    report = rounds(db, fast)
    assert report.alerts_delivered == 1
    assert len([p for p, _, _ in site.posts if p == "/hook"]) == 3 + 1
    assert ws.list_deliveries(store)[0].status == "delivered"


def test_email_and_command_destinations(site, db, fast, tmp_path):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port: the controller checks its server by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        feed_of(site, [7])
        store = open_store(db)
        ws.add_source(store, SourceSpec(url=site.url("/feed")))
        cli = CliRunner()
        assert cli.invoke(app, ["alerts", "add", "mail", "--country", "Syria", "--email", "analyst@example.org",
                                "--smtp-port", str(port), "--db", db]).exit_code == 0
        got = tmp_path / "from-command.json"
        script = f"import sys; open({str(got)!r}, 'wb').write(sys.stdin.buffer.read())"
        added = cli.invoke(app, ["alerts", "add", "cmd", "--type", "Explosions/Remote violence", "--command",
                                 f"{sys.executable} -c \"{script}\"", "--db", db])
        assert added.exit_code == 0, added.output
        report = rounds(db, fast)
        assert report.alerts_delivered == 2
        ((rcpt, message),) = inbox.messages
        assert rcpt == ["analyst@example.org"] and "[eventwatch mail] new event" in message
        assert json.loads(got.read_text())["rule"] == "cmd"
    finally:
        smtp.stop()


def test_alerts_yaml_and_sources_yaml(tmp_path, db):
    (tmp_path / "sources.yaml").write_text("sources:\n  - url: https://example.org/feed.xml\n    every: 30m\n"
                                           "  - https://example.org/sitemap.xml\n")
    (tmp_path / "alerts.yaml").write_text("alerts:\n  - name: deadly\n    filters: {min_fatalities: 10, "
                                          "bbox: '35,32,37,34'}\n    on: [new_source]\n"
                                          "    to: {type: jsonl, path: out.jsonl}\n")
    cli = CliRunner()
    assert "2 added" in cli.invoke(app, ["sources", "import", str(tmp_path / "sources.yaml"), "--db", db]).output
    assert "1 added" in cli.invoke(app, ["alerts", "import", str(tmp_path / "alerts.yaml"), "--db", db]).output
    (tmp_path / "bad.yaml").write_text("sources:\n  - url: ftp://nope\n")
    bad = cli.invoke(app, ["sources", "import", str(tmp_path / "bad.yaml"), "--db", db])
    assert bad.exit_code == 2 and "source 1" in bad.output
    from eventwatch.alerts import stored_rules

    (rule,) = stored_rules(open_store(db))
    assert rule.on == ["new", "new_source"] and rule.filters.bbox == (35, 32, 37, 34)
