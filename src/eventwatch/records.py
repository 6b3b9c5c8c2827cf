"""The typed records that flow between stages.

ingest -> Article (raw) -> clean -> Article (clean text + offset map)
extract -> EventMention (spans, roles, numbers, place mentions)
resolve -> Event (canonical actors, a gazetteer place, real dates)
fuse -> Event (one per real event, several sources, claims)

Every stage takes and returns these; nothing passes bare dicts between stages.
The field names of `Event` are the contract of shared/design/event-schema.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Record):
    """Where a value came from: character offsets into an article's cleaned text."""

    field: str
    article_id: str
    start: int
    end: int
    text: str


class Span(Record):
    """A piece of the cleaned text, before we know which article field it backs."""

    start: int
    end: int
    text: str

    def evidence(self, field: str, article_id: str) -> Evidence:
        return Evidence(field=field, article_id=article_id, start=self.start, end=self.end, text=self.text)


class OffsetSegment(Record):
    """A run of cleaned text copied verbatim from the raw text.

    clean[clean_start : clean_start+length] == raw[raw_start : raw_start+length]
    """

    clean_start: int
    raw_start: int
    length: int


class Article(Record):
    """One report as read from a source; `text` is filled by the clean stage."""

    article_id: str
    raw_text: str
    text: str = ""  # cleaned text: evidence offsets point here
    offsets: list[OffsetSegment] = Field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    # where `published` came from: "metadata", "column", "text", "url", "inferred" (from the latest date in text)
    published_source: str | None = None
    # when only the year and month of publication are known (an address with "/2019/11/" and no day): the
    # month's first day, `published` staying None (no day is known); relative dates resolve to the month
    published_month: dt.date | None = None
    language: str | None = None
    source_path: str | None = None
    source_format: Literal["text", "html", "csv", "jsonl", "feed"] = "text"
    extra: dict[str, str] = Field(default_factory=dict)  # corpus columns we keep (e.g. FA-KES label)

    @property
    def content_hash(self) -> str:
        return content_hash(self.raw_text)

    def raw_offset(self, clean_offset: int) -> int | None:
        """Map an offset in the cleaned text back to the raw text (None if it falls in inserted text)."""
        for seg in self.offsets:
            if seg.clean_start <= clean_offset <= seg.clean_start + seg.length:
                return seg.raw_start + (clean_offset - seg.clean_start)
        return None


def content_hash(text: str) -> str:
    """Identity of an article's content: whitespace-insensitive so that re-saved copies are the same article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class ActorMention(Record):
    """An actor named in the text, mapped to its canonical name by the actor dictionary."""

    canonical: str
    inter: int | None = None
    span: Span
    unit: str | None = None  # a named unit ("4th Division") kept as associated actor
    # A templated actor ("the army", "civilians") is named in resolve, for the event's country and day:
    # template is one of profiles.TEMPLATES; country is the one the words name ("Nigerian troops"), if any.
    template: str | None = None
    country: str | None = None
    local: list[tuple[str, str, int | None]] = Field(default_factory=list)  # a local word's (country, actor, inter)


class PlaceMention(Record):
    """A place phrase and how the text relates the event to it."""

    name: str  # as written in the text
    relation: Literal["in", "near", "between", "countryside", "province", "outside"] = "in"
    span: Span
    second_name: str | None = None  # the other end of "between X and Y"
    admin1_hint: str | None = None  # a province named next to it ("in Daraa countryside")
    admin1_hint_soft: bool = False  # the province is only a bearing ("west of Aleppo"): the gazetteer may differ
    names_province: bool = False  # the name is also a governorate's ("Aleppo", "Daraa"): the broadest of places
    names_district: bool = False  # written as a district ("Hangu district", "Gwoza LGA"): an admin2 before a town
    country_hint: str | None = None


class NumberMention(Record):
    """A casualty figure: how many killed or injured, per whom."""

    kind: Literal["killed", "injured"]
    value: int | None  # None for "several", "dozens": kept as a claim, never a number
    low: int | None = None
    high: int | None = None
    span: Span
    claimant: str | None = None  # canonical name of who said it, if attributed
    quote: str | None = None
    also: bool = False  # "four militants were also killed": dead of their own, in addition to a toll told before


class DateMention(Record):
    start: dt.date
    end: dt.date | None = None
    precision: Literal[1, 2, 3] = 1
    span: Span
    inferred_base: bool = False  # resolved against a base date inferred from the text


class EventMention(Record):
    """One event as one article describes it, before places are geocoded."""

    article_id: str
    index: int  # position among the article's events
    event_type: str
    sub_event_type: str
    trigger: Span
    date: DateMention | None = None
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    assoc_actor_1: list[ActorMention] = Field(default_factory=list)
    assoc_actor_2: list[ActorMention] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    country: str | None = None
    numbers: list[NumberMention] = Field(default_factory=list)
    weapon: str | None = None
    weapon_span: Span | None = None
    claimed_by: ActorMention | None = None
    background: bool = False
    confidence: float = 0.5


class ResolvedPlace(Record):
    """A place mention turned into gazetteer coordinates and admin names."""

    location: str
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: Literal[1, 2, 3] = 3
    geonameid: int | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    note: str | None = None  # e.g. "admin2 derived from the nearest district seat"
    evidence: list[Evidence] = Field(default_factory=list)


class Source(Record):
    article_id: str
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    title: str | None = None


class Claim(Record):
    field: str
    value: int | str | None
    claimed_by: str | None = None
    article_id: str
    quote: str | None = None
    outlet: str | None = None
    start: int | None = None
    end: int | None = None


class Event(Record):
    """The event record of shared/design/event-schema.md."""

    event_id: str
    event_date: dt.date | None
    date_end: dt.date | None = None
    time_precision: Literal[1, 2, 3] = 1
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: Literal[1, 2, 3] | None = None
    geonameid: int | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injuries: int | None = None
    weapon: str | None = None
    claimed_by: str | None = None
    background: bool = False
    notes: str = ""
    cameo: str | None = None
    sources: list[Source] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 0.5
    # ids of the per-article reports fused into this event (empty on a report itself)
    report_ids: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def month_has_its_end(self) -> Event:
        """A month (time_precision 3) always carries its last day as date_end: its range is then told by its
        columns alone (the store's fusion queries read only them)."""
        if self.time_precision == 3 and self.date_end is None and self.event_date is not None:
            self.date_end = month_end(self.event_date)
        return self


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month (monthrange, not "the 1st of next month minus a day": December 9999 has no
    next month)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def stable_id(*parts: object) -> str:
    """Deterministic short id: the same input always gives the same id."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


class Problem(Record):
    """An input we could not use: reported to the user, skipped, never fatal."""

    path: str
    reason: str
    row: int | None = None  # 1-based data row for tables and feeds

    def __str__(self) -> str:
        where = f"{self.path}" + (f" row {self.row}" if self.row is not None else "")
        return f"{where}: {self.reason}"
