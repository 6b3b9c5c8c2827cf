"""`eventwatch gazetteer ...`: import GeoNames dumps, add your own places, look names up, rebuild the index."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from eventwatch.gazetteer import Gazetteer, eventwatch_home

gazetteer_app = typer.Typer(help="The offline gazetteer (GeoNames cities500 + your imports and places).",
                            no_args_is_help=True)
console = Console()

HomeOption = typer.Option(None, "--home", help="eventwatch home (default: $EVENTWATCH_HOME or ~/.eventwatch)")


def open_gazetteer(home: Path | None, *, rebuild: bool = False) -> Gazetteer:
    return Gazetteer(home=home, rebuild=rebuild, progress=lambda msg: console.print(f"[dim]{msg}[/dim]"))


@gazetteer_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="GeoNames dump: SY.txt, allCountries.txt"),
    country: list[str] = typer.Option(None, "--country", "-c", help="keep only these countries (repeatable)"),
    feature_class: list[str] = typer.Option(
        ["P", "A", "L", "S", "T", "H", "V"], "--feature-class", "-f",
        help="GeoNames feature classes to keep (repeatable; default: all but roads and undersea)"),
    home: Path | None = HomeOption,
) -> None:
    """Import a GeoNames dump (19 tab-separated columns) into the index; bad lines are reported and skipped."""
    gaz = open_gazetteer(home)
    with Progress(TextColumn("[bold]importing[/bold] {task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task(file.name, total=file.stat().st_size)
        report = gaz.import_geonames_dump(
            file, countries=country or None, feature_classes=feature_class or None,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    console.print(f"{report.summary()} in {report.seconds:.1f} s")
    if report.bad_lines:
        table = Table("line", "problem", "text", title=f"{report.bad_lines} bad lines (first examples)")
        for line_no, reason, text in report.bad_examples:
            table.add_row(str(line_no), reason, text.replace("\t", " | "))
        console.print(table)


@gazetteer_app.command("add")
def add_command(
    name: str = typer.Argument(..., help="the place's name"),
    latitude: float = typer.Argument(..., help="decimal degrees, north positive"),
    longitude: float = typer.Argument(..., help="decimal degrees, east positive"),
    admin1: str = typer.Option(..., "--admin1", help="governorate/province, e.g. \"Dar'a\""),
    country: str = typer.Option("SY", "--country", help="ISO 3166-1 alpha-2 code"),
    alternate: list[str] = typer.Option(None, "--alt", help="another spelling (repeatable)"),
    home: Path | None = HomeOption,
) -> None:
    """Add a place the gazetteer lacks (kept in overlay.tsv in the eventwatch home)."""
    gaz = open_gazetteer(home)
    try:
        place = gaz.add_place(name, latitude, longitude, admin1, country=country, alternate_names=alternate or ())
    except ValueError as err:
        console.print(f"[red]not added:[/red] {err}")
        raise typer.Exit(1) from err
    console.print(f"added {place.name} ({place.latitude:.5f}, {place.longitude:.5f}), "
                  f"{gaz.admin1_name(place.country, place.admin1_code)}, {place.country} "
                  f"-> {gaz.overlay_path()}")


@gazetteer_app.command("lookup")
def lookup_command(
    name: str = typer.Argument(..., help="a place name as a text writes it"),
    country: str = typer.Option(None, "--country", help="prefer this country (ISO2)"),
    limit: int = typer.Option(10, "--limit", "-n"),
    home: Path | None = HomeOption,
) -> None:
    """Print the gazetteer's candidates for a name, best name matches first."""
    gaz = open_gazetteer(home)
    candidates = gaz.lookup(name, country=country)
    if not candidates:
        console.print(f"no place called {name!r} (add one with `eventwatch gazetteer add`)")
        raise typer.Exit(1)
    ranked = sorted(candidates, key=lambda c: (-c.score, -c.place.population))[:limit]
    table = Table("name", "admin1", "admin2", "country", "lat", "lon", "population", "kind", "geonameid", "match")
    for c in ranked:
        p = c.place
        table.add_row(p.name, gaz.admin1_name(p.country, p.admin1_code) or "", gaz.admin2_name(p) or "", p.country,
                      f"{p.latitude:.4f}", f"{p.longitude:.4f}", str(p.population), f"{p.feature_class}.{p.feature_code}",
                      str(p.geonameid or ""), f"{c.how} {c.score:.0f}")
    console.print(table)


@gazetteer_app.command("build")
def build_command(home: Path | None = HomeOption) -> None:
    """Rebuild the index from the shipped sources (imported dumps and your places are kept)."""
    gaz = open_gazetteer(home, rebuild=True)
    count = gaz.db.execute("SELECT count(*) FROM place").fetchone()[0]
    console.print(f"{count} places in {gaz.path} (home {eventwatch_home(home)})")
