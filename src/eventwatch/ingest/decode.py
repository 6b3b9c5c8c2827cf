"""Bytes to text: the one place that decides whether a file is readable at all."""

from __future__ import annotations

from charset_normalizer import from_bytes


class UnreadableInput(Exception):
    """A file or row we skip, with a reason a user can act on."""


# One article larger than this is almost certainly not an article (a dump, a log, a binary).
MAX_ARTICLE_BYTES = 5_000_000


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first KiB mean it is not text."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and control / len(head) > 0.05


def decode_bytes(data: bytes, *, max_bytes: int | None = MAX_ARTICLE_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), else the encoding charset-normalizer finds, else refuse."""
    if not data.strip():
        raise UnreadableInput("empty file")
    if max_bytes is not None and len(data) > max_bytes:
        raise UnreadableInput(
            f"too large for one article ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)"
        )
    if looks_binary(data):
        raise UnreadableInput("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableInput("undecodable bytes: no text encoding fits")
    return str(best)


# Fewer words than this is a fragment (a menu, a broken page), not an article.
MIN_ARTICLE_WORDS = 8


def require_article_text(text: str) -> str:
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        raise UnreadableInput(f"no article text (only {words} words)")
    return text
