"""One reading of what a user types, for the CLI, the API and the map: place filters folded and matched
against the stored names and the gazetteer's aliases ("Idlib" finds Idleb, "Daraa" finds Dar'a), actor
aliases made canonical ("Daesh"), a text searched in full (notes, places, actors and the articles), and
"did you mean" when a name matches nothing.

`resolve_query` takes the raw filters and the store's engine and returns an EventQuery that the store
runs, with the readings it made and the suggestions for names it could not place.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy.engine import Engine

from eventwatch.store.query import EventQuery


@dataclass(frozen=True)
class Resolution:
    """A resolved query: what the store runs, how names were read, and suggestions for unknown names."""

    query: EventQuery
    readings: tuple[str, ...] = ()  # "admin1 'Idlib' read as Idleb"
    suggestions: dict[str, list[str]] = field(default_factory=dict)  # filter -> close stored names
    typed: dict[str, str] = field(default_factory=dict)  # filter -> what the user typed

    def hint(self) -> str | None:
        """One line for a user who got nothing: "admin1 'Idlob' matches nothing stored; did you mean Idleb?"."""
        parts = []
        for name, close in self.suggestions.items():
            guess = f"; did you mean {' or '.join(close[:3])}?" if close else ""
            parts.append(f"{name} {self.typed.get(name, '')!r} matches nothing stored{guess}")
        return "; ".join(parts) or None


def folded(name: str) -> str:
    """The key two spellings of a name share: case, diacritics, apostrophes, articles and transliteration
    variants folded ("Dar'a", "Daraa" -> the same; "Khān Shaykhūn", "Khan Sheikhoun" -> the same)."""
    from eventwatch.gazetteer import name_key, phonetic_key

    return phonetic_key(name_key(name)).replace(" ", "")


@cache
def admin1_aliases() -> dict[str, tuple[tuple[str, str], ...]]:
    """Folded name -> ((ISO2 country, display admin1 name), ...): GeoNames names, ASCII names, ACLED's
    spellings (acled_admin1.tsv, the country profiles) and the press's aliases (profiles, sy_admin1.tsv)."""
    from eventwatch.gazetteer import admin1_rows, admin1_spellings, admin1_table, syria_admin1_rows

    display = admin1_table()
    out: dict[str, set[tuple[str, str]]] = {}
    for country, code, name, ascii_name in admin1_rows():
        shown = display.get((country, code), ascii_name)
        for n in (name, ascii_name, shown):
            out.setdefault(folded(n), set()).add((country, shown))
    for country, code, acled, aliases in admin1_spellings():
        if (country, code) in display:
            for n in (acled, *aliases):
                out.setdefault(folded(n), set()).add((country, display[(country, code)]))
    for code, row in syria_admin1_rows().items():
        for n in (row["acled_name"], *row["aliases"].split("|")):
            if n:
                out.setdefault(folded(n), set()).add(("SY", display[("SY", code)]))
    return {k: tuple(sorted(v)) for k, v in out.items()}


@cache
def country_names() -> dict[str, str]:
    """Folded name, alias, demonym, ISO2 or ISO3 code -> the country name events carry."""
    from eventwatch.export import countries as acled_countries
    from eventwatch.gazetteer import countries, country_aliases

    by_iso2 = {iso: c["name"] for iso, c in countries().items()}
    out: dict[str, str] = {}
    for key, (iso, _kind) in country_aliases().items():
        if iso in by_iso2:
            out[folded(key)] = by_iso2[iso]
    for iso, c in countries().items():
        out[iso.lower()] = c["name"]
        out[c["iso3"].lower()] = c["name"]
        out[folded(c["name"])] = c["name"]
    for name, row in acled_countries().items():
        out[row["iso3"].lower()] = name
        out[folded(name)] = name
    return out


def close_names(value: str, names: list[str], n: int = 3) -> list[str]:
    """Stored names that look like `value` once folded, closest first."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(folded(name), name)
    return [by_key[k] for k in difflib.get_close_matches(folded(value), list(by_key), n=n, cutoff=0.6)]


def resolve_admin1(value: str, stored: list[str], country: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The stored governorate names that `value` names (any spelling); () when none does."""
    from eventwatch.gazetteer import countries

    key = folded(value)
    names = {n for n in stored if folded(n) == key}
    iso_of = {c["name"]: iso for iso, c in countries().items()}
    wanted = {iso_of.get(c) for c in country} if country else None
    for iso, shown in admin1_aliases().get(key, ()):
        if wanted is None or iso in wanted:
            names.add(shown)
    return tuple(sorted(names))


def resolve_country(value: str, stored: list[str]) -> tuple[str, ...]:
    key = folded(value)
    names = {n for n in stored if folded(n) == key}
    plain = value.strip().lower()
    for k in (plain, key):
        if k in country_names():
            names.add(country_names()[k])
    return tuple(sorted(names))


