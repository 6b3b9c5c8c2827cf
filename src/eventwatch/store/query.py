"""What a user asks of the stored events: filters, paging, order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, field_validator

MAX_LIMIT = 1000


class EventQuery(BaseModel):
    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None  # an event type or a sub-event type
    sub_event_type: str | None = None
    actor: str | None = None  # canonical name or alias, as a case-insensitive substring of the actor fields
    text: str | None = None  # substring of notes, location, actors
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    min_fatalities: int | None = None
    background: bool | None = None
    kind: Literal["report", "fused"] = "report"
    article_id: str | None = None
    # events first stored at or after this moment (naive UTC): those none of whose sources was stored before
    stored_since: dt.datetime | None = None
    # Filled by eventwatch.query's resolver (what a user typed, read against the stored names):
    admin1_in: tuple[str, ...] | None = None  # any of these governorates (exact stored spellings)
    country_in: tuple[str, ...] | None = None
    location_in: tuple[str, ...] | None = None  # places whose names match the text (with `fulltext`: or)
    actor_in: tuple[str, ...] | None = None  # canonical actors a text names (with `fulltext`: or)
    fulltext: str | None = None  # a phrase in notes, place, actors or the source articles' text (FTS)
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0)
    order: Literal["date", "-date", "fatalities", "-fatalities"] = "-date"

    @field_validator("bbox")
    @classmethod
    def bbox_in_order(cls, v):
        if v is not None and (v[0] > v[2] or v[1] > v[3]):
            raise ValueError("bbox is min_lon,min_lat,max_lon,max_lat")
        return v


@dataclass(frozen=True)
class Block:
    """Stored reports that may pair with some pending ones (incremental fusion, Store.fused_near): of one of
    `event_types` (None: no type), in `country` ("": unknown, stored as NULL or ""), in one of `admin1_in`
    (None: any governorate; "" stands for an unknown one, NULL or ""), whose date ranges reach into
    [since, until] (a range's last day on or after `since`, its first on or before `until`)."""

    event_types: tuple[str | None, ...]
    country: str
    admin1_in: tuple[str, ...] | None
    since: dt.date
    until: dt.date
