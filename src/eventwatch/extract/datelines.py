"""Wire datelines: "ABUJA, Nigeria (AP) —", "KABUL (Reuters) -", "MOGADISHU, Somalia, Jan 3 —".

A dateline names where the report was filed, not where the event happened: its city is no event place
(the country it names still tells the article's focus). Rule d1: a capitalised place name (usually all capitals) at the start of
the story (after a headline line, at most), with an optional region or country, an optional short date and
an optional agency in brackets, then a dash or colon.
"""

from __future__ import annotations

import re

from eventwatch.records import Span

DATELINE = re.compile(
    # at the start of a line, or (all capitals) after a headline or a date run into the same line
    r"(?:(?:^|\n)[ \t]*(?P<city>[A-Z][\w'’.\-]+(?:[ \t]+[A-Z][\w'’.\-]+){0,3})"
    r"|(?<=\s)(?P<caps>[A-Z][A-Z'’.\-]{2,}(?:[ \t]+[A-Z][A-Z'’.\-]{2,}){0,2}))"
    r"(?:,[ \t]*(?P<region>[A-Z][\w'’.\-]+(?:[ \t]+[A-Z][\w'’.\-]+){0,3}))?"
    r"(?:,?[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?))?"
    r"[ \t]*(?:\((?P<agency>[A-Za-z][\w .&/-]{0,30})\))?"
    r"[ \t]*\.?(?:[-—–:]{1,2}|\|)[ \t]?")
# Rule d2: the same without its dash, as scraped copies of wire stories often run it into the story
# ("DIYARBAKIR, Turkey Four Turkish soldiers were killed ..."): a city in capitals opening a line, a comma,
# one capitalised word (the region or country) and the story's first word. Capitals alone make it a dateline.
DATELINE_UNDASHED = re.compile(
    r"(?:^|\n)[ \t]*(?P<caps>[A-Z][A-Z'’.\-]{2,}(?:[ \t]+[A-Z][A-Z'’.\-]{2,}){0,2}),[ \t]*"
    r"(?P<region>[A-Z][a-z][\w'’.\-]*)[ \t]+(?=[A-Z0-9“\"])")
HEAD_CHARS = 400  # a dateline opens the story: after a headline and a byline at most


def find_dateline(text: str) -> Span | None:
    """The dateline at the start of the story, or None. The span covers the place names (city, region)."""
    m = DATELINE.search(text[:HEAD_CHARS]) or DATELINE_UNDASHED.search(text[:HEAD_CHARS])
    if m is None:
        return None
    city = "city" if m.re is DATELINE and m.group("city") else "caps"
    if len(m.group(city).replace(" ", "")) < 3:
        return None
    end = m.end("region") if m.group("region") else m.end(city)
    return Span(start=m.start(city), end=end, text=text[m.start(city):end])
