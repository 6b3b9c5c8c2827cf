"""Date expressions in news copy, resolved against the publication date.

Absolute ("Thursday 12 November 2020", "On June 4, 2019", "4/5/2017"), partial ("Sunday, July 28":
the year comes from the base date, checked against the weekday), relative ("yesterday", "on Monday",
"overnight", "last week", "two weeks ago", "a year ago", "last month") and periods ("in August 2018",
"in 2013"). Patterns are compiled once; parsing is calendar arithmetic, so it is fast and
deterministic (dateparser's search is far slower and resolves "Monday" forwards).
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from eventwatch.bounds import date_in_range
from eventwatch.extract.lookahead import with_lookahead
from eventwatch.extract.numbers import word_to_int
from eventwatch.records import DateMention, Span, month_end

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NAMES |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTH_NAMES["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS |= {d.lower(): i for i, d in enumerate(calendar.day_abbr)}

MON = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WD = r"(?:(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
NUMWORD = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|couple of)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("dmy", re.compile(rf"\b{WD}(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MON},?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("mdy", re.compile(rf"\b{WD}{MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)\b")),
    ("dm", re.compile(rf"\b{WD}(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MON}\b(?!,?\s+\d{{4}})", re.I)),
    ("md", re.compile(rf"\b{WD}{MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})(?!\s*(?:km|kilomet|mile|people|killed|dead))", re.I)),
    ("month_year", re.compile(rf"\b(?:in|during|since|from|of|late|early|mid)[- ]+(?:(?:late|early|mid)[- ]+)?{MON}\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("year", re.compile(r"\b(?:in|during)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:people|civilians|killed))", re.I)),
    ("today", re.compile(r"\b(?P<word>today|tonight|this morning|this afternoon|this evening|earlier today)\b", re.I)),
    # rule dt-day-earlier: "A day earlier, a police officer was killed", "on the previous day": the day before
    ("yesterday", re.compile(r"\b(?P<word>yesterday|last night|overnight|the day before|a day earlier|"
                             r"the previous day|the day earlier)\b", re.I)),
    # rule dt-weekend: "killed 17 people over the weekend", "at the weekend", "last weekend"
    ("weekend", re.compile(r"\b(?:(?:over|during|at|on)\s+the|(?P<which>last|this|past))\s+weekend\b", re.I)),
    ("weekday", re.compile(r"\b(?:on|late|early|last|this)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?:\s+(?:night|morning|evening|afternoon))?", re.I)),
    # "Tuesday's strike" as corpora strip it: "Tuesdays strike"
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s(?=\s+(?:[\w-]+\s+){0,2}?"
                           r"(?:strikes?|attacks?|bombings?|blasts?|explosions?|raids?|massacre|shelling|assault|"
                           r"chemical|gas|suicide|car bomb))", re.I)),
    # Wire style drops the "on": "were killed Monday in an attack".
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!,? (?:\d|[A-Z][a-z]+ \d))")),
    ("ago", re.compile(rf"\b{NUMWORD}\s+(?P<unit>day|days|week|weeks|month|months|year|years)\s+ago\b", re.I)),
    ("last", re.compile(r"\b(?P<which>last|past|previous|earlier this)\s+(?P<unit>week|month|year)\b", re.I)),
]


@dataclass(frozen=True)
class DateFound:
    kind: str
    start: dt.date
    end: dt.date | None
    precision: int
    span: Span
    absolute: bool  # carries its own year (does not depend on the base date)
    since: bool  # "since X": the start of a period the text measures from, not an event
    statement: bool = False  # the day something was said ("said on Wednesday"), not the day it happened


def month_number(name: str) -> int:
    return MONTH_NAMES[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def partial_year(month: int, day: int, base: dt.date, weekday: int | None) -> dt.date | None:
    """A day and month without a year: the latest such date not after the base (news reports the past);
    a named weekday picks between adjacent years."""
    candidates = [d for y in (base.year, base.year - 1, base.year + 1) if (d := safe_date(y, month, day))]
    if weekday is not None:
        matching = [d for d in candidates if d.weekday() == weekday]
        if matching:
            candidates = matching
    past = [d for d in candidates if d <= base + dt.timedelta(days=1)]
    return max(past) if past else (min(candidates) if candidates else None)


def month_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, month_end(first)


def resolve(kind: str, m: re.Match, base: dt.date | None) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    weekday = WEEKDAYS.get((g.get("weekday") or "").lower().rstrip("."))
    if kind in ("dmy", "mdy"):
        d = safe_date(int(g["year"]), month_number(g["month"]), int(g["day"]))
        return (d, None, 1) if d else None
    if kind == "numeric":
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if a <= 12 else (b, a)  # month first, as US wires and FA-KES write it
        d = safe_date(int(g["year"]), month, day)
        return (d, None, 1) if d else None
    if kind == "iso":
        d = safe_date(int(g["year"]), int(g["m"]), int(g["day"]))
        return (d, None, 1) if d else None
    if kind == "month_year":
        start, end = month_period(int(g["year"]), month_number(g["month"]))
        return start, end, 3
    if kind == "year":
        y = int(g["year"])
        return dt.date(y, 1, 1), dt.date(y, 12, 31), 3
    if base is None:
        return None
    if kind in ("dm", "md"):
        d = partial_year(month_number(g["month"]), int(g["day"]), base, weekday)
        return (d, None, 1) if d else None
    if kind == "today":
        return base, None, 1
    if kind == "yesterday":
        return base - dt.timedelta(days=1), None, 1
    if kind == "weekend":
        # the latest Saturday and Sunday up to the base date ("last weekend" on a Sunday: the one before)
        back = (base.weekday() - 5) % 7
        if (g["which"] or "").lower() == "last" and back <= 1:
            back += 7
        saturday = base - dt.timedelta(days=back)
        return saturday, min(saturday + dt.timedelta(days=1), base), 2
    if kind == "weekday":
        target = WEEKDAYS[g["weekday"].lower()]
        back = (base.weekday() - target) % 7
        if m.group().lower().startswith("last") and back == 0:
            back = 7
        return base - dt.timedelta(days=back), None, 1
    if kind == "ago":
        n = word_to_int(g["n"]) or (3 if g["n"].lower() in ("several", "few", "couple of") else 1)
        unit = g["unit"].lower().rstrip("s")
        if unit == "day":
            return base - dt.timedelta(days=n), None, 1 if n <= 3 else 2
        if unit == "week":
            start = base - dt.timedelta(days=7 * n)
            return start, start + dt.timedelta(days=2), 2
        if unit == "month":
            y, mo = divmod(base.year * 12 + base.month - 1 - n, 12)
            start, end = month_period(y, mo + 1)
            return start, end, 3
        return dt.date(base.year - n, 1, 1), dt.date(base.year - n, 12, 31), 3
    if kind == "last":
        unit = g["unit"].lower()
        if unit == "week":
            if g["which"].lower() == "earlier this":
                # rule dt-earlier-this-week (session 8, from Reuters' Rityan report, tested on others): the days of
                # the base date's week before it (Monday first, ISO 8601), not the seven days before it
                monday = base - dt.timedelta(days=base.weekday())
                return monday, max(monday, base - dt.timedelta(days=1)), 2
            return base - dt.timedelta(days=7), base - dt.timedelta(days=1), 2
        if unit == "month":
            if g["which"].lower() == "earlier this":
                return dt.date(base.year, base.month, 1), base, 3
            y, mo = divmod(base.year * 12 + base.month - 2, 12)
            return (*month_period(y, mo + 1), 3)
        return dt.date(base.year - 1, 1, 1), dt.date(base.year - 1, 12, 31), 3
    return None


def lowered(pattern: re.Pattern) -> re.Pattern:
    """The same pattern for lower-cased text, without re.I (case-insensitive scanning is twice as slow),
    behind a look-ahead for its first characters."""
    if not pattern.flags & re.I:
        return re.compile(with_lookahead(pattern.pattern), pattern.flags)  # the same, with its look-ahead
    return re.compile(with_lookahead(pattern.pattern.lower().replace("(?p<", "(?P<")))


LOWER_PATTERNS = [(kind, lowered(p), not p.flags & re.I) for kind, p in PATTERNS]

# Words one of which every match of a pattern contains (as the pattern scans: lower-cased unless it is
# case-sensitive), by the pattern's place in PATTERNS: a text without any of them is not scanned with it
# (most articles have no "ago" and no "x/y/2019"; tests/extract/test_dates.py checks the words on real
# matches). None: no such word worth a test.
NEEDS: list[tuple[str, ...] | None] = [
    None, None,  # dmy, mdy
    ("/",),  # numeric
    None, None, None, None, None,  # iso, dm, md, month_year, year
    ("today", "tonight", "this "),
    ("yesterday", "last night", "overnight", "the day before", "a day earlier", "the previous day", "the day earlier"),
    ("weekend",),
    None,  # on Monday
    ("days",),  # Tuesdays strike
    None,  # wire style weekday
    ("ago",),
    ("last", "past", "previous", "earlier this"),
]
assert len(NEEDS) == len(PATTERNS)


def find_dates(text: str, base: dt.date | None, offset: int = 0) -> list[DateFound]:
    """All date expressions in `text`, the first listed kind winning where they overlap.

    A base date outside the plausible range (bounds.py) counts as no base, and a date that resolves
    outside it is no date: relative arithmetic never leaves `datetime.date`'s range."""
    if base is not None and not date_in_range(base):
        base = None
    found: list[DateFound] = []
    # the spans taken so far, sorted and disjoint: an overlap test is a bisect, not a scan of them all
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    lower = text.lower()
    if len(lower) != len(text):  # keep offsets exact when a character's lower case is longer
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for (kind, pattern, case_sensitive), needs in zip(LOWER_PATTERNS, NEEDS, strict=True):
        scanned = text if case_sensitive else lower
        if needs is not None and not any(word in scanned for word in needs):
            continue
        for m in pattern.finditer(scanned):
            j = bisect.bisect_left(taken_starts, m.end())
            if j and taken_ends[j - 1] > m.start():
                continue
            resolved = resolve(kind, m, base)
            if resolved is None:
                continue
            start, end, precision = resolved
            if not (date_in_range(start) and date_in_range(end)):
                continue
            taken_starts.insert(j, m.start())
            taken_ends.insert(j, m.end())
            before = lower[max(0, m.start() - 12):m.start()]
            found.append(DateFound(
                kind=kind, start=start, end=end, precision=precision,
                span=Span(start=offset + m.start(), end=offset + m.end(), text=text[m.start():m.end()]),
                absolute=kind in ("dmy", "mdy", "numeric", "iso", "month_year", "year"),
                since=bool(re.search(r"\b(since|until|till|before|after)\s+(the\s+)?$", before))
                or m.group().lower().startswith("since"),
            ))
    found.sort(key=lambda d: d.span.start)
    return found


