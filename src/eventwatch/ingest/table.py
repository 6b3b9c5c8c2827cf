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
from eventwatch.ingest.decode import UnreadableInput, bom_encoding, decode_bytes, looks_binary, wide_encoding
from eventwatch.records import Article, Problem, content_hash

MAX_TABLE_BYTES = 2_000_000_000  # a table read whole (up to STREAM_BYTES) is refused beyond this
STREAM_BYTES = 64_000_000  # larger tables are read as a stream: memory follows a row, not the file
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


def open_stream(path: Path) -> tuple[io.TextIOBase | None, str]:
    """A large table file as text, read as it is consumed: (stream, "") or (None, the reason it cannot be
    read). The encoding comes from the first 64 KiB (a byte-order mark, UTF-16/32 without one, else UTF-8,
    with undecodable bytes replaced: a legacy encoding cannot be guessed without the whole file)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if not head.strip():
        return None, "empty file"
    if looks_binary(head):
        return None, "binary content, not text"
    marked = bom_encoding(head)
    codec, skip = marked if marked else (wide_encoding(head) or "utf-8", 0)
    fh = path.open("rb")
    fh.seek(skip)
    return io.TextIOWrapper(fh, encoding=codec, errors="replace", newline=""), ""


def streamed(path: Path, stream_bytes: int) -> bool:
    try:
        return path.stat().st_size > stream_bytes
    except OSError:
        return False


def read_csv_file(path: Path, columns: ColumnMap | None = None, *,
                  stream_bytes: int = STREAM_BYTES) -> Iterator[Article | Problem]:
    """The rows of a CSV (TSV) file as Articles, with a Problem for each row that is not one. A file larger
    than `stream_bytes` is read as a stream (open_stream): a 10 GB table never sits in memory."""
    columns = columns or ColumnMap()
    if streamed(path, stream_bytes):
        stream, reason = open_stream(path)
        if stream is None:
            yield Problem(path=str(path), reason=reason)
            return
        with stream:
            # NUL bytes are damage, as decode_bytes treats them, and no header or cell can hold one
            yield from csv_articles((line.replace("\0", "") for line in stream), path, columns)
        return
    try:
        text = decode_bytes(path.read_bytes(), max_bytes=MAX_TABLE_BYTES)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
        return
    yield from csv_articles(io.StringIO(text, newline=""), path, columns)


def csv_articles(lines, path: Path, columns: ColumnMap) -> Iterator[Article | Problem]:
    """The Articles (and Problems) of a CSV's lines, read one row at a time."""
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    reader = csv.DictReader(lines, dialect=dialect)
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


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    stream, _ = open_stream(path)
    if stream is None:
        return
    with stream:
        for i, line in enumerate(stream, start=1):
            if line.strip():
                yield i, line.replace("\0", "")


def stream_jsonl(path: Path, columns: ColumnMap) -> Iterator[Article | Problem]:
    """read_jsonl_file for a large file, in the same order: the lines that are not JSON, then those that are
    not objects, then the Articles; the columns are every object's keys (a first pass that keeps only them)."""
    keys: set[str] = set()
    not_objects: list[int] = []
    objects = bad = 0
    for i, line in jsonl_lines(path):
        try:
            o = json.loads(line)
        except json.JSONDecodeError as exc:
            bad += 1
            yield Problem(path=str(path), row=i, reason=f"invalid JSON: {exc.msg}")
            continue
        except RecursionError:
            bad += 1
            yield Problem(path=str(path), row=i, reason="invalid JSON: nested too deeply")
            continue
        if isinstance(o, dict):
            keys.update(o)
            objects += 1
        else:
            not_objects.append(i)
    for i in not_objects:
        yield Problem(path=str(path), row=i, reason="not a JSON object")
    if not objects:
        if not not_objects and not bad:
            yield Problem(path=str(path), reason="no JSON objects in the file")
        return

    def rows() -> Iterator[tuple[int, dict]]:
        for i, line in jsonl_lines(path):
            try:
                o = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue  # reported above
            if isinstance(o, dict):
                yield i, {k: (v if isinstance(v, str) or v is None else dump_value(v)) for k, v in o.items()}

    yield from rows_to_articles(rows(), sorted(keys), path, columns)


def dump_value(value) -> str:
    """A non-string JSON value as text (a deeply nested one as a marker: json.dumps would recurse)."""
    try:
        return json.dumps(value)
    except RecursionError:
        return "<nested too deeply>"


def read_jsonl_file(path: Path, columns: ColumnMap | None = None, *,
                    stream_bytes: int = STREAM_BYTES) -> Iterator[Article | Problem]:
    """The objects of a JSON Lines file (or a JSON array, or one object) as Articles, with a Problem for each
    line that is not one. A JSON Lines file larger than `stream_bytes` is read twice as a stream (once for
    its columns, once for its rows): memory follows a line, not the file."""
    columns = columns or ColumnMap()
    if streamed(path, stream_bytes):
        stream, reason = open_stream(path)
        if stream is None:
            yield Problem(path=str(path), reason=reason)
            return
        with stream:
            first = ""
            for line in stream:
                if line.strip():
                    first = line.lstrip()
                    break
        if not first.startswith("["):  # a JSON array is one value: read whole, below
            yield from stream_jsonl(path, columns)
            return
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
