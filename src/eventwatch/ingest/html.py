"""HTML pages: main text and metadata with trafilatura."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import trafilatura

from eventwatch.bounds import date_problem
from eventwatch.ingest.decode import UnreadableInput, decode_bytes, require_article_text
from eventwatch.records import Article


def parse_iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_from_html(html: str, *, article_id: str, source_path: str | None = None,
                      url: str | None = None) -> Article:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        raise UnreadableInput("no article text found in the HTML")
    require_article_text(doc.text)
    # A title repeated as the first paragraph is kept once, by the clean stage.
    published = parse_iso_date(doc.date)
    if (bad_date := date_problem(published, "publication date")) is not None:
        raise UnreadableInput(bad_date)
    return Article(
        article_id=article_id,
        raw_text=doc.text,
        title=doc.title or None,
        outlet=doc.sitename or None,
        url=doc.url or url,
        published=published,
        published_source="metadata" if published else None,
        source_path=source_path,
        source_format="html",
    )


def read_html_file(path: Path) -> Article:
    html = decode_bytes(path.read_bytes())
    return article_from_html(html, article_id=path.stem, source_path=str(path))
