"""Sources as data: the feeds, sitemaps and section pages `watch` polls, from the command line or from a
sources.yaml file:

    sources:
      - url: https://www.example.org/feed.xml
        name: Example News
        every: 15m          # s, m, h or d; default 15m
        country: SY         # optional: what the source covers
        kind: auto          # auto (decided by the response), feed, sitemap or page
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, Field, field_validator

DEFAULT_EVERY = 15 * 60
MIN_EVERY = 10  # seconds: a source polled faster than this would be impolite
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str | int) -> int:
    """'90s', '15m', '2h', '1d' or a number of seconds -> seconds (at least MIN_EVERY). ValueError if not."""
    if isinstance(value, int):
        seconds = value
    else:
        m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", str(value).lower())
        if not m:
            raise ValueError(f"{value!r} is not an interval (like 90s, 15m, 2h, 1d)")
        seconds = int(m.group(1)) * UNITS[m.group(2) or "s"]
    if seconds < MIN_EVERY:
        raise ValueError(f"polling every {seconds} s is too often (at least {MIN_EVERY} s)")
    return seconds


def format_every(seconds: int) -> str:
    for unit in ("d", "h", "m"):
        if seconds % UNITS[unit] == 0:
            return f"{seconds // UNITS[unit]}{unit}"
    return f"{seconds}s"


class SourceSpec(BaseModel):
    """A source to watch."""

    url: str
    name: str | None = None
    every: int = Field(default=DEFAULT_EVERY, description="poll interval in seconds")
    country: str | None = None
    kind: Literal["auto", "feed", "sitemap", "page"] = "auto"

    @field_validator("url")
    @classmethod
    def http_url(cls, v: str) -> str:
        v = v.strip()
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{v!r} is not an http(s) URL")
        return v

    @field_validator("every", mode="before")
    @classmethod
    def interval(cls, v):
        return parse_every(v)


def load_sources_yaml(path: Path) -> list[SourceSpec]:
    """The sources of a sources.yaml (a list under `sources:`, or a bare list). ValueError naming the
    file and the entry for anything malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read ({exc})") from None
    entries = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of sources under `sources:`")
    out = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, str):
            entry = {"url": entry}
        try:
            out.append(SourceSpec.model_validate(entry))
        except Exception as exc:
            raise ValueError(f"{path}: source {i}: {exc}") from None
    return out
