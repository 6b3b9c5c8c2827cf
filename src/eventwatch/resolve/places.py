"""The event's place: choose among its place mentions, disambiguate by context, set the precision.

ACLED's rules for geo_precision: 1 when the report names the town or village; 2 when the event is "near"
a town, on the road between two, or in a small area (a district, "the countryside of Manbij"); 3 when only
the province is known ("rural Daraa", "Idlib province"), coded at the provincial capital. A place the
gazetteer lacks keeps the text's name, with the governorate the text gives, at precision 3.

Homonyms are told apart by the text around them: the governorate named next to the mention
(admin1_hint), a country named with it, the governorates the whole article names, the country the caller
expects, then population and kind of place (town, governorate, area).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from eventwatch.extract.datelines import find_dateline
from eventwatch.extract.places import find_place_mentions, text_countries
from eventwatch.gazetteer import (
    Candidate,
    Gazetteer,
    Place,
    ascii_spelling,
    country_aliases,
    default_gazetteer,
    district_tables,
    name_key,
)
from eventwatch.records import Event, PlaceMention, ResolvedPlace

ADMIN2_NOTE = "admin2 derived from the nearest district seat"
# A fuzzy or skeleton match is only trusted when the context agrees with it (same governorate or country);
# past this population a town of the article's country is trusted by its name alone.
KNOWN_TOWN_POPULATION = 20_000
# a place outside the article's countries this small is taken only where the text names its country
FOREIGN_TOWN_POPULATION = 100_000
FUZZY_COUNTRIES = 2  # the article's countries whose names a misspelt name is compared with
NAMED_WITH_IT = 150  # characters: a governorate this close to a place the gazetteer lacks is taken as its own


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the whole article says about where it is: governorates and countries it names, and the
    governorates it names as provinces ("Daraa province", "rural Daraa")."""

    admin1_counts: tuple[tuple[tuple[str, str], int], ...]  # ((country, admin1), count), most named first
    countries: tuple[str, ...]  # ISO2 of the countries its places lie in, most named first
    provinces: frozenset[tuple[str, str]]  # governorates named as provinces/countryside
    _named: dict = field(default_factory=dict, compare=False, repr=False)

    def admin1_share(self, country: str, admin1: str | None) -> float:
        total = self.total_named
        if not total or admin1 is None:
            return 0.0
        return self.admin1_named.get((country, admin1), 0) / total

    @property
    def total_named(self) -> int:
        return sum(self.admin1_named.values())

    @property
    def admin1_named(self) -> dict[tuple[str, str], int]:
        return self._named

    def __post_init__(self) -> None:
        # frozen with slots: the lookup table is set once here, so that each candidate costs a dict look-up
        named: dict[tuple[str, str], int] = {}
        for k, n in self.admin1_counts:
            named[k] = named.get(k, 0) + n
        object.__setattr__(self, "_named", named)

    @property
    def top_admin1(self) -> tuple[str, str] | None:
        return self.admin1_counts[0][0] if self.admin1_counts else None


@dataclass(frozen=True, slots=True)
class Resolution:
    mention: PlaceMention
    place: Place | None  # the gazetteer place (the capital for province-level events)
    precision: int
    country: str | None  # ISO2
    admin1: str | None
    province_only: bool  # coded at the governorate's capital because only the governorate is known
    note: str | None = None


def admin1_of(gaz: Gazetteer, place: Place) -> str | None:
    return gaz.admin1_name(place.country, place.admin1_code)


DISTRICT_CODES = frozenset({"ADM2", "ADM3", "ADM4", "ADM5"})


def is_district(place: Place) -> bool:
    """A second- or lower-order division (a district, LGA, county, municipality), not a province."""
    return place.feature_class == "A" and place.feature_code in DISTRICT_CODES


def is_admin1(place: Place) -> bool:
    """A province-level division (the gazetteer's admin1 places; a dump's other A places but districts)."""
    return place.feature_class == "A" and place.feature_code not in DISTRICT_CODES