def resolve_query(engine: Engine, *, since: dt.date | None = None, until: dt.date | None = None,
                  country: str | None = None, admin1: str | None = None, event_type: str | None = None,
                  sub_event_type: str | None = None, actor: str | None = None, text: str | None = None,
                  location: str | None = None, bbox: tuple[float, float, float, float] | None = None,
                  min_fatalities: int | None = None, background: bool | None = None, kind: str = "fused",
                  limit: int = 100, offset: int = 0, order: str = "-date") -> Resolution:
    """Read the filters as a user means them. Takes the store's engine (for the stored names) and the
    raw filters; returns the query to run (raises pydantic's ValidationError on impossible values),
    the readings made and, for each name that matches nothing, the closest stored names."""
    from eventwatch.resolve.actors import canonical_actor_name
    from eventwatch.store.search import distinct_values

    readings: list[str] = []
    typed = {k: v for k, v in (("country", country), ("admin1", admin1), ("location", location),
                                ("actor", actor), ("text", text)) if v}
    suggestions: dict[str, list[str]] = {}
    extra: dict = {}
    if country:
        stored = distinct_values(engine, "country")
        found = resolve_country(country, stored)
        extra["country_in"] = found or (country,)
        if not found:
            suggestions["country"] = close_names(country, stored)
    if admin1:
        stored = distinct_values(engine, "admin1")
        found = resolve_admin1(admin1, stored, extra.get("country_in"))
        extra["admin1_in"] = found or (admin1,)
        if found and set(found) != {admin1}:
            readings.append(f"admin1 {admin1!r} read as {', '.join(found)}")
        if not found:
            suggestions["admin1"] = close_names(admin1, stored)
    if location:
        stored = distinct_values(engine, "location")
        key = folded(location)
        found = tuple(n for n in stored if folded(n) == key)
        extra["location_in"] = found or (location,)
        if not found:
            suggestions["location"] = close_names(location, stored)
    canonical = canonical_actor_name(actor) if actor else None
    if actor and canonical != actor.strip():
        readings.append(f"actor {actor!r} read as {canonical}")
    if text and text.strip():
        key = folded(text)
        places = tuple(n for n in distinct_values(engine, "location") if folded(n) == key)
        extra["fulltext"] = text.strip()
        extra["location_in"] = tuple(sorted(set(places) | set(extra.get("location_in") or ())))
        named = canonical_actor_name(text)
        if named != text.strip():
            extra["actor_in"] = (named,)
    query = EventQuery(since=since, until=until, event_type=event_type, sub_event_type=sub_event_type,
                       actor=canonical, bbox=bbox, min_fatalities=min_fatalities, background=background,
                       kind=kind, limit=limit, offset=offset, order=order, **extra)
    return Resolution(query=query, readings=tuple(readings), suggestions=suggestions, typed=typed)


def suggest_for_text(engine: Engine, text: str) -> list[str]:
    """Stored places and governorates whose names look like a text that found nothing."""
    from eventwatch.store.search import distinct_values

    names = distinct_values(engine, "location") + distinct_values(engine, "admin1")
    return close_names(text, names)


@cache
def province_point(country: str | None, admin1: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) where an event known only to its province is drawn: the gazetteer's
    capital of that province (the seat for Syria, else the most populous place); None if unknown."""
    from eventwatch.gazetteer import countries, default_gazetteer

    if not country or not admin1:
        return None
    iso = next((code for code, c in countries().items() if c["name"] == country), None)
    if iso is None:
        return None
    gaz = default_gazetteer()
    code = gaz.admin1_code(iso, admin1)
    place = gaz.admin1_capital(iso, code) if code else None
    return (place.latitude, place.longitude) if place else None


TOWN_POPULATION = {7: 150_000, 8: 50_000, 9: 20_000, 10: 5_000}  # zoom -> smallest town labelled


def place_labels(bbox: tuple[float, float, float, float], zoom: int, limit: int = 150) -> list[dict]:
    """Names for the offline basemap (GeoNames, shipped with the gazetteer): provinces from zoom 5,
    placed at their largest town in view, and towns from zoom 7, larger ones first. Each label is
    {"kind": "admin1" | "town", "name", "latitude", "longitude"}; names in ASCII as ACLED writes them."""
    from eventwatch.gazetteer import admin1_table, ascii_spelling, default_gazetteer

    if zoom < 5:
        return []
    min_lon, min_lat, max_lon, max_lat = bbox
    db = default_gazetteer().db
    inside = "fclass='P' AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
    args = (min_lat, max_lat, min_lon, max_lon)
    out = []
    names = admin1_table()
    for country, code, lat, lon, _pop in db.execute(
            f"SELECT country, admin1, latitude, longitude, max(population) FROM place WHERE {inside} "
            "GROUP BY country, admin1 ORDER BY max(population) DESC LIMIT ?", (*args, limit)):
        name = names.get((country, code))
        if name:
            out.append({"kind": "admin1", "name": name, "latitude": lat, "longitude": lon})
    at_province = {(round(x["latitude"], 4), round(x["longitude"], 4)) for x in out}
    if zoom >= 7:
        smallest = TOWN_POPULATION[min(10, zoom)]
        for name, lat, lon in db.execute(
                f"SELECT name, latitude, longitude FROM place WHERE {inside} AND population >= ? "
                "ORDER BY population DESC LIMIT ?", (*args, smallest, limit)):
            if (round(lat, 4), round(lon, 4)) not in at_province:  # the province's name stands there
                out.append({"kind": "town", "name": ascii_spelling(name), "latitude": lat, "longitude": lon})
    return out
