"""The export stage: events as ACLED CSV, JSON Lines, GeoJSON (RFC 7946) and Parquet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO

from eventwatch.records import Event
from eventwatch.resources import data_path

# ACLED's export columns, in ACLED's order (ACLED Codebook 2023, "Data columns").
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


@cache
def countries() -> dict[str, dict[str, str]]:
    """Country name -> ISO 3166 numeric code, ISO3 and ACLED region (data/countries.tsv)."""
    table: dict[str, dict[str, str]] = {}
    with data_path("countries.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            table[row["country"]] = row
    return table


def interaction(inter1: int | None, inter2: int | None) -> str:
    """ACLED's interaction code: the two actor-type codes, the lower first ("38", or "30" alone)."""
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def with_alias_sources(events: Iterable[Event], aliases: dict[str, list[str]]) -> list[Event]:
    """An article stored once under one id and seen again under others reports its events under each:
    a source per alias id (`aliases`: stored id -> other ids, from Store.aliases())."""
    from eventwatch.records import Source

    out = []
    for e in events:
        extra = [Source(article_id=a, outlet=s.outlet, url=s.url, published=s.published, title=s.title)
                 for s in e.sources for a in aliases.get(s.article_id, [])]
        out.append(e.model_copy(update={"sources": e.sources + extra}) if extra else e)
    return out


def event_id_cnty(e: Event) -> str:
    """ACLED's id: the country's ISO3 code and a number ("SYR123456789012"); the number comes from the
    event id (itself a hash of what the event is made of), so it is the same in every run."""
    import hashlib

    iso3 = e.iso3 or countries().get(e.country or "", {}).get("iso3") or "XXX"
    digest = hashlib.sha1(e.event_id.encode("utf-8")).hexdigest()[:12]
    return f"{iso3}{int(digest, 16)}"


def timestamp(e: Event) -> int | str:
    """ACLED's `timestamp` (Unix seconds of the record's last change): the latest publication day of
    the event's sources (midnight UTC), else its date, so that re-running the same input changes nothing."""
    import calendar

    days = [s.published for s in e.sources if s.published] or ([e.event_date] if e.event_date else [])
    return calendar.timegm(max(days).timetuple()) if days else ""


def acled_row(e: Event) -> dict[str, object]:
    country = countries().get(e.country or "", {})
    outlets = "; ".join(dict.fromkeys(s.outlet for s in e.sources if s.outlet))
    tags = [f"fatalities_low={e.fatalities_low}" if e.fatalities_low is not None else "",
            f"fatalities_high={e.fatalities_high}" if e.fatalities_high is not None else "",
            f"injuries={e.injuries}" if e.injuries is not None else "",
            f"weapon={e.weapon}" if e.weapon else "",
            f"claimed_by={e.claimed_by}" if e.claimed_by else "",
            "background" if e.background else "",
            f"cameo={e.cameo}" if e.cameo else "",
            f"confidence={e.confidence}"]
    return {
        "event_id_cnty": event_id_cnty(e), "event_date": e.event_date.isoformat() if e.event_date else "",
        "year": e.event_date.year if e.event_date else "", "time_precision": e.time_precision,
        "disorder_type": e.disorder_type, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "actor1": e.actor1 or "", "assoc_actor_1": e.assoc_actor_1 or "", "inter1": e.inter1 or "",
        "actor2": e.actor2 or "", "assoc_actor_2": e.assoc_actor_2 or "", "inter2": e.inter2 or "",
        "interaction": interaction(e.inter1, e.inter2),
        "civilian_targeting": "Civilian targeting" if (e.actor2 or "").startswith("Civilians") else "",
        "iso": country.get("iso_numeric", ""), "region": country.get("region", ""), "country": e.country or "",
        "admin1": e.admin1 or "", "admin2": e.admin2 or "", "admin3": e.admin3 or "", "location": e.location or "",
        "latitude": e.latitude if e.latitude is not None else "",
        "longitude": e.longitude if e.longitude is not None else "",
        "geo_precision": e.geo_precision or 3, "source": outlets,  # 3: at most the province is known
        "source_scale": "Other-Multiple" if len(e.sources) > 1 else ("Other" if e.sources else ""),
        "notes": e.notes, "fatalities": e.fatalities, "tags": "; ".join(t for t in tags if t), "timestamp": timestamp(e),
    }


# OWASP "CSV Injection": a cell a spreadsheet would read as a formula starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ (or a tab or carriage
    return) gets a leading single quote, as OWASP recommends. Numbers (int, float) are left as they are:
    a longitude of -3.5 stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: dict[str, object]) -> dict[str, object]:
    return {k: neutralise_cell(v) for k, v in row.items()}


