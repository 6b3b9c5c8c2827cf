"""Sentence spans over the cleaned text (offsets exact), with the abbreviations news copy uses."""

from __future__ import annotations

import re

from eventwatch.records import Span

# A sentence ends at . ! ? (and closing quotes) followed by space and a capital, a quote or a digit,
# unless the dot belongs to an abbreviation or an initial.
BOUNDARY = re.compile(r"""(?<=[.!?])["'’”)\]]*\s+(?=["'‘“(\[]?[A-Z0-9])|\n\s*\n""")
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "maj", "col", "lt", "capt", "sgt", "brig", "adm", "st", "mt", "no",
    "u.s", "u.n", "u.k", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "vs",
    "etc", "inc", "corp", "co", "approx", "al", "gov", "sen", "rep", "prof", "jr", "sr",
}


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in BOUNDARY.finditer(text):
        candidate = text[start:m.start()]
        last_word = re.search(r"([A-Za-z.]+)\.$", candidate.rstrip("\"'’”)]"))
        if last_word and m.group().strip() == "":
            word = last_word.group(1).lower().rstrip(".")
            if word in ABBREVIATIONS or len(word) == 1:
                continue
        add_span(spans, text, start, m.start())
        start = m.end()
    add_span(spans, text, start, len(text))
    return spans


def add_span(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    spans.append(Span(start=s, end=s + len(stripped), text=stripped))
