"""RSS and Atom feeds: one article per entry (feedparser)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import feedparser
import trafilatura

from eventwatch.bounds import date_problem
from eventwatch.ingest.decode import UnreadableInput, decode_bytes
from eventwatch.records import Article, Problem, stable_id


def entry_text(entry) -> str:
    """The fullest body the entry carries, as plain text."""
    bodies = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    body = max(bodies, key=len) if bodies else ""
    if "<" in body:
        body = trafilatura.extract(f"<html><body><article>{body}</article></body></html>") or ""
    return body.strip()


def read_feed_file(path: Path) -> Iterator[Article | Problem]:
    try:
        data = decode_bytes(path.read_bytes(), max_bytes=200_000_000)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"not a readable feed ({feed.bozo_exception})" if feed.bozo else "feed has no entries"
        yield Problem(path=str(path), reason=reason)
        return
    outlet = feed.feed.get("title") or None
    for i, entry in enumerate(feed.entries, start=1):
        text = entry_text(entry)
        if not text:
            yield Problem(path=str(path), row=i, reason="entry has no text")
            continue
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            published = dt.date(*parsed[:3]) if parsed else None
        except (ValueError, TypeError):
            published = None
        if (bad_date := date_problem(published, "publication date")) is not None:
            yield Problem(path=str(path), row=i, reason=bad_date)
            continue
        link = entry.get("link")
        yield Article(
            article_id=stable_id(entry.get("id") or link or text[:200]),
            raw_text=text,
            title=entry.get("title") or None,
            outlet=outlet,
            url=link,
            published=published,
            published_source="metadata" if published else None,
            source_path=f"{path}#{i}",
            source_format="feed",
        )
