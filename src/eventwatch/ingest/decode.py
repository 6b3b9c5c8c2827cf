"""Bytes to text: the one place that decides whether a file is readable at all.

Order of decisions (each documented where it is made):
1. a byte-order mark: UTF-32 or UTF-16 (LE/BE) or UTF-8;
2. no mark, but the NUL bytes fall where UTF-32/UTF-16 puts them: that encoding (checked by decoding);
3. a few stray NUL bytes in otherwise textual data are removed (a NUL near the top of a CSV must not
   lose the whole table), many of them (or many control bytes) mean binary;
4. UTF-8;
5. valid UTF-8 lines mixed with lines in a legacy encoding: each line decoded on its own;
6. a legacy 8-bit encoding: Western European text (isolated accented letters among ASCII) is cp1252
   (Latin-1's superset), everything else charset-normalizer's best guess (Arabic cp1256, Cyrillic ...);
7. nothing fits: UnreadableInput, with the reason.
"""

from __future__ import annotations

import codecs
import re


class UnreadableInput(Exception):
    """A file or row we skip, with a reason a user can act on."""


# One article larger than this is almost certainly not an article (a dump, a log, a binary).
MAX_ARTICLE_BYTES = 5_000_000

BOMS = [  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# A few NUL bytes in this much data are damage, not an encoding or a binary format.
STRAY_NUL_SHARE = 0.001
CONTROL_SHARE = 0.05
# Valid multi-byte UTF-8 sequences: their presence next to invalid bytes means a file mixes encodings.
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
WESTERN_NEIGHBOURS = 0.35  # share of non-ASCII letters next to another non-ASCII letter, at most


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when `data` starts with a byte-order mark."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def wide_encoding(data: bytes) -> str | None:
    """UTF-32/UTF-16 without a mark, from where the NUL bytes of ASCII-range characters fall."""
    head = data[:8192]
    if len(head) < 4 or head.count(0) < len(head) // 5:
        return None
    if len(data) % 4 == 0:
        quads = [head[i:i + 4] for i in range(0, len(head) - 3, 4)]
        if sum(q[2:] == b"\0\0" and q[1] == 0 for q in quads) > 0.9 * len(quads):
            return "utf-32-le"
        if sum(q[:2] == b"\0\0" and q[2] == 0 for q in quads) > 0.9 * len(quads):
            return "utf-32-be"
    if len(data) % 2 == 0:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    return None


def control_share(head: bytes) -> float:
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) if head else 0.0


def looks_binary(data: bytes) -> bool:
    """NUL bytes beyond a stray few, or many control characters, in the first 4 KiB mean it is not text
    (UTF-16/32, whose ASCII characters carry NUL bytes, is text)."""
    head = data[:4096]
    if bom_encoding(head) or wide_encoding(data):
        return False
    nuls = head.count(0)
    if nuls > max(1, len(head) * STRAY_NUL_SHARE * 4):
        return True
    return control_share(head.replace(b"\0", b"")) > CONTROL_SHARE


def strict_decode(data: bytes, codec: str, what: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"undecodable bytes: not valid {what} at byte {exc.start}") from None


def western(text: str) -> bool:
    """Whether a cp1252 reading looks like Western European text: accented letters stand mostly alone
    among ASCII letters ("café", "Düsseldorf"). A non-Latin script read as cp1252 gives runs of them."""
    high = [i for i, c in enumerate(text) if ord(c) > 127]
    if not high:
        return True
    letters = [i for i in high if text[i].isalpha()]
    if not letters:
        return True
    paired = sum(1 for i in letters if (i > 0 and ord(text[i - 1]) > 127 and text[i - 1].isalpha())
                 or (i + 1 < len(text) and ord(text[i + 1]) > 127 and text[i + 1].isalpha()))
    return paired / len(letters) <= WESTERN_NEIGHBOURS


def legacy_decode(data: bytes) -> str:
    """An 8-bit encoding: cp1252 for Western text (latin-1 where cp1252 leaves a byte undefined),
    else charset-normalizer's guess; UnreadableInput when nothing fits."""
    try:
        as_western = data.decode("cp1252")
    except UnicodeDecodeError:
        as_western = data.decode("latin-1")
    if western(as_western):
        return as_western
    from charset_normalizer import from_bytes  # only for legacy encodings: its import costs 0.1 s

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableInput("undecodable bytes: no text encoding fits")
    return str(best)


def mixed_decode(data: bytes) -> str | None:
    """Text whose lines are partly UTF-8, partly a legacy encoding: each line decoded by itself.
    None when the data has no valid UTF-8 multi-byte sequence (then it is all legacy)."""
    if not UTF8_MULTIBYTE.search(data):
        return None
    out = []
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(legacy_decode(line))
    return "".join(out)


def decode_bytes(data: bytes, *, max_bytes: int | None = MAX_ARTICLE_BYTES) -> str:
    """Decode a file's bytes to text (see the module docstring for the order of decisions).

    Raises UnreadableInput, with a one-line reason, for empty, oversized, binary or undecodable data.
    A stray NUL byte (at most one per thousand bytes) is dropped; the text returned never holds NUL.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise UnreadableInput(
            f"too large for one article ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)"
        )
    marked = bom_encoding(data)
    if marked:
        codec, skip = marked
        text = strict_decode(data[skip:], codec, codec.upper())
    elif (codec := wide_encoding(data)) is not None:
        text = strict_decode(data, codec, codec.upper())
    else:
        text = None
    if text is not None:
        text = text.replace("\0", "")
        if not text.strip():
            raise UnreadableInput("empty file")
        head = text[:4096]
        if sum(1 for c in head if ord(c) < 9 or 13 < ord(c) < 32) > CONTROL_SHARE * len(head):
            raise UnreadableInput("binary content, not text")
        return text
    if not data.strip():
        raise UnreadableInput("empty file")
    nuls = data.count(0)
    if nuls and nuls <= max(1, len(data) * STRAY_NUL_SHARE) and not looks_binary(data.replace(b"\0", b"")):
        data = data.replace(b"\0", b"")  # damage, not content: the rest of the file is good text
    if looks_binary(data):
        raise UnreadableInput("binary content, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        mixed = mixed_decode(data)
        text = mixed if mixed is not None else legacy_decode(data)
    if not text.strip() or "\0" in text:  # nothing but stray NULs; or NULs a legacy guess kept
        text = text.replace("\0", "")
        if not text.strip():
            raise UnreadableInput("empty file")
    return text


# Fewer words than this is a fragment (a menu, a broken page), not an article.
MIN_ARTICLE_WORDS = 8


def require_article_text(text: str) -> str:
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        raise UnreadableInput(f"no article text (only {words} words)")
    return text
