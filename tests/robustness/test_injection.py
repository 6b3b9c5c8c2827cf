"""Output that other tools interpret: CSV cells a spreadsheet would run as formulas are neutralised
(OWASP: a leading single quote), numbers stay numbers; article text printed on a terminal carries no
control characters or escape sequences, and is never read as markup."""

from __future__ import annotations

import csv
import datetime as dt
import io

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwatch.api import create_app
from eventwatch.cli import app
from eventwatch.export import write_acled_csv
from eventwatch.pipeline import code_article
from eventwatch.records import Article

TEXT = ("Three people were killed and five wounded on Tuesday when a car bomb exploded near the market in the "
        "town of Azaz, north of Aleppo, the Syrian Observatory for Human Rights said.")
FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\tcmd", "\rcmd"]


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    _, events = code_article(Article(article_id="f", raw_text=TEXT, published=dt.date(2019, 6, 5)))
    base = events[0]
    rows = [base.model_copy(update={"notes": f, "actor1": f, "location": f, "latitude": -3.5, "longitude": -0.25,
                                    "fatalities": 3}) for f in FORMULAS]
    out = io.StringIO()
    write_acled_csv(rows, out)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    for formula, row in zip(FORMULAS, read, strict=True):
        for col in ("notes", "actor1", "location"):
            assert row[col] == "'" + formula
        assert row["latitude"] == "-3.5" and row["longitude"] == "-0.25" and row["fatalities"] == "3"
    for row in read:
        assert not any(str(v).startswith(("=", "+", "@", "\t", "\r")) for v in row.values())


def test_the_api_csv_is_neutralised_too(tmp_path):
    client = TestClient(create_app(db=str(tmp_path / "api.db"), token="t0ken"))
    posted = client.post("/api/articles", headers={"Authorization": "Bearer t0ken"},
                         json={"text": TEXT, "published": "2019-06-05", "outlet": "=HYPERLINK(\"http://evil\")"})
    assert posted.status_code == 201, posted.text
    body = client.get("/api/events", params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and rows[0]["source"] == "'=HYPERLINK(\"http://evil\")"


def test_show_strips_escape_sequences_and_never_reads_markup(tmp_path):
    text = ("\x1b[2J\x1b]0;pwned\x07" + TEXT + "\nSecond line\twith a tab \x9b31m and [bold red]markup[/].\n")
    path = tmp_path / "esc-article.txt"
    path.write_text(text, encoding="utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(path), "--db", db]).exit_code == 0
    shown = runner.invoke(app, ["show", "esc-article", "--db", db])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "[bold red]markup[/]" in out  # printed as written, not as a style
    assert "Three people were killed" in out and "\n" in out
    listed = runner.invoke(app, ["articles", "--db", db])
    assert "\x1b" not in listed.output and listed.exit_code == 0