def hint_country(gaz: Gazetteer, admin1_hint: str | None, country_hint: str | None,
                 prefer: str | None = None) -> str | None:
    """The country a mention's hints name; a province name several countries have ("Punjab") goes to
    `prefer` when it is one of them."""
    if country_hint:
        iso = country_aliases().get(name_key(country_hint))
        if iso:
            return iso[0]
    if admin1_hint:
        found = [country for country, _name in gaz.admin1_of_key(name_key(admin1_hint))]
        if prefer in found:
            return prefer
        return found[0] if found else None
    return None


def filed_from(text: str, gaz: Gazetteer) -> str | None:
    """The country of the dateline's city (its most populous namesake), if the text has a dateline."""
    dateline = find_dateline(text)
    if dateline is None:
        return None
    found = gaz.lookup(dateline.text.split(",")[0].strip().title(), fuzzy=False)
    return max(found, key=lambda c: c.place.population).place.country if found else None


def score_candidate(gaz: Gazetteer, c: Candidate, mention: PlaceMention, ctx: ArticleContext | None,
                    country: str | None, want_admin: bool) -> float:
    p = c.place
    a1 = admin1_of(gaz, p)
    s = 2.0 * c.score / 100.0
    if mention.admin1_hint:
        s += (2.0 if a1 == mention.admin1_hint else -1.0) if mention.admin1_hint_soft else (
            4.0 if a1 == mention.admin1_hint else -3.0)
    hinted = hint_country(gaz, None, mention.country_hint)
    if hinted:
        s += 3.0 if p.country == hinted else -2.0
    if country:
        s += 1.5 if p.country == country else 0.0
    if ctx is not None:
        s += 2.0 * ctx.admin1_share(p.country, a1)
        if p.country in ctx.countries:
            s += 1.0 if p.country == ctx.countries[0] else 0.5
    s += 0.8 * math.log10(p.population + 10) / 7.0
    if is_district(p):
        # "Hangu district", "Gwoza LGA": the district before a same-named town elsewhere
        s += 2.5 if mention.names_district else 0.0
    elif p.feature_class == "A":
        s += 1.5 if want_admin else 0.1
    elif p.feature_class == "P":
        s += 0.3
    return s


DISTRICT_TAIL = re.compile(r"\s+(?:district|LGA|local government area|county|tehsil|municipality|sub-?county|"
                           r"subdistrict|sub-district|regency|woreda)$", re.I)


def best_candidate(gaz: Gazetteer, name: str, mention: PlaceMention, ctx: ArticleContext | None,
                   country: str | None, want_admin: bool = False) -> Candidate | None:
    # the fuzzy scan covers the article's first countries
    candidates = gaz.lookup(name, focus=ctx.countries[:FUZZY_COUNTRIES] if ctx is not None else ())
    bare = DISTRICT_TAIL.sub("", name)
    if mention.names_district and bare != name and bare.strip():
        # Rule pl-district-bare (session 8, from the Bihar blast "in Bihar's Aurangabad district"): the gazetteer spells
        # "X district" for some namesakes only (Maharashtra's Aurangabad): the bare name finds the others
        seen = {c.place.place_id for c in candidates}
        candidates = candidates + [c for c in gaz.lookup(bare, fuzzy=False) if c.place.place_id not in seen]
    if not candidates:
        return None
    scored = sorted(candidates, key=lambda c: -score_candidate(gaz, c, mention, ctx, country, want_admin))
    best = scored[0]
    hint_iso = hint_country(gaz, mention.admin1_hint, mention.country_hint)
    if mention.admin1_hint and admin1_of(gaz, best.place) != mention.admin1_hint and (
            hint_iso is None or best.place.country == hint_iso) and not (
            mention.admin1_hint_soft and best.how == "exact"):
        return None  # the text puts it in another governorate: a place the gazetteer lacks
    if hint_iso and best.place.country != hint_iso:
        return None
    if best.how != "exact":
        # An approximate name is trusted only where the text points: its governorate, or its country when
        # the article names no governorate there ("Al-Quriyah ... in Deir Ezzor province" is no Al Qurayya
        # in As-Sweida; "Qalamun" is no Kalamon in Ivory Coast).
        a1 = admin1_of(gaz, best.place)
        hinted = bool(mention.admin1_hint) and a1 == mention.admin1_hint
        named_there = ctx is not None and any(c == best.place.country for (c, _), _ in ctx.admin1_counts)
        in_country = (country is not None and best.place.country == country) or bool(
            ctx is not None and ctx.countries and best.place.country == ctx.countries[0])
        if named_there:
            # a town this large is known by its name even where the article speaks of other governorates
            agrees = hinted or ctx.admin1_share(best.place.country, a1) > 0 or (
                in_country and best.place.population >= KNOWN_TOWN_POPULATION)
        else:
            agrees = hinted or in_country
        if not agrees:
            return None
    return best


