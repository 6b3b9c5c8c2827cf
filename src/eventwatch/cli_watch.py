"""The monitor's commands: `eventwatch sources ...`, `eventwatch alerts ...`, `eventwatch watch`."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

DbOption = Annotated[str, typer.Option("--db", help="SQLite file path or database URL (postgresql+psycopg://...)",
                                       envvar="EVENTWATCH_DB")]
DEFAULT_DB = "eventwatch.db"

sources_app = typer.Typer(help="The feeds, sitemaps and section pages `watch` polls.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alert rules (filters -> a webhook, an email, a command, a JSON Lines file) "
                              "and their deliveries.", no_args_is_help=True)


def out() -> Console:
    return Console(soft_wrap=True)  # messages name paths and URLs: never broken across lines


def err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def open_db(db: str):
    from eventwatch.store import open_store

    return open_store(db)


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


# --- sources ---------------------------------------------------------------------------------------------

@sources_app.command("add")
def sources_add(url: Annotated[str, typer.Argument(help="a feed, sitemap or section page URL")],
                name: Annotated[str | None, typer.Option(help="a name to show")] = None,
                every: Annotated[str, typer.Option(help="poll interval: 90s, 15m, 2h, 1d")] = "15m",
                country: Annotated[str | None, typer.Option(help="what the source covers (a note)")] = None,
                kind: Annotated[str, typer.Option(help="auto, feed, sitemap or page")] = "auto",
                db: DbOption = DEFAULT_DB) -> None:
    """Watch a source (or change the settings of one already watched)."""
    from eventwatch.sources import SourceSpec
    from eventwatch.store import watch_store as ws

    try:
        spec = SourceSpec(url=url, name=name, every=every, country=country, kind=kind)
    except Exception as exc:
        err().print(f"[red]{url}: {exc.errors()[0]['msg'] if hasattr(exc, 'errors') else exc}[/]")
        raise typer.Exit(2) from None
    source_id, new = ws.add_source(open_db(db), spec)
    out().print(f"{'added' if new else 'updated'} source {source_id}: {spec.url} (every {every})")


@sources_app.command("import")
def sources_import(path: Annotated[Path, typer.Argument(help="a sources.yaml")], db: DbOption = DEFAULT_DB) -> None:
    """Add (or update) every source of a sources.yaml."""
    from eventwatch.sources import load_sources_yaml
    from eventwatch.store import watch_store as ws

    try:
        specs = load_sources_yaml(path)
    except ValueError as exc:
        err().print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    store = open_db(db)
    added = sum(ws.add_source(store, s)[1] for s in specs)
    out().print(f"{len(specs)} sources in {path}: {added} added, {len(specs) - added} updated")


@sources_app.command("list")
def sources_list(db: DbOption = DEFAULT_DB,
                 as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False) -> None:
    """Every source with its health: last poll and success, items seen and stored, the last error."""
    from eventwatch.sources import format_every
    from eventwatch.store import watch_store as ws

    rows = ws.list_sources(open_db(db))
    if as_json:
        print(json.dumps([{**r.model_dump(mode="json"), "health": r.health()} for r in rows], indent=2))
        return
    table = Table(title=f"{len(rows)} sources")
    for col in ("id", "name / url", "every", "kind", "health", "last success", "next poll", "seen", "stored",
                "failed", "last error"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r.source_id), (r.name + "\n" if r.name else "") + r.url, format_every(r.every_s),
                      r.detected_kind or r.kind, r.health(), when(r.last_success), when(r.next_poll),
                      str(r.items_seen), str(r.items_stored), str(r.items_failed), r.last_error or "")
    out().print(table)


@sources_app.command("remove")
def sources_remove(source: Annotated[str, typer.Argument(help="the source's URL or id")],
                   db: DbOption = DEFAULT_DB) -> None:
    """Stop watching a source (what it brought stays stored)."""
    from eventwatch.store import watch_store as ws

    if not ws.remove_source(open_db(db), source):
        err().print(f"[red]No source {source!r}.[/]")
        raise typer.Exit(1)
    out().print(f"removed {source}")


# --- alerts ----------------------------------------------------------------------------------------------

@alerts_app.command("add")
def alerts_add(
        name: Annotated[str, typer.Argument(help="the rule's name (letters, digits, . _ -)")],
        country: str | None = None, admin1: str | None = None,
        event_type: Annotated[str | None, typer.Option("--type", help="event type or sub-event type")] = None,
        actor: Annotated[str | None, typer.Option(help="canonical name or alias")] = None,
        bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = None,
        min_fatalities: Annotated[int | None, typer.Option(min=0)] = None,
        on: Annotated[list[str] | None, typer.Option(
            "--on", help="also alert on: toll_up (toll revised upward), new_source, new_claim; repeatable")] = None,
        webhook: Annotated[str | None, typer.Option(help="POST the alert as JSON to this URL")] = None,
        secret_env: Annotated[str | None, typer.Option(
            help="variable holding the webhook's HMAC key (X-Eventwatch-Signature: sha256=...)")] = None,
        email: Annotated[str | None, typer.Option(help="mail the alert to these addresses (comma-separated)")] = None,
        smtp_host: str = "127.0.0.1", smtp_port: int = 25, sender: str = "eventwatch@localhost",
        starttls: bool = False, smtp_user: str | None = None,
        smtp_password_env: Annotated[str | None, typer.Option(help="variable holding the SMTP password")] = None,
        command: Annotated[str | None, typer.Option(help="run this (no shell) with the alert as JSON on stdin")] = None,
        jsonl: Annotated[str | None, typer.Option(help="append the alert to this JSON Lines file")] = None,
        db: DbOption = DEFAULT_DB) -> None:
    """Add (or replace) an alert rule: filters of the events API, what to alert on, one destination."""
    from eventwatch.alerts import AlertRule
    from eventwatch.store import watch_store as ws

    chosen = [k for k, v in (("webhook", webhook), ("email", email), ("command", command), ("jsonl", jsonl)) if v]
    if len(chosen) != 1:
        err().print("[red]Give exactly one destination: --webhook, --email, --command or --jsonl.[/]")
        raise typer.Exit(2)
    dest = {"type": chosen[0], "url": webhook, "secret_env": secret_env, "to": email, "smtp_host": smtp_host,
            "smtp_port": smtp_port, "sender": sender, "starttls": starttls, "smtp_user": smtp_user,
            "smtp_password_env": smtp_password_env, "command": command, "path": jsonl}
    try:
        rule = AlertRule.model_validate({
            "name": name, "on": on or ["toll_up"], "to": dest,
            "filters": {"country": country, "admin1": admin1, "event_type": event_type, "actor": actor,
                        "bbox": bbox, "min_fatalities": min_fatalities}})
    except Exception as exc:
        msg = "; ".join(e["msg"] for e in exc.errors()) if hasattr(exc, "errors") else str(exc)
        err().print(f"[red]alert {name}: {msg}[/]")
        raise typer.Exit(2) from None
    new = ws.save_rule(open_db(db), rule.name, rule.model_dump_json())
    out().print(f"{'added' if new else 'replaced'} alert {rule.name}: on {', '.join(rule.on)} -> {rule.to.describe()}")


@alerts_app.command("import")
def alerts_import(path: Annotated[Path, typer.Argument(help="an alerts.yaml")], db: DbOption = DEFAULT_DB) -> None:
    """Add (or replace) every rule of an alerts.yaml."""
    from eventwatch.alerts import load_alerts_yaml
    from eventwatch.store import watch_store as ws

    try:
        rules = load_alerts_yaml(path)
    except ValueError as exc:
        err().print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    store = open_db(db)
    added = sum(ws.save_rule(store, r.name, r.model_dump_json()) for r in rules)
    out().print(f"{len(rules)} alert rules in {path}: {added} added, {len(rules) - added} replaced")


@alerts_app.command("list")
def alerts_list(db: DbOption = DEFAULT_DB) -> None:
    """The rules, with how many alerts each delivered and has pending."""
    from eventwatch.alerts import stored_rules
    from eventwatch.store import watch_store as ws

    store = open_db(db)
    table = Table(title="Alert rules")
    for col in ("name", "filters", "on", "destination", "delivered", "pending"):
        table.add_column(col, overflow="fold")
    for rule in stored_rules(store):
        done = ws.list_deliveries(store, limit=100_000, rule=rule.name)
        filters = ", ".join(f"{k}={v}" for k, v in rule.filters.model_dump(exclude_none=True).items()
                            if not (k == "background" and v is False))
        table.add_row(rule.name, filters or "(all events)", ", ".join(rule.on), rule.to.describe(),
                      str(sum(d.status == "delivered" for d in done)), str(sum(d.status == "pending" for d in done)))
    out().print(table)


@alerts_app.command("remove")
def alerts_remove(name: str, db: DbOption = DEFAULT_DB) -> None:
    """Remove a rule (its undelivered alerts wait, should it be added again)."""
    from eventwatch.store import watch_store as ws

    if not ws.remove_rule(open_db(db), name):
        err().print(f"[red]No alert rule {name!r}.[/]")
        raise typer.Exit(1)
    out().print(f"removed alert {name}")


@alerts_app.command("log")
def alerts_log(db: DbOption = DEFAULT_DB, limit: int = 50,
               pending: Annotated[bool, typer.Option("--pending", help="only those not delivered yet")] = False) -> None:
    """The alerts made, newest first: rule, event, trigger, status, attempts, last error."""
    from eventwatch.store import watch_store as ws

    rows = ws.list_deliveries(open_db(db), limit=limit, status="pending" if pending else None)
    table = Table(title=f"{len(rows)} alerts")
    for col in ("id", "rule", "event", "trigger", "toll", "sources", "status", "attempts", "made", "delivered",
                "last error"):
        table.add_column(col, overflow="fold")
    for d in rows:
        table.add_row(str(d.delivery_id), d.rule, d.event_id, d.trigger, str(d.fatalities), str(d.n_sources),
                      d.status, str(d.attempts), when(d.created_at), when(d.delivered_at), d.last_error or "")
    out().print(table)


@alerts_app.command("check")
def alerts_check(db: DbOption = DEFAULT_DB) -> None:
    """Check every fused event in the database against the rules now (for rules added after the events
    were stored), then deliver what is due."""
    from eventwatch.alerts import deliver_due, queue_alerts, stored_rules
    from eventwatch.resolve.actors import canonical_actor_name
    from eventwatch.store import watch_store as ws

    store = open_db(db)
    rules = stored_rules(store)
    queued = queue_alerts(store, rules, store.iter_events("fused"), ws.utcnow(), canonical_actor_name)
    delivered, pending = deliver_due(store, rules)
    out().print(f"{queued} alerts queued; {delivered} delivered, {pending} still pending")


# --- watch -----------------------------------------------------------------------------------------------

def settings_from(workers: int, rate: float, timeout: float, robots: bool):
    from eventwatch.watch import WatchSettings

    return WatchSettings(workers=workers, rate=rate, timeout=timeout, respect_robots=robots)


def start_background_watch(db: str, settings=None) -> threading.Event:
    """Run the watcher in a daemon thread of this process (for `serve --watch`); set the returned event
    to stop it after its current item."""
    from eventwatch.watch import WatchSettings, watch_forever

    stop = threading.Event()
    store = open_db(db)
    console = err()

    def log(report) -> None:
        console.print(f"watch: {report.line()}")

    threading.Thread(target=watch_forever, args=(store, settings or WatchSettings(), stop), kwargs={"on_round": log},
                     name="eventwatch-watch", daemon=True).start()
    return stop


def watch(db: DbOption = DEFAULT_DB,
          once: Annotated[bool, typer.Option("--once", help="one round of the sources that are due, then exit (cron)")] = False,
          force: Annotated[bool, typer.Option("--force", help="poll every source now, due or not")] = False,
          sources: Annotated[Path | None, typer.Option(help="a sources.yaml to import first")] = None,
          alerts: Annotated[Path | None, typer.Option(help="an alerts.yaml to import first")] = None,
          workers: Annotated[int, typer.Option(min=1, max=64, help="sources fetched at once")] = 8,
          rate: Annotated[float, typer.Option(help="seconds between two requests to one host")] = 1.0,
          timeout: Annotated[float, typer.Option(help="seconds before a request is abandoned")] = 20.0,
          robots: Annotated[bool, typer.Option(help="respect robots.txt")] = True) -> None:
    """Poll every source on its schedule; code, store and fuse new articles; deliver alerts.

    Stops cleanly on Ctrl-C or SIGTERM (after the item in hand); killed outright, it resumes where it was.
    """
    from eventwatch.watch import poll_round, watch_forever

    if sources is not None:
        sources_import(sources, db)
    if alerts is not None:
        alerts_import(alerts, db)
    store = open_db(db)
    from eventwatch.cli import fuse_left_over

    fuse_left_over(store)  # what an interrupted run or watcher left unfused shows at once, not after a round
    settings = settings_from(workers, rate, timeout, robots)
    console = err()

    def log(report) -> None:
        console.print(f"watch: {report.line()}")
        for p in report.source_errors:
            console.print(f"  [yellow]source {p.path}: {p.reason}[/]")
        for p in report.skipped[:50]:
            console.print(f"  [yellow]skipped {p.path}: {p.reason}[/]")

    if once:
        with settings.fetcher() as fetcher:
            report = poll_round(store, fetcher, settings, force=force)
        log(report)
        print(json.dumps({"polled": report.polled, "stored": report.stored, "duplicates": report.duplicates,
                          "skipped": len(report.skipped), "source_errors": len(report.source_errors),
                          "events": report.events, "alerts_queued": report.alerts_queued,
                          "alerts_delivered": report.alerts_delivered}), file=sys.stdout)
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print(f"watching the sources of {db} (Ctrl-C to stop)")
    watch_forever(store, settings, stop, on_round=log)
    console.print("watch: stopped; every item handled so far is stored.")


def mount_watch(app: typer.Typer) -> None:
    """Add the monitor's commands to the main app."""
    app.add_typer(sources_app, name="sources", help="The feeds, sitemaps and section pages `watch` polls.")
    app.add_typer(alerts_app, name="alerts", help="Alert rules and their deliveries.")
    app.command("watch")(watch)
