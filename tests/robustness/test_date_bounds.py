"""Dates at the edges of what `datetime.date` holds cannot poison the database: readers, the CLI and the
API reject dates outside the plausible range with a reason, and fusion's arithmetic cannot overflow."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from eventwatch.bounds import date_problem, shift_days
from eventwatch.cli import app
from eventwatch.fuse import date_range, fuse_cluster, fuse_reports
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.records import Article, Problem

TEXT = ("Three people were killed and five wounded on Tuesday when a car bomb exploded near the market in the "
        "town of Azaz, north of Aleppo, the Syrian Observatory for Human Rights said.")


def report_on(day: dt.date, article_id: str, precision: int = 1):
    article = Article(article_id=article_id, raw_text=TEXT, published=dt.date(2019, 6, 5))
    _, events = code_article(article)
    return events[0].model_copy(update={"event_date": day, "time_precision": precision, "date_end": None})


@pytest.mark.parametrize("day", [dt.date.max, dt.date.min, dt.date(9999, 12, 1)])
def test_fusion_arithmetic_cannot_overflow_at_the_ends_of_the_calendar(day):
    for precision in (1, 2, 3):
        start, end = date_range(report_on(day, "a", precision))
        assert start <= end
    clusters = fuse_reports([report_on(day, "a", 3), report_on(day, "b", 1)])
    assert [fuse_cluster(c) for c in clusters]


def test_shift_days_saturates_instead_of_raising():
    assert shift_days(dt.date.max, 5) == dt.date.max
    assert shift_days(dt.date.min, -5) == dt.date.min
    assert shift_days(dt.date(2019, 1, 1), -1) == dt.date(2018, 12, 31)


def test_an_out_of_range_stored_publication_date_is_no_base_for_relative_dates():
    # an article stored before dates were checked: coding it must not raise
    for day in (dt.date.max, dt.date.min):
        _, events = code_article(Article(article_id="old", raw_text=TEXT, published=day))
        assert all(e.event_date is None or dt.date(1900, 1, 1) <= e.event_date for e in events)


def test_a_csv_row_dated_9999_is_reported_and_the_others_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'id,text,date\nok,"{TEXT}",2019-06-05\nfar,"{TEXT.replace("Three", "Four")}",9999-12-31\n',
                    encoding="utf-8")
    items = list(read_sources([path]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["ok"]
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1 and problems[0].row == 2 and "9999-12-31 is outside" in problems[0].reason


def test_dateline_dates_outside_the_range_are_not_publication_dates():
    from eventwatch.clean import clean_article

    cleaned = clean_article(Article(article_id="d", raw_text="Published 31 December 9999\n\n" + TEXT))
    assert cleaned.published is None


@pytest.mark.parametrize("args", [["--since", "0001-01-01"], ["--until", "9999-12-31"], ["--limit", "5000"],
                                  ["--offset", str(2**63)]])
def test_cli_query_parameters_out_of_range_are_a_clear_error(tmp_path, args):
    from eventwatch.store import open_store

    open_store(str(tmp_path / "x.db"))  # an existing database: the parameter, not the path, is refused
    result = CliRunner().invoke(app, ["events", "--db", str(tmp_path / "x.db"), *args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_date_problem_names_the_field_and_the_range():
    assert date_problem(dt.date(2019, 1, 1)) is None and date_problem(None) is None
    assert date_problem(dt.date(9999, 12, 31), "published") == "published 9999-12-31 is outside 1900-01-01..2100-12-31"