def province_resolution(gaz: Gazetteer, mention: PlaceMention, country_iso: str, admin1: str,
                        note: str) -> Resolution:
    code = gaz.admin1_code(country_iso, admin1)
    capital = gaz.admin1_capital(country_iso, code) if code else None
    return Resolution(mention, capital, 3, country_iso, admin1, True, note)


def resolve_mention(gaz: Gazetteer, mention: PlaceMention, ctx: ArticleContext | None,
                    country: str | None) -> Resolution:
    """One mention on its own (context helps choose among homonyms)."""
    relation = mention.relation
    admin_words = relation in ("countryside", "province")
    best = best_candidate(gaz, mention.name, mention, ctx, country, want_admin=admin_words)
    if best is not None:
        place = best.place
        a1 = admin1_of(gaz, place)
        names_admin1 = any(is_admin1(c.place) and admin1_of(gaz, c.place) == a1
                           for c in gaz.lookup(mention.name)) if a1 else False
        if names_admin1 and (admin_words or (
                relation == "in" and ctx is not None and (place.country, a1) in ctx.provinces)):
            # "rural Daraa", "Daraa province", or a bare "Daraa" in an article that calls Daraa a province
            target = gaz.countryside_admin1(place.country, a1) if relation == "countryside" else a1
            return province_resolution(gaz, mention, place.country, target,
                                       f"province only ({relation} of {mention.name}): coordinates of its capital")
        if is_district(place):
            return district_resolution(gaz, mention, place, a1)
        if place.feature_class == "A":
            if relation == "in":
                # a governorate named alone: its chief town, if the name is also a town's
                town = next((c.place for c in gaz.lookup(mention.name)
                             if c.place.feature_class == "P" and admin1_of(gaz, c.place) == a1), None)
                if town is not None:
                    return Resolution(mention, town, 1, town.country, a1, False)
            return province_resolution(gaz, mention, place.country, a1 or "", "province only: coordinates of its capital")
        precision = 1
        note = None
        if relation in ("near", "outside", "countryside"):
            precision, note = 2, f"{relation} {mention.name}"
        elif relation == "between":
            precision = 2
            note = f"between {mention.name} and {mention.second_name}: coded at {mention.name}"
        elif place.feature_class in ("L", "T", "H", "A"):
            precision = 2  # an area ("Eastern Ghouta"), a mountain, a valley
        return Resolution(mention, place, precision, place.country, a1, False, note)

    # Not in the gazetteer: keep the text's name, with the governorate the text gives.
    iso = hint_country(gaz, mention.admin1_hint, mention.country_hint) or country
    if mention.admin1_hint and iso:
        return unknown_place_in(gaz, mention, iso, mention.admin1_hint,
                                "place not in the gazetteer: coordinates of its governorate's capital")
    return Resolution(mention, None, 3, iso, None, False, "place not in the gazetteer")


