"""The ingest stage: files, folders, URLs -> raw Articles (and Problems for what cannot be read)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from eventwatch.ingest.decode import UnreadableInput, decode_bytes, looks_binary
from eventwatch.ingest.table import ColumnMap, read_csv_file, read_jsonl_file
from eventwatch.ingest.text import read_text_file
from eventwatch.records import Article, Problem

if TYPE_CHECKING:  # the feed and HTML readers (feedparser, trafilatura: 0.4 s of imports) load on first use
    from eventwatch.ingest.feed import PageReader

__all__ = ["ColumnMap", "read_sources", "list_files", "UnreadableInput", "decode_bytes"]

MAX_PAGE_BYTES = 20_000_000
TEXT_SUFFIXES = {".txt", ".text", ""}
# Files that sit next to corpora but are not articles: reported as skipped, not read as news.
NOT_ARTICLE_SUFFIXES = {".md", ".rst", ".py", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".log", ".sh"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".csv", ".tsv"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}


def special_kind(mode: int) -> str | None:
    """What a path is when it is neither a regular file nor a folder (never opened: a FIFO blocks)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return None


def walk_folder(folder: Path, *, include_hidden: bool, seen: set[tuple[int, int]]) -> Iterator[Path | Problem]:
    """Regular files under `folder`, sorted, depth first; a Problem for every entry skipped.

    Symlinks are followed, but a folder is read once (by device and inode), so a symlink loop is
    reported, not followed forever; unreadable folders, FIFOs, sockets and devices are reported.
    Order is that of sorting the paths (a folder's entries by name, a subfolder's files where it sorts).
    Iterative (an explicit stack): a deep tree cannot exhaust the recursion limit.
    """
    stack: list[Iterator[os.DirEntry]] = []

    def open_folder(current: Path) -> Problem | None:
        try:
            with os.scandir(current) as it:
                stack.append(iter(sorted(it, key=lambda e: e.name)))
        except OSError as exc:
            return Problem(path=str(current), reason=f"cannot read folder: {exc.strerror or exc}")
        return None

    if (problem := open_folder(folder)) is not None:
        yield problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        if entry.name.startswith(".") and not include_hidden:
            what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            yield Problem(path=str(path), reason=f"hidden {what}: skipped (--hidden reads hidden entries)")
            continue
        try:
            info = path.stat()  # follows symlinks
        except OSError as exc:
            if entry.is_symlink():
                reason = ("symlink loop" if exc.errno == errno.ELOOP
                          else f"broken symlink ({exc.strerror or exc})")
            else:
                reason = f"cannot read: {exc.strerror or exc}"
            yield Problem(path=str(path), reason=reason)
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:
                yield Problem(path=str(path), reason="symlink loop (or a second path to a folder already read): skipped")
                continue
            seen.add(key)
            if (problem := open_folder(path)) is not None:
                yield problem
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield Problem(path=str(path), reason=f"not a regular file: {special_kind(info.st_mode)}")


def list_files(paths: Iterable[str | Path], *, include_hidden: bool = False) -> Iterator[Path | Problem]:
    """Files named, and files under folders named (recursively, sorted); a Problem for each entry
    skipped (missing, unreadable, a loop, a FIFO/socket/device, hidden unless `include_hidden`)."""
    for p in paths:
        path = Path(p)
        try:
            info = path.stat()
        except OSError as exc:
            if path.is_symlink():
                reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
            elif exc.errno == errno.ENOENT:
                reason = "no such file or folder"
            else:
                reason = f"cannot read: {exc.strerror or exc}"
            yield Problem(path=str(path), reason=reason)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from walk_folder(path, include_hidden=include_hidden, seen={(info.st_dev, info.st_ino)})
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield Problem(path=str(path), reason=f"not a regular file: {special_kind(info.st_mode)}")


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


def read_file(path: Path, columns: ColumnMap | None = None,
              fetch_page: PageReader | None = None) -> Iterator[Article | Problem]:
    """The articles of one file, and a Problem for each row (or the whole file) that cannot be read.
    With `fetch_page` (eventwatch.ingest.url.page_reader), a feed file is read as the article pages its
    entries link to, each entry's summary the fallback; without it, from the summaries (no network).

    Never raises: whatever goes wrong in a reader ends this file with a Problem, not the run.
    """
    try:
        kind = sniff_kind(path)
        if kind == "skip":
            yield Problem(path=str(path), reason=f"not an article format ({path.suffix}): skipped")
        elif kind == "binary":
            yield Problem(path=str(path), reason="binary content, not text")
        elif kind == "csv":
            yield from read_csv_file(path, columns)
        elif kind == "jsonl":
            yield from read_jsonl_file(path, columns)
        elif kind == "feed":
            from eventwatch.ingest.feed import read_feed_file

            yield from read_feed_file(path, fetch_page)
        elif kind == "html":
            from eventwatch.ingest.html import read_html_file

            yield read_html_file(path)
        else:
            yield read_text_file(path)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
    except OSError as exc:
        yield Problem(path=str(path), reason=f"cannot read: {exc.strerror or exc}")
    except RecursionError:
        yield Problem(path=str(path), reason="nested too deeply to read")
    except Exception as exc:  # a reader's bug on one file must not end the run: report it against the file
        yield Problem(path=str(path), reason=f"could not be read ({type(exc).__name__}: {exc})")


def read_sources(paths: Iterable[str | Path], columns: ColumnMap | None = None, *,
                 include_hidden: bool = False, fetch: bool = False) -> Iterator[Article | Problem]:
    """Everything the user named, as Articles, with a Problem for each thing skipped. With `fetch`, a
    feed file is read as the article pages it links to (fetched politely, one client for the whole run),
    as a feed URL is; without it, from its entries' summaries, and only URLs named touch the network."""
    made: list = []  # the Fetcher and its page reader, made for the first page a feed file links to
    fetch_page = None

    def lazy_fetch_page(*args, **kwargs):
        # an HTTP client costs a tenth of a second to make (TLS context): only a feed file's links need one
        if not made:
            from eventwatch.ingest.url import Fetcher, HostLimiter, page_reader

            fetcher = Fetcher(rate=HostLimiter(0.5))  # as for a feed URL (read_url_items)
            made.extend([fetcher, page_reader(fetcher)])
        return made[1](*args, **kwargs)

    try:
        for p in paths:
            if isinstance(p, str) and p.startswith(("http://", "https://")):
                # a page, or a feed/sitemap read as its articles
                from eventwatch.ingest.url import read_url_items

                yield from read_url_items(p)
                continue
            for item in list_files([p], include_hidden=include_hidden):
                if isinstance(item, Problem):
                    yield item
                    continue
                if fetch and fetch_page is None:
                    fetch_page = lazy_fetch_page
                yield from read_file(item, columns, fetch_page)
    finally:
        if made:
            made[0].close()
