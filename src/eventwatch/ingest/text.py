"""Plain text files: one article per file, as scraped (menus and comments included)."""

from __future__ import annotations

from pathlib import Path

from eventwatch.ingest.decode import decode_bytes, require_article_text
from eventwatch.records import Article


def read_text_file(path: Path, *, article_id: str | None = None) -> Article:
    text = require_article_text(decode_bytes(path.read_bytes()))
    return Article(
        article_id=article_id or path.stem,
        raw_text=text,
        source_path=str(path),
        source_format="text",
    )