def district_resolution(gaz: Gazetteer, mention: PlaceMention, district: Place, a1: str | None) -> Resolution:
    """A district (admin2) named as the event's place: its seat town when a town of that name lies in the same
    admin1 (precision 1, or 2 when the text says "district"), else the district itself at its seat's coordinates
    (precision 2)."""
    town = next((c.place for c in gaz.lookup(district.name, country=district.country, fuzzy=False)
                 if c.place.feature_class == "P" and c.place.country == district.country
                 and c.place.admin1_code == district.admin1_code), None)
    if town is not None:
        precision = 2 if mention.names_district else 1
        return Resolution(mention, town, precision, town.country, a1, False,
                          f"{district.name} district: coded at its seat" if precision == 2 else None)
    return Resolution(mention, district, 2, district.country, a1, False, f"{district.name} district")


def unknown_place_in(gaz: Gazetteer, mention: PlaceMention, country_iso: str, admin1: str, note: str) -> Resolution:
    """A place the gazetteer lacks, kept by its own name in the governorate the text gives, at the
    governorate's capital (precision 3)."""
    res = province_resolution(gaz, mention, country_iso, admin1, note)
    return Resolution(mention, res.place, 3, country_iso, admin1, False, res.note)


def is_area(r: Resolution) -> bool:
    """A region, mountain range, plain or valley ("Qalamoun", "Eastern Ghouta"), not a town."""
    return r.place is not None and r.place.feature_class in ("L", "T")


# Rule pl-narrower (session 8, from Sudan Tribune's "in Khartoum's twin city of Omdurman" and SaharaReporters' "The police
# in Katsina ... an attack by gunmen on Shau Village in ... Faskari Local Government Area"): a first mention that names
# a province (even where a town bears its name) or a district gives way to a town inside it named right after
# (within NARROWER_WITHIN characters): ACLED codes the most precise place the report gives.
NARROWER_WITHIN = 250


def broad(r: Resolution) -> bool:
    """A province or a district rather than a town: coded at the province, or a name that is a province's too."""
    if r.province_only or is_area(r):
        return True
    if r.place is None or r.mention.relation != "in":
        return False
    return r.mention.names_province or is_district(r.place) or bool(r.note and r.note.endswith(" district"))


# "the Gourma province town of Ouagarou", "Shau Village": a place the gazetteer lacks that the wording calls a town
MARKED_BEFORE = re.compile(r"\b(?:town|village|city|hamlet|community|locality|settlement|commune)\s+of\s+(?:the\s+)?$",
                           re.I)
MARKED_AFTER = re.compile(r"^(?:\s+|.*\s)(?:town|village|hamlet|locality|settlement|commune)$", re.I)


def unknown(r: Resolution) -> bool:
    """A place the gazetteer lacks (kept by its name, at its governorate's capital when the text gives one)."""
    return r.place is None or (r.precision == 3 and not r.province_only)


def marked_town(r: Resolution, text: str | None) -> bool:
    """A place the gazetteer lacks, written as a town or village ("the town of X", "X village")."""
    if not unknown(r) or text is None:
        return False
    start = r.mention.span.start
    return bool(MARKED_BEFORE.search(text[max(0, start - 30):start]) or MARKED_AFTER.match(" " + r.mention.name)
                or re.match(r"\s+(?:town|village|hamlet|locality|settlement|commune)\b(?!\s+of\b)", text[r.mention.span.end:
                                                                                           r.mention.span.end + 12], re.I))


def narrower(first: Resolution, r: Resolution, text: str | None = None) -> bool:
    """A town or village of the event inside `first`'s province, named within NARROWER_WITHIN characters after it."""
    if not 0 < r.mention.span.start - first.mention.span.start <= NARROWER_WITHIN:
        return False
    if marked_town(r, text) and r.admin1 in (None, first.admin1) and r.country in (None, first.country) \
            and not r.mention.names_province:
        return True
    if unknown(r) or r.province_only or is_area(r) or r.mention.names_province or is_district(r.place):
        return False
    return r.country == first.country and r.admin1 is not None and r.admin1 == first.admin1


