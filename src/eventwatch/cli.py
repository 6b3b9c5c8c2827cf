"""The `eventwatch` command: run, ingest, articles, show, events, export, evaluate, serve, gazetteer."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the stages are imported by the commands that use them: `--help` starts fast
    from eventwatch.ingest import ColumnMap
    from eventwatch.records import Article, Event

app = typer.Typer(help="Turn news reports of political violence into an event dataset.", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
console = Console()
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """Turn news reports of political violence into an event dataset."""
    # Consoles are made per invocation so that they see this terminal's width (and tests' COLUMNS).
    global console, err
    console, err = Console(), Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite file path or database URL (postgresql+psycopg://...)",
                                       envvar="EVENTWATCH_DB")]
DEFAULT_DB = "eventwatch.db"


def mount_gazetteer() -> None:
    from eventwatch.resolve.gazetteer_cli import gazetteer_app

    @gazetteer_app.command("missing")
    def missing(db: DbOption = DEFAULT_DB, limit: int = 100) -> None:
        """Places of stored events that the gazetteer lacks (add them with `gazetteer add`)."""
        from eventwatch.resolve.places import missing_places

        rows = missing_places(open_db(db).all_reports())
        table = Table(title=f"{len(rows)} places not in the gazetteer")
        for col in ("name", "admin1", "events"):
            table.add_column(col)
        for name, admin1, n in rows[:limit]:
            table.add_row(name, admin1 or "", str(n))
        console.print(table)
        if rows:
            console.print("Add one with: eventwatch gazetteer add NAME LAT LON --admin1 ADMIN1")

    app.add_typer(gazetteer_app, name="gazetteer", help="The offline gazetteer: import, add, lookup, missing.")


def open_db(db: str):
    """The store at `db`; a database that cannot be opened is a one-line error and exit code 2."""
    from eventwatch.store import open_store
    from eventwatch.store.db import StoreError

    try:
        return open_store(db)
    except StoreError as exc:
        from rich.markup import escape

        err.print(f"[red]Database {escape(str(exc))}[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def fuse_left_over(store) -> None:
    """Fuse the reports an interrupted run left unfused (issue 11: the fused views must show them)."""
    if store.count_pending():
        from eventwatch.pipeline import fuse_pending

        summary = fuse_pending(store)
        err.print(f"{summary.reports} reports left unfused by an earlier run were fused.")


def column_map(text_col, title_col, date_col, outlet_col, id_col) -> ColumnMap:
    from eventwatch.ingest import ColumnMap

    return ColumnMap(text=text_col, title=title_col, date=date_col, outlet=outlet_col, id=id_col)


def progress_bar(enabled: bool) -> Progress:
    """Articles done (written, skipped or failed: what is finished, whichever process coded it), their
    rate, the time left and the errors so far."""
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("{task.fields[status]}"),
                    TimeElapsedColumn(), console=err, transient=False, disable=not enabled)


def count_inputs(paths: list[str]) -> int | None:
    """A quick total for the progress bar: files, and rows of tables (counted when under 200 MB)."""
    import csv

    from eventwatch.ingest import list_files
    from eventwatch.records import Problem

    total = 0
    for item in list_files([p for p in paths if not p.startswith(("http://", "https://"))]):
        if isinstance(item, Problem):
            total += 1
            continue
        suffix = item.suffix.lower()
        if suffix in (".csv", ".tsv", ".jsonl", ".ndjson"):
            try:
                if item.stat().st_size > 200_000_000:
                    return None
                with open(item, encoding="utf-8", errors="replace", newline="") as fh:
                    if suffix in (".jsonl", ".ndjson"):
                        total += sum(1 for line in fh if line.strip())
                    else:
                        total += max(0, sum(1 for _ in csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ",")) - 1)
            except (OSError, csv.Error):
                return None
        else:
            total += 1
    return total + sum(1 for p in paths if p.startswith(("http://", "https://")))


def process(paths: list[str], db: str, columns: ColumnMap, *, extract: bool, reextract: bool = False,
            workers: int = 1, engine: str = "local", address: str | None = None,
            progress: bool | None = None, batch_size: int = 200) -> int:
    import time

    from eventwatch.engines.local import run_local

    store = open_db(db)
    if extract:
        fuse_left_over(store)
    show = sys.stderr.isatty() if progress is None else progress
    total = count_inputs(paths) if show else None
    started = time.perf_counter()
    with progress_bar(show) as bar:
        task = bar.add_task("coding" if extract else "reading", total=total, status="", rate="")

        def on_batch(r) -> None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=r.done, rate=f"{r.done / elapsed:.0f} articles/s",
                       status=f"{r.stored} stored, {r.events_written} events, {len(r.problems)} errors")

        if engine == "ray":
            from eventwatch.engines.ray_engine import RayUnavailable, run_ray

            try:
                report = run_ray(paths, db, columns, extract=extract, reextract=reextract, workers=workers,
                                 address=address, on_batch=on_batch, batch_size=batch_size)
            except RayUnavailable as exc:
                from rich.markup import escape

                err.print(f"[red]{escape(str(exc))}[/]", highlight=False)
                return 2
        else:
            from eventwatch.ingest import read_sources

            report = run_local(read_sources(paths, columns), store, extract=extract, reextract=reextract,
                               workers=workers, on_batch=on_batch, batch_size=batch_size)
    fused = report.fused if extract and not report.interrupted else None
    summary = Table(title="Run summary", show_header=False)
    summary.add_row("articles stored", str(report.stored))
    summary.add_row("already stored (same text)", str(report.unchanged + report.aliased))
    if report.aliased:
        summary.add_row("  of them under another id (kept as aliases)", str(report.aliased))
    if extract:
        summary.add_row("events coded (reports)", str(report.events_written))
    if fused is not None:
        summary.add_row("fused events (all)", f"{fused.fused_total} ({fused.multi_source} from several sources)")
    summary.add_row("not English (stored, not coded)", str(report.non_english))
    summary.add_row("skipped inputs", str(len(report.problems)))
    summary.add_row("database", db)
    console.print(summary)
    for source, taken, given in report.renamed[:200]:
        err.print(f"[yellow]warning:[/] {source}: the id {taken!r} already names another text; stored as {given!r}",
                  highlight=False)
    if report.problems:
        table = Table(title="Skipped inputs", show_lines=False)
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for p in report.problems[:200]:
            table.add_row(p.path + (f" (row {p.row})" if p.row else ""), p.reason)
        if len(report.problems) > 200:
            table.add_row("…", f"and {len(report.problems) - 200} more")
        console.print(table)
    if report.interrupted:
        err.print("[yellow]Interrupted: every article stored so far is complete; run again to continue.[/]")
        return 130
    if report.stored == 0 and report.unchanged == 0 and report.aliased == 0:
        err.print("[red]Nothing could be read from the inputs given.[/]")
        return 1
    return 0


TextCol = Annotated[str | None, typer.Option("--text-col", help="column with the article text")]
TitleCol = Annotated[str | None, typer.Option("--title-col", help="column with the title")]
DateCol = Annotated[str | None, typer.Option("--date-col", help="column with the publication date")]
OutletCol = Annotated[str | None, typer.Option("--outlet-col", help="column with the outlet")]
IdCol = Annotated[str | None, typer.Option("--id-col", help="column with the article id")]


WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, max=256,
                                                help="processes that code articles (default: the machine's cores)")]
ProgressOpt = Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="progress bar: articles/s, time left, errors (default: on a terminal)")]


@app.command()
def run(paths: Annotated[list[str], typer.Argument(help="files, folders (recursive) or URLs")],
        db: DbOption = DEFAULT_DB, text_col: TextCol = None, title_col: TitleCol = None, date_col: DateCol = None,
        outlet_col: OutletCol = None, id_col: IdCol = None,
        reextract: Annotated[bool, typer.Option(help="re-code articles already stored")] = False,
        workers: WorkersOpt = None,
        engine: Annotated[str, typer.Option("--engine", help="local (this machine's cores) or ray")] = "local",
        address: Annotated[str | None, typer.Option("--address", help="Ray cluster address (--engine ray)")] = None,
        progress: ProgressOpt = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, hidden=True,
                                                help="articles per write transaction")] = 200) -> None:
    """Read, clean, code and store articles (each all or nothing), on every core or a Ray cluster."""
    from eventwatch.engines.local import default_workers

    if engine not in ("local", "ray"):
        raise typer.BadParameter("--engine must be local or ray")
    code = process(paths, db, column_map(text_col, title_col, date_col, outlet_col, id_col), extract=True,
                   reextract=reextract, workers=workers or default_workers(), engine=engine, address=address,
                   progress=progress, batch_size=batch_size)
    raise typer.Exit(code)


@app.command()
def ingest(paths: Annotated[list[str], typer.Argument(help="files, folders (recursive) or URLs")],
           db: DbOption = DEFAULT_DB, text_col: TextCol = None, title_col: TitleCol = None,
           date_col: DateCol = None, outlet_col: OutletCol = None, id_col: IdCol = None,
           workers: WorkersOpt = None, progress: ProgressOpt = None) -> None:
    """Only read and clean articles, storing them without coding events."""
    from eventwatch.engines.local import default_workers

    raise typer.Exit(process(paths, db, column_map(text_col, title_col, date_col, outlet_col, id_col),
                             extract=False, workers=workers or default_workers(), progress=progress))


@app.command()
def articles(db: DbOption = DEFAULT_DB, limit: int = 50, offset: int = 0) -> None:
    """List stored articles."""
    store = open_db(db)
    table = Table(title=f"Articles ({store.count_articles()} stored)")
    for col in ("article_id", "published", "outlet", "lang", "events", "title"):
        table.add_column(col, overflow="fold")
    for a in store.list_articles(limit=limit, offset=offset):
        table.add_row(a.article_id, str(a.published or ""), a.outlet or "", a.language or "", str(a.n_events),
                      (a.title or "")[:80])
    console.print(table)


FIELD_STYLES = {
    "event_date": "bold magenta", "event_type": "bold red", "sub_event_type": "bold red", "actor1": "bold cyan",
    "actor2": "bold blue", "fatalities": "bold yellow", "injuries": "yellow", "location": "bold green",
    "weapon": "red", "claimed_by": "cyan", "assoc_actor_1": "cyan", "assoc_actor_2": "blue",
    "published_inferred": "magenta",
}


def highlighted(article: Article, events: list[Event]) -> Text:
    text = Text(article.text)
    for event in events:
        for e in event.evidence:
            if e.article_id == article.article_id and 0 <= e.start < e.end <= len(article.text):
                text.stylize(f"{FIELD_STYLES.get(e.field, 'bold')} underline", e.start, e.end)
    return text


def event_table(events: list[Event], title: str) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("event_id", "date", "type", "actor1", "actor2", "admin1", "location", "fatal.", "src", "bg"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(e.event_id, str(e.event_date or ""), e.sub_event_type, e.actor1 or "", e.actor2 or "",
                      e.admin1 or "", e.location or "", f"{e.fatalities}" + (
                          f" [{e.fatalities_low}-{e.fatalities_high}]" if e.fatalities_high != e.fatalities_low
                          and e.fatalities_high is not None else ""),
                      str(len(e.sources)), "yes" if e.background else "")
    return table


@app.command()
def show(item_id: Annotated[str, typer.Argument(help="an article id or an event id")],
         db: DbOption = DEFAULT_DB) -> None:
    """Print an article (cleaned text with evidence highlighted, its events) or an event (sources, claims)."""
    store = open_db(db)
    article = store.get_article(item_id)
    if article is not None:
        events = store.events_for_article(item_id)
        meta = Table(show_header=False, title=article.title or article.article_id)
        for key in ("article_id", "outlet", "url", "published", "published_source", "language", "source_path"):
            meta.add_row(key, str(getattr(article, key) or ""))
        console.print(meta)
        console.print(highlighted(article, events))
        legend = Text("evidence: ")
        for name, style in FIELD_STYLES.items():
            legend.append(name, style=style)
            legend.append(" ")
        console.print(legend)
        console.print(event_table(events, f"{len(events)} events coded from this article"))
        for e in events:
            console.print(f"[bold]{e.event_id}[/]: {e.notes}")
        return
    event = store.get_event(item_id)
    if event is None:
        err.print(f"[red]No article or event with id {item_id!r} in {db}.[/]")
        raise typer.Exit(1)
    console.print_json(event.model_dump_json(exclude={"evidence"}))
    reports = {r.sources[0].article_id: r for r in store.get_events(event.report_ids) if r.sources}
    sources = Table(title="Sources")
    for col in ("article_id", "outlet", "published", "date", "type", "location", "killed", "injured", "title"):
        sources.add_column(col, overflow="fold")
    for s in event.sources:
        r = reports.get(s.article_id)
        killed = "" if r is None or r.fatalities_low is None else str(r.fatalities) + (
            f" [{r.fatalities_low}-{r.fatalities_high}]" if r.fatalities_high != r.fatalities_low else "")
        sources.add_row(s.article_id, s.outlet or "", str(s.published or ""), str(r.event_date or "") if r else "",
                        r.sub_event_type if r else "", (r.location or r.admin1 or "") if r else "", killed,
                        "" if r is None or r.injuries is None else str(r.injuries), s.title or "")
    console.print(sources)
    ledger = Table(title="Claims ledger")
    for col in ("field", "value", "claimed by", "outlet", "quote"):
        ledger.add_column(col, overflow="fold")
    for c in event.claims:
        ledger.add_row(c.field, str(c.value), c.claimed_by or "", c.outlet or "", (c.quote or "")[:160])
    console.print(ledger)


def build_query(since, until, country, admin1, event_type, actor, text, limit, offset, background=None,
                kind="fused"):
    from eventwatch.store.query import EventQuery

    return EventQuery(since=since, until=until, country=country, admin1=admin1, event_type=event_type,
                      actor=actor, text=text, limit=limit, offset=offset, background=background, kind=kind)


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


ReportsOption = Annotated[bool, typer.Option("--reports", help="each article's own events, before fusion")]


@app.command()
def events(db: DbOption = DEFAULT_DB,
           since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
           until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
           country: str | None = None, admin1: str | None = None,
           event_type: Annotated[str | None, typer.Option("--type", help="event type or sub-event type")] = None,
           actor: str | None = None, text: str | None = None,
           fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv")] = "table",
           reports: ReportsOption = False, limit: int = 100, offset: int = 0) -> None:
    """List events (fused across sources; --reports for each article's own reports), with filters."""
    store = open_db(db)
    q = build_query(parse_day(since), parse_day(until), country, admin1, event_type, actor, text, limit, offset,
                    kind="report" if reports else "fused")
    found = store.query_events(q)
    if fmt == "table":
        console.print(event_table(found, f"{len(found)} of {store.count_events(q)} events"))
    elif fmt == "jsonl":
        from eventwatch.export import write_jsonl

        write_jsonl(found, sys.stdout)
    elif fmt == "csv":
        from eventwatch.export import write_acled_csv

        write_acled_csv(found, sys.stdout)
    else:
        raise typer.BadParameter("--format must be table, jsonl or csv")


@app.command()
def export(fmt: Annotated[str, typer.Option("--format", help="acled-csv, jsonl, geojson or parquet")],
           output: Annotated[Path, typer.Option("-o", "--output", help="file to write")],
           db: DbOption = DEFAULT_DB, reports: ReportsOption = False) -> None:
    """Export every event (fused; --reports for per-article reports) in ACLED CSV, JSON Lines, GeoJSON or Parquet."""
    from eventwatch.export import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(EXPORT_FORMATS)}")
    store = open_db(db)
    found = list(store.iter_events("report" if reports else "fused"))
    EXPORT_FORMATS[fmt](found, output)
    console.print(f"{len(found)} events written to {output} ({fmt})")