RELATIVE = frozenset({"today", "yesterday", "weekday", "weekend", "ago", "last"})
MONTH_SLACK_DAYS = 7  # a relative day that may fall this far before the month still dates the month


def find_dates_in_month(text: str, month: dt.date, offset: int = 0) -> list[DateFound]:
    """Rule dt-month-base: the date expressions of a text whose publication is known only to the month
    (`month`: any day of it). A day and month without a year ("November 4") is placed as against the month's
    last day. A relative expression is resolved against the month's first and last days: what it may mean
    is the span of the two; a day word ("on Monday", "yesterday", "last week") that can only fall within the
    month or the week before it dates the month itself (time precision 3, as ACLED codes a known month), a
    longer reach ("two weeks ago", "last month") the whole span, also at precision 3. Never a day."""
    first, last = month_period(month.year, month.month)
    at_last = find_dates(text, last, offset)
    at_first = {(d.span.start, d.span.end): d for d in find_dates(text, first, offset) if d.kind in RELATIVE}
    out = []
    for d in at_last:
        if d.kind not in RELATIVE:
            out.append(d)
            continue
        early = at_first.get((d.span.start, d.span.end))
        start = min(d.start, early.start) if early else d.start
        end = max(d.end or d.start, (early.end or early.start) if early else d.start)
        if start >= first - dt.timedelta(days=MONTH_SLACK_DAYS) and end <= last:
            start, end = first, last
        out.append(dataclasses.replace(d, start=start, end=end, precision=3))
    return out


def infer_base_date(text: str) -> tuple[dt.date, Span] | None:
    """When the publication date is unknown: the most recent date the text states.

    Full dates give the year; a partial date ("Sunday, July 28") is then placed in that year (or the
    next), checked against its weekday, and taken when it is later.
    """
    full = [d for d in find_dates(text, None) if d.absolute and d.precision == 1]
    if not full:
        return None
    latest = max(full, key=lambda d: d.start)
    best = (latest.start, latest.span)
    ref = latest.start + dt.timedelta(days=366)
    for d in find_dates(text, ref):
        if d.kind in ("dm", "md") and d.start > best[0] and (d.start - latest.start).days < 366:
            best = (d.start, d.span)
    return best


def to_mention(d: DateFound, *, inferred_base: bool = False) -> DateMention:
    return DateMention(start=d.start, end=d.end, precision=d.precision, span=d.span, inferred_base=inferred_base)
