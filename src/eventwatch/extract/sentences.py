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


LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
# Rule sen-vowelless: a capitalised word of two to four letters without a vowel ("Jl.", "Jln.", "Rd.", "Blvd.",
# "Hwy.", "Sgt.") is an abbreviation in any language written in Latin letters, not a sentence's last word.
VOWELLESS = re.compile(r"[B-DF-HJ-NP-TV-Z][b-df-hj-np-tv-xz]{1,3}")
WORD_WINDOW = 200


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in BOUNDARY.finditer(text):
        # Only the end of the candidate sentence matters (its last word): a window, not the whole
        # candidate, so that a long run of abbreviations cannot make the split quadratic.
        window_start = max(start, m.start() - WORD_WINDOW)
        tail = text[window_start:m.start()].rstrip("\"'’”)]")
        last_word = LAST_WORD.search(tail)
        if last_word and last_word.start() == 0 and window_start > start:
            last_word = None  # a "word" longer than the window is no abbreviation
        if last_word and m.group().strip() == "":
            word = last_word.group(1).lower().rstrip(".")
            if word in ABBREVIATIONS or len(word) == 1 or VOWELLESS.fullmatch(last_word.group(1)):
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