def choose(resolutions: list[Resolution], gaz: Gazetteer | None = None, text: str | None = None) -> Resolution:
    """The first mention, unless it only names a province or a region and a later one is a town inside it
    ("in rural Daraa ... in Melihit al-Atash town, rural Daraa"; "the barrens of the town of Qara in Qalamoun")."""
    first = resolutions[0]
    if first.mention.relation == "near" and first.place is not None:
        # Rule pl-near-then-in (session 8, from the AP's Sinaloa report "clash near Mazatlan ... in the town of Villa
        # Union"): an event first placed near a town, then in a town of the same province, is in that town
        inside = next((r for r in resolutions[1:] if r.mention.relation == "in" and r.place is not None
                       and not unknown(r) and not r.province_only and not is_area(r) and not r.mention.names_province
                       and r.country == first.country and r.admin1 == first.admin1
                       and r.place.geonameid != first.place.geonameid), None)
        if inside is not None:
            return inside
    if broad(first):
        inside = next((r for r in resolutions[1:] if narrower(first, r, text)), None)
        if inside is not None and inside.admin1 is None and gaz is not None and first.country and first.admin1:
            return unknown_place_in(gaz, inside.mention, first.country, first.admin1,
                                    f"place not in the gazetteer: in {first.mention.name}, named before it")
        if inside is not None:
            return inside
    if not first.province_only and not is_area(first):
        return first
    for r in resolutions[1:]:
        if r.province_only or r.admin1 is None or is_area(r) or (is_area(first) and r.precision >= 3):
            continue
        if r.admin1 == first.admin1 and r.country == first.country:
            return r
    return first


CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}")


LEAD_CHARS = 400  # the headline and the first sentences
LOCATED_IN = re.compile(r"\b(?:in|inside|across|throughout)\s+(?:(?:northern|southern|eastern|western|central)\s+)?$",
                        re.I)


def countries_named(text: str) -> set[str]:
    """ISO2 codes of the countries a text's lead names ("Only the second day into 2019 and Colombia has already
    lost two social leaders"), or that it names anywhere as where things happen ("in Colombia"); names, not
    demonyms (a demonym is often a foreign actor's)."""
    aliases = country_aliases()
    found: set[str] = set()
    for m in CAPITALISED_RUN.finditer(text):
        words = m.group().split()
        # the run and each of its prefixes and single words: "Democratic Republic of Congo", "Congo"
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                hit = aliases.get(name_key(" ".join(words[i:j])))
                if hit:
                    if hit[1] != "demonym" and (m.start() < LEAD_CHARS or LOCATED_IN.search(
                            text, max(0, m.start() - 25), m.start())):
                        found.add(hit[0])
                    break
    return found