@contextmanager
def opened(target: str | Path | IO[str], mode: str = "w"):
    if isinstance(target, (str, Path)):
        with open(target, mode, encoding="utf-8", newline="") as fh:
            yield fh
    else:
        yield target


def write_acled_csv(events: Iterable[Event], target: str | Path | IO[str]) -> int:
    n = 0
    with opened(target) as fh:
        writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for e in events:
            writer.writerow(safe_row(acled_row(e)))
            n += 1
    return n


def write_jsonl(events: Iterable[Event], target: str | Path | IO[str]) -> int:
    n = 0
    with opened(target) as fh:
        for e in events:
            fh.write(e.model_dump_json() + "\n")
            n += 1
    return n


def feature(e: Event) -> dict:
    has_point = e.latitude is not None and e.longitude is not None
    return {
        "type": "Feature",
        "id": e.event_id,
        # RFC 7946: longitude first; an event with no coordinates has a null geometry.
        "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]} if has_point else None,
        "properties": e.model_dump(mode="json"),
    }


def flat_feature(e: Event) -> dict:
    """A feature whose properties are all scalars (for GIS tools that cannot read nested arrays): the
    sources, claims and evidence become counts and `; `-joined lists."""
    props = e.model_dump(mode="json", exclude={"sources", "claims", "evidence", "report_ids"})
    props.update(event_id_cnty=event_id_cnty(e), n_sources=len(e.sources),
                 source="; ".join(dict.fromkeys(s.outlet for s in e.sources if s.outlet)),
                 article_ids="; ".join(dict.fromkeys(s.article_id for s in e.sources)),
                 n_claims=len(e.claims))
    return {**feature(e), "properties": props}


def write_flat_geojson(events: Iterable[Event], target: str | Path | IO[str]) -> int:
    features = [flat_feature(e) for e in events]
    with opened(target) as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    return len(features)


def write_geojson(events: Iterable[Event], target: str | Path | IO[str]) -> int:
    features = [feature(e) for e in events]
    with opened(target) as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    return len(features)


def parquet_schema():
    import pyarrow as pa

    source = pa.struct([("article_id", pa.string()), ("outlet", pa.string()), ("url", pa.string()),
                        ("published", pa.date32()), ("title", pa.string())])
    claim = pa.struct([("field", pa.string()), ("value", pa.string()), ("claimed_by", pa.string()),
                       ("article_id", pa.string()), ("quote", pa.string()), ("outlet", pa.string()),
                       ("start", pa.int64()), ("end", pa.int64())])
    ev = pa.struct([("field", pa.string()), ("article_id", pa.string()), ("start", pa.int64()),
                    ("end", pa.int64()), ("text", pa.string())])
    s, i, f, d, b = pa.string(), pa.int64(), pa.float64(), pa.date32(), pa.bool_()
    return pa.schema([
        ("event_id", s), ("event_date", d), ("date_end", d), ("time_precision", i), ("disorder_type", s),
        ("event_type", s), ("sub_event_type", s), ("actor1", s), ("assoc_actor_1", s), ("actor2", s),
        ("assoc_actor_2", s), ("inter1", i), ("inter2", i), ("country", s), ("iso3", s), ("admin1", s),
        ("admin2", s), ("admin3", s), ("location", s), ("latitude", f), ("longitude", f), ("geo_precision", i),
        ("geonameid", i), ("fatalities", i), ("fatalities_low", i), ("fatalities_high", i), ("injuries", i),
        ("weapon", s), ("claimed_by", s), ("background", b), ("notes", s), ("cameo", s),
        ("sources", pa.list_(source)), ("claims", pa.list_(claim)), ("evidence", pa.list_(ev)),
        ("confidence", f), ("report_ids", pa.list_(s)),
    ])


def write_parquet(events: Iterable[Event], target: str | Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    rows = []
    for e in events:
        row = e.model_dump()
        # A claim's value is a number or a word ("several"): stored as text, as in the JSON.
        row["claims"] = [{**c, "value": None if c["value"] is None else str(c["value"])} for c in row["claims"]]
        rows.append({name: row[name] for name in schema.names})
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), str(target))
    return len(rows)


EXPORT_FORMATS: dict[str, Callable[[Iterable[Event], str | Path], int]] = {
    "acled-csv": write_acled_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
    "geojson-flat": write_flat_geojson,
    "parquet": write_parquet,
}


def to_text(events: Iterable[Event], fmt: str) -> str:
    """The CSV, JSON Lines or GeoJSON of some events, as a string (for the API)."""
    buffer = io.StringIO()
    EXPORT_FORMATS[fmt](events, buffer)
    return buffer.getvalue()
