"""Plausible ranges for the dates and numbers that come from outside (files, requests, the command line).

A value outside its range is rejected with a reason, never clamped: a CSV row dated 9999-12-31 is a
broken row, not an event at the end of time. Everything that does date arithmetic downstream (relative
dates, fusion windows) can then add or subtract a few years without leaving `datetime.date`'s range.
"""

from __future__ import annotations

import datetime as dt
import re

# News of political violence that eventwatch codes: the 20th and 21st centuries. Fixed bounds (not
# "today + N") so that the same input is accepted or rejected the same way on every day.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# Figures a user may filter by (fatalities, counts): far above any real toll, far below SQL's 2**63.
MAX_FIGURE = 10_000_000


def date_in_range(value: dt.date | None) -> bool:
    """True for None (no date) and for a date between EARLIEST_DATE and LATEST_DATE inclusive."""
    return value is None or EARLIEST_DATE <= value <= LATEST_DATE


def date_problem(value: dt.date | None, what: str = "date") -> str | None:
    """None when `value` is plausible (or None); else a one-line reason naming `what` and the range."""
    if date_in_range(value):
        return None
    return f"{what} {value.isoformat()} is outside {EARLIEST_DATE.isoformat()}..{LATEST_DATE.isoformat()}"


def shift_days(value: dt.date, days: int) -> dt.date:
    """`value` moved by `days`, saturating at date.min/date.max instead of raising OverflowError.

    For search windows and ranges computed from dates (never for a date that is stored as a fact).
    """
    ordinal = min(max(value.toordinal() + days, dt.date.min.toordinal()), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


# The most of one article's cleaned text that is coded: some 80,000 words, 58 times the longest FA-KES
# article (8,606 characters). A longer "article" is a dump or a concatenation; coding it whole costs
# seconds per megabyte while the events are almost always in the first pages. The whole text is still
# stored (and searchable); what is not coded is said in a warning naming the source (`coding_cap_warning`).
MAX_CODED_CHARS = 500_000
# How far back from the cap a line or sentence end is looked for, so that no sentence is cut in two.
CUT_WINDOW = 10_000
SENTENCE_END = re.compile(r"[.!?]\s|\n")


def coded_length(text: str, limit: int | None = MAX_CODED_CHARS) -> int:
    """How many leading characters of a cleaned text are coded: all of them up to `limit` (None: no
    limit); past it, up to the last line or sentence end before `limit` (else the last space, else
    `limit`). Linear in CUT_WINDOW, whatever the text's size."""
    if limit is None or len(text) <= limit:
        return len(text)
    window_start = max(0, limit - CUT_WINDOW)
    window = text[window_start:limit]
    ends = [m.end() for m in SENTENCE_END.finditer(window)]
    if ends:
        return window_start + ends[-1]
    space = window.rfind(" ")
    return window_start + space + 1 if space >= 0 else limit


def coding_cap_warning(source: str, text: str, limit: int | None = MAX_CODED_CHARS) -> str | None:
    """None when all of `text` (an article's cleaned text) is coded; else a one-line warning naming
    `source` and how much of the text was left uncoded."""
    coded = coded_length(text, limit)
    if coded == len(text):
        return None
    return (f"{source}: text of {len(text):,} characters; events are coded from the first {coded:,} only "
            f"(at most {limit:,} per article), the whole text is stored")
