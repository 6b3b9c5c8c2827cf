"""CSV and JSON Lines corpora: one article per row, with a column map.

The defaults read FA-KES (unit_id, article_title, article_content, source, date) without options,
and fall back to the usual names (id, title, text, outlet, published, url).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from eventwatch.bounds import date_problem
from eventwatch.ingest.decode import UnreadableInput, decode_bytes
from eventwatch.records import Article, Problem, content_hash

MAX_TABLE_BYTES = 2_000_000_000
MAX_CELL_CHARS = 1_000_000
BROKEN_ROW = "\0broken"  # key of a row the csv module could not parse (no header can hold a NUL)


class ColumnMap(BaseModel):
    """Which column holds what; None means: try the usual names."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    id: str | None = None
    url: str | None = None


USUAL_NAMES = {
    "text": ["article_content", "text", "content", "body", "article", "story"],
    "title": ["article_title", "title", "headline"],
    "date": ["date", "published", "publication_date", "pub_date", "datetime"],
    "outlet": ["source", "outlet", "site", "sitename", "publisher"],
    "id": ["unit_id", "article_id", "id", "uid", "guid"],
    "url": ["url", "link", "source_url"],
}


def pick_column(header: list[str], wanted: str | None, role: str) -> str | None:
    if wanted:
        return wanted if wanted in header else None
    lowered = {h.lower().strip(): h for h in header}
    for name in USUAL_NAMES[role]:
        if name in lowered:
            return lowered[name]
    return None


def parse_column_date(value: str | None) -> dt.date | None:
    """Dates as corpora write them: ISO, M/D/YYYY (FA-KES), D Month YYYY..."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    for fmt in ("%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    import dateparser  # slow to import: only for odd formats

    try:
        parsed = dateparser.parse(value[:100], settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "MDY"})
    except (ValueError, OverflowError, TypeError, RecursionError):  # dateparser raises on some odd strings
        return None
    return parsed.date() if parsed else None


def rows_to_articles(rows: Iterator[tuple[int, dict]], header: list[str], path: Path,
                     columns: ColumnMap) -> Iterator[Article | Problem]:
    text_col = pick_column(header, columns.text, "text")
    if text_col is None:
        wanted = columns.text or " / ".join(USUAL_NAMES["text"])
        yield Problem(path=str(path), reason=f"no text column (looked for {wanted}; columns: {header})")
        return
    cols = {role: pick_column(header, getattr(columns, role), role)
            for role in ("title", "date", "outlet", "id", "url")}
    known = {text_col, *[c for c in cols.values() if c]}
    seen_rows = 0
    for rownum, row in rows:
        seen_rows += 1
        if BROKEN_ROW in row:
            yield Problem(path=str(path), row=rownum, reason=f"unreadable row ({row[BROKEN_ROW]})")
            continue
        if None in row:
            yield Problem(path=str(path), row=rownum, reason="more fields than the header has columns")
            continue
        text = (row.get(text_col) or "").strip()
        if not text:
            yield Problem(path=str(path), row=rownum, reason=f"empty or missing '{text_col}'")
            continue
        if len(text) > MAX_CELL_CHARS:
            yield Problem(path=str(path), row=rownum, reason=f"text longer than {MAX_CELL_CHARS} characters")
            continue
        raw_id = (row.get(cols["id"]) or "").strip() if cols["id"] else ""
        date_value = row.get(cols["date"]) if cols["date"] else None
        published = parse_column_date(date_value)
        if (bad_date := date_problem(published, f"date '{cols['date']}'")) is not None:
            yield Problem(path=str(path), row=rownum, reason=bad_date)
            continue
        extra = {k: str(v) for k, v in row.items() if k not in known and v not in (None, "")}
        yield Article(
            article_id=raw_id or f"{path.stem}-{content_hash(text)[:12]}",
            raw_text=text,
            title=(row.get(cols["title"]) or "").strip() or None if cols["title"] else None,
            outlet=(row.get(cols["outlet"]) or "").strip() or None if cols["outlet"] else None,
            url=(row.get(cols["url"]) or "").strip() or None if cols["url"] else None,
            published=published,
            published_source="column" if published else None,
            source_path=f"{path}#{rownum}",
            source_format="csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl",
            extra=extra,
        )
    if seen_rows == 0:
        yield Problem(path=str(path), reason="no rows: the file has only a header")


def read_csv_file(path: Path, columns: ColumnMap | None = None) -> Iterator[Article | Problem]:
    columns = columns or ColumnMap()
    try:
        text = decode_bytes(path.read_bytes(), max_bytes=MAX_TABLE_BYTES)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
        return
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = reader.fieldnames or []
    if not header:
        yield Problem(path=str(path), reason="no header row")
        return

    def rows() -> Iterator[tuple[int, dict]]:
        n = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                n += 1
                yield n, {BROKEN_ROW: str(exc)}
                continue
            n += 1
            yield n, row

    yield from rows_to_articles(rows(), list(header), path, columns)


def dump_value(value) -> str:
    """A non-string JSON value as text (a deeply nested one as a marker: json.dumps would recurse)."""
    try:
        return json.dumps(value)
    except RecursionError:
        return "<nested too deeply>"


def read_jsonl_file(path: Path, columns: ColumnMap | None = None) -> Iterator[Article | Problem]:
    columns = columns or ColumnMap()
    try:
        text = decode_bytes(path.read_bytes(), max_bytes=MAX_TABLE_BYTES)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
        return
    stripped = text.lstrip()
    objects: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    whole = None
    if stripped.startswith(("[", "{")):  # a JSON array of objects (or one object) is read the same way
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped.startswith("["):
                yield Problem(path=str(path), reason=f"invalid JSON: {exc}")
                return
        except RecursionError:
            if stripped.startswith("["):
                yield Problem(path=str(path), reason="invalid JSON: nested too deeply")
                return
    if isinstance(whole, list):
        objects = [(i + 1, o) for i, o in enumerate(whole)]
    elif isinstance(whole, dict):
        objects = [(1, whole)]
    else:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                objects.append((i, json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(Problem(path=str(path), row=i, reason=f"invalid JSON: {exc.msg}"))
            except RecursionError:
                problems.append(Problem(path=str(path), row=i, reason="invalid JSON: nested too deeply"))
    yield from problems
    good = [(i, o) for i, o in objects if isinstance(o, dict)]
    for i, o in objects:
        if not isinstance(o, dict):
            yield Problem(path=str(path), row=i, reason="not a JSON object")
    if not good:
        if not objects and not problems:
            yield Problem(path=str(path), reason="no JSON objects in the file")
        return  # every line is reported already: no second reason for the same lines
    header = sorted({k for _, o in good for k in o})
    rows = ((i, {k: (v if isinstance(v, str) or v is None else dump_value(v)) for k, v in o.items()})
            for i, o in good)
    yield from rows_to_articles(rows, header, path, columns)