@lru_cache(maxsize=256)
def article_context(text: str, gaz: Gazetteer) -> ArticleContext:
    dateline = find_dateline(text)
    # where the report was filed from says nothing of where its events are
    mentions = [m for m in find_place_mentions(text, gazetteer=gaz)
                if dateline is None or not dateline.start <= m.span.start < dateline.end]
    counts: Counter[tuple[str, str]] = Counter()
    country_counts: Counter[str] = Counter()
    provinces: set[tuple[str, str]] = set()
    bare = []
    filed = filed_from(text, gaz)
    for m in mentions:
        iso = hint_country(gaz, m.admin1_hint, m.country_hint, prefer=filed)
        if m.admin1_hint and iso:
            # a province the text names as one ("Bauchi State", "rural Daraa") counts double
            weight = 2 if m.relation in ("countryside", "province") else 1
            counts[(iso, m.admin1_hint)] += weight
            country_counts[iso] += weight
            if m.relation in ("countryside", "province"):
                provinces.add((iso, m.admin1_hint))
            continue
        bare.append(m)
    # ... and the countries the text names ("Colombia has already lost two social leaders"): a bare "Suarez"
    # is Colombia's before Mexico's
    pointed = text_countries(text, gazetteer=gaz)  # rule pl-focus, as extract read the text
    named = {c for c, _ in provinces} | ({filed} if filed else set()) | countries_named(text)
    for m in bare:
        candidates = gaz.lookup(m.name, fuzzy=False)
        exact = [c for c in candidates if c.how == "exact"]
        if not exact:
            continue
        # a bare name in an article that names provinces of some countries is taken there if it can be
        # ("Toro LGA of Bauchi State" is Nigeria's Toro, not California's)
        # (else in one the text points to: its country names, provinces, districts, cities, rule pl-focus)
        exact = [c for c in exact if c.place.country in named] or [
            c for c in exact if c.place.country in pointed] or exact
        # a province when the text says so or nothing else bears the name; else the most populous namesake
        # ("Portland" is Oregon's city before Jamaica's parish)
        towns = [c for c in exact if c.place.feature_class != "A"]
        if m.names_district and any(is_district(c.place) for c in exact):
            best = max((c for c in exact if is_district(c.place)),
                       key=lambda c: (c.place.country in named, c.place.country in pointed))
        elif m.relation in ("countryside", "province") or not towns:
            best = max(exact, key=lambda c: (is_admin1(c.place), c.place.population))
        else:
            best = max(towns, key=lambda c: c.place.population)
            same_region = [c for c in exact if is_admin1(c.place) and c.place.country == best.place.country
                           and admin1_of(gaz, c.place) == admin1_of(gaz, best.place)]
            best = same_region[0] if same_region else best
        a1 = admin1_of(gaz, best.place)
        if a1:
            counts[(best.place.country, a1)] += 1
        country_counts[best.place.country] += 1
    first_seen = {k: i for i, k in reversed(list(enumerate(counts)))}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
    ranked = [c for c, _ in country_counts.most_common()]
    # the countries the text points to, when its places do not say
    ranked = ranked or list(pointed)
    return ArticleContext(tuple(ordered), tuple(ranked), frozenset(provinces))


# Rule pl-name-type (session 8, from SaharaReporters' "an attack by gunmen on Shau Village"): the place-type word the
# text writes with a name the gazetteer lacks ("Shau Village", "Mafa Community") is no part of the name ACLED codes
TYPE_TAIL = re.compile(r"\s+(?:village|town|community|hamlet|settlement|locality)$", re.I)


def unknown_name(name: str) -> str:
    stripped = TYPE_TAIL.sub("", name)
    return stripped if stripped.strip() else name


def to_resolved_place(gaz: Gazetteer, r: Resolution, article_id: str) -> ResolvedPlace:
    place = r.place
    notes = [r.note] if r.note else []
    admin2 = None
    if place is not None and not r.province_only and r.precision < 3:
        admin2 = gaz.admin2_name(place)
        if admin2 and place.country in district_tables():
            notes.append(ADMIN2_NOTE)
    if r.province_only:
        location, geonameid = r.admin1 or r.mention.name, None
    elif place is None or r.precision == 3:  # not in the gazetteer: the text's name
        location, geonameid = unknown_name(r.mention.name), None
    else:
        location = ascii_spelling(place.name)  # ACLED's spelling: no transliteration diacritics
        geonameid = place.geonameid if place.source in ("cities500", "dump") else None
    return ResolvedPlace(
        location=location,
        latitude=place.latitude if place is not None else None,
        longitude=place.longitude if place is not None else None,
        geo_precision=r.precision,  # type: ignore[arg-type]
        geonameid=geonameid,
        country=gaz.country_name(r.country),
        iso3=gaz.country_iso3(r.country),
        admin1=r.admin1,
        admin2=admin2,
        note="; ".join(notes) or None,
        evidence=[r.mention.span.evidence("location", article_id)],
    )


