"""Plausible ranges for the dates and numbers that come from outside (files, requests, the command line).

A value outside its range is rejected with a reason, never clamped: a CSV row dated 9999-12-31 is a
broken row, not an event at the end of time. Everything that does date arithmetic downstream (relative
dates, fusion windows) can then add or subtract a few years without leaving `datetime.date`'s range.
"""

from __future__ import annotations

import datetime as dt

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
