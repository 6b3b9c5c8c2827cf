"""The stages composed for one article: clean -> extract -> resolve. Pure: no I/O here.

The CLI (and the Ray job) read with ingest, call `code_article` on each article and write with store.
"""

from __future__ import annotations

from eventwatch.clean import clean_article
from eventwatch.extract.events import extract_events
from eventwatch.records import Article, Event
from eventwatch.resolve.events import resolve_events


def code_article(article: Article) -> tuple[Article, list[Event]]:
    """Clean a raw article and code the events it reports (none for text that is not English)."""
    cleaned = clean_article(article) if not article.text else article
    if not cleaned.text.strip():
        return cleaned, []
    if cleaned.language not in (None, "en"):
        return cleaned, []  # stored and marked by language; the extractors read English only
    return cleaned, resolve_events(cleaned, extract_events(cleaned))
