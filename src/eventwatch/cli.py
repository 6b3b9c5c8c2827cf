"""The `eventwatch` command: run, ingest, articles, show, events, export, evaluate, serve, gazetteer."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
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

from eventwatch.terminal import plain, terminal_safe

if TYPE_CHECKING:  # the stages are imported by the commands that use them: `--help` starts fast
    from eventwatch.ingest import ColumnMap
    from eventwatch.records import Article, Event

app = typer.Typer(help="Turn news reports of political violence into an event dataset.", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
console = Console()
err = Console(stderr=True)


def show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"eventwatch {version('eventwatch')}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                               help="print the version and exit")] = False) -> None:
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
            table.add_row(plain(name), plain(admin1 or ""), str(n))
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


def open_existing_db(db: str):
    """The store at `db` for a read-only command: a path that does not exist is an error (one line,
    exit 1), not a new empty database."""
    if "://" not in db and not Path(db).expanduser().exists():
        err.print(f"[red]No database at {db}[/] (give --db PATH, or create one with: eventwatch run FILES --db {db})")
        raise typer.Exit(1)
    return open_db(db)


def check_limit(limit: int, every: bool = False) -> None:
    """--limit is 1..MAX_LIMIT; --all takes everything (one line and exit 2 otherwise)."""
    from eventwatch.store.query import MAX_LIMIT

    if not every and not 1 <= limit <= MAX_LIMIT:
        err.print(f"[red]--limit must be between 1 and {MAX_LIMIT}[/] (got {limit}); use --all for every event")
        raise typer.Exit(2)


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
            progress: bool | None = None, batch_size: int = 200, include_hidden: bool = False,
            fetch: bool = False, fuse_every: int | None = None) -> int:
    import time

    from eventwatch.engines.local import FUSE_EVERY, run_local, start_fork_server, worth_workers

    fuse_every = fuse_every or FUSE_EVERY
    if engine == "local" and workers > 1 and worth_workers(paths, batch_size):
        start_fork_server()  # the workers' resources load while this process opens the database and reads
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
                                 address=address, on_batch=on_batch, batch_size=batch_size, fetch=fetch,
                                 include_hidden=include_hidden, fuse_every=fuse_every)
            except RayUnavailable as exc:
                from rich.markup import escape

                err.print(f"[red]{escape(str(exc))}[/]", highlight=False)
                return 2
        else:
            from eventwatch.ingest import read_sources

            report = run_local(read_sources(paths, columns, include_hidden=include_hidden, fetch=fetch), store,
                               extract=extract, reextract=reextract,
                               workers=workers, on_batch=on_batch, batch_size=batch_size, fuse_every=fuse_every)
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
    for warning in report.warnings[:200]:
        err.print(Text.assemble(("warning: ", "yellow"), plain(warning)), highlight=False)
    if report.problems:
        table = Table(title="Skipped inputs", show_lines=False)
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for p in report.problems:  # every one: a skipped entry the report does not name is silently lost
            table.add_row(plain(p.path + (f" (row {p.row})" if p.row else "")), plain(p.reason))
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
HiddenOption = Annotated[bool, typer.Option("--hidden", help="also read hidden files and folders (.name); "
                                                           "by default they are skipped and reported")]
FetchOption = Annotated[bool, typer.Option("--fetch/--no-fetch",
                                           help="a feed file is read as the article pages its entries link to "
                                                "(the summary when a page cannot be read); --no-fetch: from "
                                                "the entries' summaries, without the network")]


WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, max=256,
                                                help="processes that code articles (default: the machine's cores)")]
ProgressOpt = Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="progress bar: articles/s, time left, errors (default: on a terminal)")]


@app.command()
def run(paths: Annotated[list[str], typer.Argument(help="files, folders (recursive) or URLs")],
        db: DbOption = DEFAULT_DB, text_col: TextCol = None, title_col: TitleCol = None, date_col: DateCol = None,
        outlet_col: OutletCol = None, id_col: IdCol = None,
        reextract: Annotated[bool, typer.Option(help="re-code articles already stored")] = False,
        hidden: HiddenOption = False,
        fetch: FetchOption = True,
        workers: WorkersOpt = None,
        engine: Annotated[str, typer.Option("--engine", help="local (this machine's cores) or ray")] = "local",
        address: Annotated[str | None, typer.Option("--address", help="Ray cluster address (--engine ray)")] = None,
        progress: ProgressOpt = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, hidden=True,
                                                help="articles per write transaction")] = 200,
        fuse_every: Annotated[int | None, typer.Option("--fuse-every", min=1, hidden=True,
                                                       help="stored articles between fusions")] = None) -> None:
    """Read, clean, code and store articles (each all or nothing), on every core or a Ray cluster."""
    from eventwatch.engines.local import default_workers

    if engine not in ("local", "ray"):
        raise typer.BadParameter("--engine must be local or ray")
    code = process(paths, db, column_map(text_col, title_col, date_col, outlet_col, id_col), extract=True,
                   reextract=reextract, workers=workers or default_workers(), engine=engine, address=address,
                   progress=progress, batch_size=batch_size, include_hidden=hidden, fetch=fetch,
                   fuse_every=fuse_every)
    raise typer.Exit(code)


@app.command()
def ingest(paths: Annotated[list[str], typer.Argument(help="files, folders (recursive) or URLs")],
           db: DbOption = DEFAULT_DB, text_col: TextCol = None, title_col: TitleCol = None,
           date_col: DateCol = None, outlet_col: OutletCol = None, id_col: IdCol = None,
           hidden: HiddenOption = False, fetch: FetchOption = True, workers: WorkersOpt = None,
           progress: ProgressOpt = None) -> None:
    """Only read and clean articles, storing them without coding events."""
    from eventwatch.engines.local import default_workers

    raise typer.Exit(process(paths, db, column_map(text_col, title_col, date_col, outlet_col, id_col),
                             extract=False, workers=workers or default_workers(), progress=progress,
                             include_hidden=hidden, fetch=fetch))


@app.command()
def articles(db: DbOption = DEFAULT_DB,
             limit: Annotated[int, typer.Option(help="how many to list (1-1000)")] = 50,
             offset: Annotated[int, typer.Option(min=0, max=10_000_000, help="skip this many first")] = 0) -> None:
    """List stored articles.

    Example: eventwatch articles --db eventwatch.db --limit 20
    """
    check_limit(limit)
    store = open_existing_db(db)
    table = Table(title=f"Articles ({store.count_articles()} stored)")
    wide = console.width >= 100
    for col in ("article_id", "published", "outlet", "lang", "events", "title"):
        if col == "lang" and not wide:
            continue
        table.add_column(col, overflow="ellipsis", no_wrap=col != "title")
    for a in store.list_articles(limit=limit, offset=offset):
        row = [plain(a.article_id), str(a.published or ""), plain(a.outlet or ""), plain(a.language or ""),
               str(a.n_events), plain((a.title or "")[:80])]
        table.add_row(*(row if wide else row[:3] + row[4:]))
    console.print(table)


FIELD_STYLES = {
    "event_date": "bold magenta", "event_type": "bold red", "sub_event_type": "bold red", "actor1": "bold cyan",
    "actor2": "bold blue", "fatalities": "bold yellow", "injuries": "yellow", "location": "bold green",
    "weapon": "red", "claimed_by": "cyan", "assoc_actor_1": "cyan", "assoc_actor_2": "blue",
    "published_inferred": "magenta",
}


def highlighted(article: Article, events: list[Event]) -> Text:
    text = Text(terminal_safe(article.text))  # same length: the evidence offsets still hold
    for event in events:
        for e in event.evidence:
            if e.article_id == article.article_id and 0 <= e.start < e.end <= len(article.text):
                text.stylize(f"{FIELD_STYLES.get(e.field, 'bold')} underline", e.start, e.end)
    return text


def event_table(events: list[Event], title: str, width: int | None = None) -> Table:
    """Events as a table that fits `width` columns (the terminal's): below 120 columns actor2 and the
    background flag go, below 100 the place is one column; words are cut with an ellipsis, never wrapped
    mid-word (ids never cut)."""
    width = width or console.width
    cols = ["event_id", "date", "type", "actor1", "actor2", "admin1", "location", "fatal.", "src", "bg"]
    if width < 120:
        cols = [c for c in cols if c not in ("actor2", "bg")]
    narrow = width < 100
    if narrow:  # one line per event: the id to `show`, the rest cut with an ellipsis
        cols = [c if c != "location" else "place" for c in cols if c not in ("admin1", "src")]
    table = Table(title=title, show_lines=width >= 120, box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
                  pad_edge=not narrow)
    widths = {"event_id": 16, "date": 10, "fatal.": 6, "src": 3}
    flex = [c for c in cols if c not in widths]
    share = max(6, (width - sum(widths.get(c, 0) for c in cols) - 2 * len(cols) - 1) // max(1, len(flex)))
    for col in cols:
        fixed = col in widths
        table.add_column(col, no_wrap=narrow or fixed, overflow="ellipsis", min_width=widths.get(col, 6),
                         max_width=share if narrow and not fixed else None)
    for e in events:
        killed = f"{e.fatalities}" + (f" [{e.fatalities_low}-{e.fatalities_high}]" if e.fatalities_high !=
                                      e.fatalities_low and e.fatalities_high is not None else "")
        values = {"event_id": e.event_id, "date": str(e.event_date or ""), "type": e.sub_event_type,
                  "actor1": e.actor1 or "", "actor2": e.actor2 or "", "admin1": e.admin1 or "",
                  "location": e.location or "", "place": ", ".join(dict.fromkeys(x for x in (e.location, e.admin1) if x)),
                  "fatal.": killed, "src": str(len(e.sources)), "bg": "yes" if e.background else ""}
        table.add_row(*(plain(values[c]) for c in cols))
    return table


@app.command()
def show(item_id: Annotated[str, typer.Argument(help="an article id or an event id")],
         db: DbOption = DEFAULT_DB) -> None:
    """Print an article (cleaned text with evidence highlighted, its events) or an event (sources, claims).

    Example: eventwatch show 003_86bd7c93810df1c3
    """
    store = open_existing_db(db)
    article = store.get_article(item_id)
    if article is not None:
        events = store.events_for_article(item_id)
        meta = Table(show_header=False, title=plain(article.title or article.article_id))
        for key in ("article_id", "outlet", "url", "published", "published_source", "language", "source_path"):
            meta.add_row(key, plain(getattr(article, key) or ""))
        console.print(meta)
        console.print(highlighted(article, events))
        legend = Text("evidence: ")
        for name, style in FIELD_STYLES.items():
            legend.append(name, style=style)
            legend.append(" ")
        console.print(legend)
        console.print(event_table(events, f"{len(events)} events coded from this article"))
        for e in events:
            console.print(Text.assemble((terminal_safe(e.event_id), "bold"), ": ", terminal_safe(e.notes)))
        return
    event = store.get_event(item_id)
    if event is None:
        err.print(plain(f"No article or event with id {item_id!r} in {db}."), style="red")
        raise typer.Exit(1)
    console.print_json(terminal_safe(event.model_dump_json(exclude={"evidence"})))
    reports = {r.sources[0].article_id: r for r in store.get_events(event.report_ids) if r.sources}
    sources = Table(title="Sources")
    for col in ("article_id", "outlet", "published", "date", "type", "location", "killed", "injured", "title"):
        sources.add_column(col, overflow="fold")
    for s in event.sources:
        r = reports.get(s.article_id)
        killed = "" if r is None or r.fatalities_low is None else str(r.fatalities) + (
            f" [{r.fatalities_low}-{r.fatalities_high}]" if r.fatalities_high != r.fatalities_low else "")
        sources.add_row(plain(s.article_id), plain(s.outlet or ""), str(s.published or ""),
                        str(r.event_date or "") if r else "", plain(r.sub_event_type if r else ""),
                        plain((r.location or r.admin1 or "") if r else ""), killed,
                        "" if r is None or r.injuries is None else str(r.injuries), plain(s.title or ""))
    console.print(sources)
    ledger = Table(title="Claims ledger")
    for col in ("field", "value", "claimed by", "outlet", "quote"):
        ledger.add_column(col, overflow="fold")
    for c in event.claims:
        ledger.add_row(plain(c.field), plain(c.value), plain(c.claimed_by or ""), plain(c.outlet or ""),
                       plain((c.quote or "")[:160]))
    console.print(ledger)


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc
    from eventwatch.bounds import date_problem

    if (problem := date_problem(day)) is not None:
        raise typer.BadParameter(problem)
    return day


ReportsOption = Annotated[bool, typer.Option("--reports", help="each article's own events, before fusion")]
FORMATS = ("table", "jsonl", "csv")


def all_pages(store, q) -> Iterable[Event]:
    """Every event a query matches, a page at a time (for --all)."""
    page = q.model_copy(update={"limit": 1000, "offset": 0})
    while True:
        found = store.query_events(page)
        yield from found
        if len(found) < page.limit:
            return
        page = page.model_copy(update={"offset": page.offset + page.limit})


@app.command()
def events(db: DbOption = DEFAULT_DB,
           since: Annotated[str | None, typer.Option(help="on or after this day, YYYY-MM-DD")] = None,
           until: Annotated[str | None, typer.Option(help="on or before this day, YYYY-MM-DD")] = None,
           country: Annotated[str | None, typer.Option(help="country name, alias or ISO code (\"Syria\", \"SYR\")")] = None,
           admin1: Annotated[str | None, typer.Option(help="governorate/province in any spelling (\"Idlib\", \"Daraa\")")] = None,
           event_type: Annotated[str | None, typer.Option("--type", "--event-type",
                                                          help="event type or sub-event type")] = None,
           actor: Annotated[str | None, typer.Option(help="canonical actor name or alias (\"Daesh\")")] = None,
           text: Annotated[str | None, typer.Option("--text", "-q", "--q",
                                                    help="words in the notes, places, actors or article text")] = None,
           fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv")] = "table",
           reports: ReportsOption = False,
           limit: Annotated[int, typer.Option(help="how many events (1-1000); --all for every one")] = 100,
           offset: Annotated[int, typer.Option(min=0, max=10_000_000, help="skip this many first")] = 0,
           every: Annotated[bool, typer.Option("--all", help="every matching event (pages through them)")] = False,
           ) -> None:
    """List events (fused across sources; --reports for each article's own reports), with filters.

    Places and actors are read as people type them: --admin1 Idlib finds Idleb, --actor Daesh finds
    Islamic State (Syria), --text Douma searches the notes, places and the articles' text.

    Example: eventwatch events --admin1 Daraa --since 2019-01-01 --format csv --all > daraa.csv
    """
    from pydantic import ValidationError

    from eventwatch.query import resolve_query, suggest_for_text

    if fmt not in FORMATS:
        err.print(f"[red]--format must be one of {', '.join(FORMATS)}[/] (got {fmt!r})")
        raise typer.Exit(2)
    check_limit(limit, every)
    store = open_existing_db(db)
    try:
        resolved = resolve_query(store.engine, since=parse_day(since), until=parse_day(until), country=country,
                                 admin1=admin1, event_type=event_type, actor=actor, text=text,
                                 kind="report" if reports else "fused", limit=min(limit, 1000), offset=offset)
    except ValidationError as exc:
        err.print(f"[red]{'; '.join(e['msg'] for e in exc.errors())}[/]")
        raise typer.Exit(2) from None
    q = resolved.query
    found = list(all_pages(store, q)) if every else store.query_events(q)
    for reading in resolved.readings:
        err.print(f"[dim]{reading}[/]")
    if not found:
        hint = resolved.hint()
        if hint is None and text:
            close = suggest_for_text(store.engine, text)
            hint = f"nothing mentions {text!r}" + (f"; did you mean {' or '.join(close)}?" if close else "")
        if hint:
            err.print(f"[yellow]{hint}[/]")
    if fmt == "table":
        total = len(found) if every else store.count_events(q)
        console.print(event_table(found, f"{len(found)} of {total} events"))
    elif fmt == "jsonl":
        from eventwatch.export import write_jsonl

        write_jsonl(found, sys.stdout)
    else:
        from eventwatch.export import write_acled_csv

        write_acled_csv(found, sys.stdout)


@app.command()
def export(fmt: Annotated[str, typer.Option("--format", help="acled-csv, jsonl, geojson, geojson-flat (no nested arrays, for GIS) or parquet")],
           output: Annotated[Path, typer.Option("-o", "--output", help="file to write")],
           db: DbOption = DEFAULT_DB, reports: ReportsOption = False) -> None:
    """Export every event (fused; --reports for per-article reports) in ACLED CSV, JSON Lines, GeoJSON or Parquet.

    Example: eventwatch export --format acled-csv -o events.csv
    """
    from eventwatch.export import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(EXPORT_FORMATS)}")
    store = open_existing_db(db)
    # A text stored once and seen again under other ids is exported under each of them.
    from eventwatch.export import with_alias_sources

    found = with_alias_sources(store.iter_events("report" if reports else "fused"), store.aliases())
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


@app.command()
def evaluate(predictions: Annotated[Path | None, typer.Argument(help="predicted events (JSON Lines)")] = None,
             gold: Annotated[list[Path] | None, typer.Option(
                 "--gold", help="gold file (JSON Lines); repeat it to see several side by side")] = None,
             fakes: Annotated[Path | None, typer.Option(help="FA-KES CSV: admin1 accuracy of main events")] = None,
             db: Annotated[str | None, typer.Option("--db", help="evaluate the events in this database")] = None,
             groups: Annotated[bool, typer.Option("--groups/--no-groups",
                                                  help="per-country and per-event-type rows")] = True,
             as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False) -> None:
    """Score predicted events against gold (shared/design/evaluation.md).

    Detection precision/recall/F1, per-field accuracy of matched events, row accuracy, and for the
    fused events B-cubed and pairwise precision/recall of the clusters (gold events sharing an event_key
    are one real event; with --db each report counts in the fused event that holds it): B-cubed averages,
    over every matched report, the share of its fused event that is in its gold event (precision) and of
    its gold event that its fused event holds (recall); "multi" counts gold events reported by several
    articles; "bad" counts fused events joining gold events of different dates, in other governorates
    or at places with no name in common. Several --gold files (a tuning and a held-out half) are shown
    side by side, each with its rows by country and by event type.

    Example: eventwatch evaluate --gold gold/world/tuning.jsonl --gold gold/world/heldout.jsonl --db eval.db
    """
    from eventwatch import evaluate as ev

    fused_of = None
    if predictions is not None:
        predicted = ev.load_predictions(predictions)
    else:
        store = open_db(db or DEFAULT_DB)
        from eventwatch.export import with_alias_sources

        predicted = with_alias_sources(store.all_reports(), store.aliases())
        fused_of = store.fused_by_report()
    stems = [p.stem for p in gold or []]
    reports = {(path.stem if stems.count(path.stem) == 1 else f"{path.parent.name}/{path.stem}"): ev.evaluate(
        ev.load_gold(path), predicted, fused_of=fused_of) for path in gold or []}
    fakes_report = ev.evaluate_fakes_admin1(predicted, fakes) if fakes is not None else None
    if not reports and fakes_report is None:
        raise typer.BadParameter("give --gold GOLD.jsonl and/or --fakes FA-KES.csv")
    if as_json:
        out = {("gold" if len(reports) == 1 else f"gold:{label}"): r.to_dict() for label, r in reports.items()}
        if fakes_report is not None:
            out["fakes_admin1"] = fakes_report.to_dict()
        print(json.dumps(out, indent=2, default=str))
        return
    if len(reports) > 1:
        ev.render_side_by_side(reports, console)
    for label, r in reports.items():
        if len(reports) == 1:
            r.render(console)
        if groups:
            ev.render_groups(r, console, title=f"{label}: " if len(reports) > 1 else "")
    if fakes_report is not None:
        fakes_report.render(console)


@app.command()
def serve(db: DbOption = DEFAULT_DB, host: str = "127.0.0.1", port: int = 8000,
          token: Annotated[str | None, typer.Option(envvar="EVENTWATCH_TOKEN",
                                                    help="API token that allows POST /api/articles")] = None,
          tiles: Annotated[str | None, typer.Option(help="a tile server URL template for the map")] = None,
          workers: Annotated[int, typer.Option(min=1, max=64, help="server processes (one per core)")] = 1,
          watch: Annotated[bool, typer.Option("--watch", help="also run the watcher (eventwatch watch) in this process")] = False) -> None:
    """Serve the REST API and the web map (read-only unless a token is given).

    Example: eventwatch serve --db fakes.db --port 8080   (then open http://127.0.0.1:8080/)
    """
    import errno
    import os
    import socket

    import uvicorn

    if token is not None and not token.strip():
        err.print("[red]The token is empty (an unset variable?): give a real --token / EVENTWATCH_TOKEN, "
                  "or none for a read-only server.[/]")
        raise typer.Exit(2)
    if watch and workers > 1:
        raise typer.BadParameter("--watch runs the watcher in the server's process: use it with --workers 1")
    if token is None and not watch:
        open_existing_db(db)  # a read-only server of a mistyped path would show an empty map
    fuse_left_over(open_db(db))  # create and migrate once, before any worker starts; fuse what a run left
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            err.print(f"[red]port {port} on {host} is in use[/] (another server?); try --port {port + 1}")
            raise typer.Exit(1) from None
    if watch:
        from eventwatch.cli_watch import start_background_watch

        start_background_watch(db)
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
from eventwatch.cli_watch import mount_watch  # noqa: E402 - the monitor's commands: sources, alerts, watch

mount_watch(app)


if __name__ == "__main__":  # pragma: no cover
    app()