def resolve_place(mentions: list[PlaceMention], *, text: str | None = None, country: str | None = None,
                  gazetteer: Gazetteer | None = None, article_id: str = "",
                  focus: tuple[str, ...] = (), not_a_place=None) -> ResolvedPlace | None:
    """The event's place from the place mentions of that event (first = most relevant).

    `text` (the article's cleaned text) lets the article's other places disambiguate; `country` (ISO2) is
    the country the caller expects, a weak prior; `focus` (ISO2 codes) are the countries the article is
    about: a small town elsewhere that the text does not tie to its country ("Thomson" in a byline, a
    namesake abroad) is no place of the event; `not_a_place(name)` says which capitalised words the
    gazetteer lacks are no place names at all (actors, demonyms, event words: "Gunmen", "Ugandan", "Protests").
    """
    gaz = gazetteer or default_gazetteer()
    if not_a_place is not None:
        mentions = [m for m in mentions if not not_a_place(m.name)]
    if not mentions:
        return None
    ctx = article_context(text, gaz) if text else None
    resolutions = [resolve_mention(gaz, m, ctx, country) for m in mentions]
    if focus:
        resolutions = [r for r in resolutions if r.country in focus or r.place is None or r.mention.country_hint
                       or r.place.population >= FOREIGN_TOWN_POPULATION or r.place.feature_class == "A"]
        if not resolutions:
            return None
    if country:
        # a dateline ("BEIRUT"), a capital that comments, a homonym abroad: the expected country's places first
        inside = [r for r in resolutions if r.country == country]
        named = next((a1 for (c, a1), _n in ctx.admin1_counts if c == country), None) if ctx else None
        if not inside and named and all(r.country != country for r in resolutions):
            # Every place of the event lies abroad (a border town the shells came from, a capital that
            # commented) in an article about the expected country that names one of its governorates:
            # the event is placed there, at governorate precision.
            inside = [province_resolution(gaz, mentions[0], country, named,
                                          "places named abroad: the governorate the article names most")]
        resolutions = inside or resolutions
    first = resolutions[0]
    if first.place is None and first.admin1 is None:
        # "the town of Urum al Kubra in the opposition-held western Aleppo countryside": a place the gazetteer
        # lacks, with the governorate the event's other places are in
        same_country = [r for r in resolutions[1:] if r.admin1 and r.country and r.country == (first.country or r.country)]
        other = next((r for r in same_country
                      if abs(r.mention.span.start - first.mention.span.start) <= NAMED_WITH_IT), None)
        # else the governorate of the event's other places, if they agree on one ("travelling in the region of
        # Alatona ... a truck that had left the town of Diabaly hit the bomb")
        if other is None and same_country and len({(r.country, r.admin1) for r in same_country}) == 1:
            other = same_country[0]
        if other is not None:
            resolutions = [unknown_place_in(gaz, first.mention, other.country, other.admin1,
                                            f"place not in the gazetteer: the governorate of {other.mention.name}, "
                                            "named with it")]
    return to_resolved_place(gaz, choose(resolutions, gaz, text), article_id)


def admin1_from_text(text: str, *, country: str | None = None, gazetteer: Gazetteer | None = None) -> str | None:
    """The governorate the text names most (through its places), ties going to the first named; with
    `country` (ISO2), the most named governorate of that country."""
    gaz = gazetteer or default_gazetteer()
    for (c, admin1), _n in article_context(text, gaz).admin1_counts:
        if country is None or c == country:
            return admin1
    return None


def missing_places(events: Iterable[Event]) -> list[tuple[str, str | None, int]]:
    """Places the gazetteer lacks: (name, admin1, number of events) over events whose location has no
    geonameid and was not found (geo_precision 3 under its own name), most frequent first. Governorate-only
    events and places of the supplement or the user's overlay (found, but without a GeoNames id) are not
    missing."""
    counts: Counter[tuple[str, str | None]] = Counter()
    for e in events:
        if e.location and e.geonameid is None and e.location != e.admin1 and e.geo_precision in (None, 3):
            counts[(e.location, e.admin1)] += 1
    return [(name, admin1, n) for (name, admin1), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]
