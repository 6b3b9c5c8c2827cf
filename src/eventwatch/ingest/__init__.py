"""The ingest stage: files, folders, URLs -> raw Articles (and Problems for what cannot be read)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from eventwatch.ingest.decode import UnreadableInput, decode_bytes, looks_binary
from eventwatch.ingest.feed import read_feed_file
from eventwatch.ingest.html import read_html_file
from eventwatch.ingest.table import ColumnMap, read_csv_file, read_jsonl_file
from eventwatch.ingest.text import read_text_file
from eventwatch.records import Article, Problem

__all__ = ["ColumnMap", "read_sources", "list_files", "UnreadableInput", "decode_bytes"]

MAX_PAGE_BYTES = 20_000_000
TEXT_SUFFIXES = {".txt", ".text", ""}
# Files that sit next to corpora but are not articles: reported as skipped, not read as news.
NOT_ARTICLE_SUFFIXES = {".md", ".rst", ".py", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".log", ".sh"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".csv", ".tsv"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}


def list_files(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    """Files named, and files under folders named (recursively, sorted, hidden ones skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield Problem(path=str(path), reason="no such file or folder")


def sniff_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TABLE_SUFFIXES:
        return "csv"
    if suffix in JSON_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in NOT_ARTICLE_SUFFIXES:
        return "skip"
    with path.open("rb") as fh:
        head = fh.read(2048)
    if looks_binary(head):
        return "binary"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if lowered.startswith(b"<?xml") and (b"<rss" in lowered or b"<feed" in lowered):
        return "feed"
    return "text"


def read_file(path: Path, columns: ColumnMap | None = None) -> Iterator[Article | Problem]:
    kind = sniff_kind(path)
    try:
        if kind == "skip":
            yield Problem(path=str(path), reason=f"not an article format ({path.suffix}): skipped")
        elif kind == "binary":
            yield Problem(path=str(path), reason="binary content, not text")
        elif kind == "csv":
            yield from read_csv_file(path, columns)
        elif kind == "jsonl":
            yield from read_jsonl_file(path, columns)
        elif kind == "feed":
            yield from read_feed_file(path)
        elif kind == "html":
            yield read_html_file(path)
        else:
            yield read_text_file(path)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
    except OSError as exc:
        yield Problem(path=str(path), reason=f"cannot read: {exc.strerror or exc}")


def read_sources(paths: Iterable[str | Path], columns: ColumnMap | None = None) -> Iterator[Article | Problem]:
    """Everything the user named, as Articles, with a Problem for each thing skipped."""
    for p in paths:
        if isinstance(p, str) and p.startswith(("http://", "https://")):
            from eventwatch.ingest.url import read_url_items  # a page, or a feed/sitemap read as its articles

            yield from read_url_items(p)
            continue
        for item in list_files([p]):
            if isinstance(item, Problem):
                yield item
            else:
                yield from read_file(item, columns)