@app.command()
def fuse(db: DbOption = DEFAULT_DB,
         pending: Annotated[bool, typer.Option("--pending", help="only fuse reports not yet fused")] = False) -> None:
    """Fuse the reports of the same real event from several articles (a full re-fuse by default)."""
    from eventwatch.pipeline import fuse_pending, refuse_all

    store = open_db(db)
    with err.status("fusing reports…"):
        summary = fuse_pending(store) if pending else refuse_all(store)
    console.print(f"{summary.reports} reports fused; {summary.fused_total} fused events, "
                  f"{summary.multi_source} of them from several sources.")


def with_alias_sources(events_: Iterable[Event], aliases: dict[str, list[str]]) -> list[Event]:
    """An article stored once under one id and seen again under others reports its events under each."""
    from eventwatch.records import Source

    out = []
    for e in events_:
        extra = [Source(article_id=a, outlet=s.outlet, url=s.url, published=s.published, title=s.title)
                 for s in e.sources for a in aliases.get(s.article_id, [])]
        out.append(e.model_copy(update={"sources": e.sources + extra}) if extra else e)
    return out


@app.command()
def evaluate(predictions: Annotated[Path | None, typer.Argument(help="predicted events (JSON Lines)")] = None,
             gold: Annotated[Path | None, typer.Option("--gold", help="gold file (JSON Lines)")] = None,
             fakes: Annotated[Path | None, typer.Option(help="FA-KES CSV: admin1 accuracy of main events")] = None,
             db: Annotated[str | None, typer.Option("--db", help="evaluate the events in this database")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False) -> None:
    """Score predicted events against gold (shared/design/evaluation.md).

    Detection precision/recall/F1, per-field accuracy of matched events, row accuracy, and for the
    fused events B-cubed and pairwise precision/recall of the clusters (gold events sharing an event_key
    are one real event; with --db each report counts in the fused event that holds it): B-cubed averages,
    over every matched report, the share of its fused event that is in its gold event (precision) and of
    its gold event that its fused event holds (recall); "multi" counts gold events reported by several
    articles; "bad" counts fused events joining gold events of different dates, in other governorates
    or at places with no name in common.
    """
    from eventwatch import evaluate as ev

    fused_of = None
    if predictions is not None:
        predicted = ev.load_predictions(predictions)
    else:
        store = open_db(db or DEFAULT_DB)
        predicted = with_alias_sources(store.all_reports(), store.aliases())
        fused_of = store.fused_by_report()
    results = {}
    if gold is not None:
        report = ev.evaluate(ev.load_gold(gold), predicted, fused_of=fused_of)
        results["gold"] = report
    if fakes is not None:
        results["fakes_admin1"] = ev.evaluate_fakes_admin1(predicted, fakes)
    if not results:
        raise typer.BadParameter("give --gold GOLD.jsonl and/or --fakes FA-KES.csv")
    if as_json:
        print(json.dumps({k: r.to_dict() for k, r in results.items()}, indent=2, default=str))
    else:
        for r in results.values():
            r.render(console)


@app.command()
def serve(db: DbOption = DEFAULT_DB, host: str = "127.0.0.1", port: int = 8000,
          token: Annotated[str | None, typer.Option(envvar="EVENTWATCH_TOKEN",
                                                    help="API token that allows POST /api/articles")] = None,
          tiles: Annotated[str | None, typer.Option(help="a tile server URL template for the map")] = None,
          workers: Annotated[int, typer.Option(min=1, max=64, help="server processes (one per core)")] = 1) -> None:
    """Serve the REST API and the web map (read-only unless a token is given)."""
    import os

    import uvicorn

    fuse_left_over(open_db(db))  # create and migrate once, before any worker starts; fuse what a run left
    console.print(f"eventwatch on http://{host}:{port}/ (API docs at /docs), database {db}"
                  + ("" if token else "; read-only: no --token given"))
    if workers == 1:
        from eventwatch.api import create_app

        uvicorn.run(create_app(db=db, token=token, tiles=tiles), host=host, port=port, log_level="warning")
        return
    # Several processes import the app by name and read their settings from the environment.
    os.environ.update({"EVENTWATCH_DB": db, **({"EVENTWATCH_TOKEN": token} if token else {}),
                       **({"EVENTWATCH_TILES": tiles} if tiles else {})})
    uvicorn.run("eventwatch.api:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


mount_gazetteer()


if __name__ == "__main__":  # pragma: no cover
    app()
