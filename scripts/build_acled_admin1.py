"""Build data/gazetteer/acled_admin1.tsv: ACLED's spellings of first-order divisions (admin1), each mapped to
its GeoNames admin1 code (development only: the package ships the result; `rdata` is not a dependency).

The evidence is the public sample data of ACLED's R packages: dtacled/acledR (`data/acled_old_deletion_dummy.rda`,
`data/acled_old_dummy.rda`, and `data/acled_deletion_old_dummy_n3.rda` of its history: events of January-June
2022) and andybega/acledr (`data/acled_sample.rda`, events of 2001-2019). Only the distinct (country, admin1)
pairs are kept, not the events. Each pair is mapped to a GeoNames code of admin1.tsv by

  name    its name key (gazetteer.name_key) equals that of a GeoNames name or ASCII name of the country
          (also without a type word: "Kandahar Province"), or of a spelling in a country profile, and the
          events' coordinates do not point to another division;
  points  the events' coordinates: the admin1 of the nearest GeoNames place (within 25 km) of each event,
          taken when at least two thirds of the events agree and the name is like the GeoNames one
          (rapidfuzz WRatio >= 60) or at least three events agree;
  checked the table CHECKED below (looked at by hand, with the reason).

A pair none of these maps is printed for a look and left out (GeoNames' name then stays the display name), as
are the countries of OTHER_LEVEL and a division that one sample names in two ways (ACLED's division is finer
than GeoNames' there). Where the two samples spell a division differently, the newer spelling is shown and the
older one kept as another spelling. Run with the gazetteer index built (any eventwatch run builds it), the
`rdata` package installed, and the .rda files brought out of the two repositories:

    git -C acledR show HEAD:data/acled_old_deletion_dummy.rda > /tmp/a.rda   # and the others
    python scripts/build_acled_admin1.py acledR-2022=/tmp/a.rda acledR-2022=/tmp/b.rda acledr=/tmp/c.rda
"""

from __future__ import annotations

import argparse
import collections
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwatch" / "data" / "gazetteer" / "acled_admin1.tsv"
NEAR_KM = 25.0
AGREE = 2 / 3
LIKE = 60.0
# The samples, newest first: where two spell a division differently, the newer spelling is shown.
NEWEST_FIRST = ("acledR-2022", "acledr")

# (ISO2, ACLED's admin1) -> (GeoNames admin1 codes, "|"-separated, or "" to leave the pair out; why).
# Each looked at by hand: the pairs the name and the points disagree on, or that neither maps.
CHECKED: dict[tuple[str, str], tuple[str, str]] = {
    # the name is right; the events lie near a border, on the nearest place's side of it
    ("AF", "Kapisa"): ("14", "name; events near the Parwan border"),
    ("AT", "Salzburg"): ("05", "name; event near the Upper Austria border"),
    ("BH", "Northern"): ("19", "name; event near Manama"),
    ("BM", "Pembroke"): ("05", "name; event beside Hamilton"),
    ("BO", "Potosi"): ("07", "name; event near the Chuquisaca border"),
    ("DZ", "Ain Defla"): ("35", "name; event near the Tissemsilt border"),
    ("EG", "Cairo"): ("11", "name; event across the Nile, near Giza"),
    ("ET", "SNNP"): ("54", "SNNPR; the events' nearest places carry a newer code that admin1.tsv lacks"),
    ("GW", "Bissau"): ("11", "name"),
    ("ID", "West Papua"): ("39", "name; the event's place carries a newer code (Southwest Papua, 2022)"),
    ("IN", "Goa"): ("33", "name; event near the Maharashtra border"),
    ("JM", "Kingston"): ("17", "name; event in St. Andrew's part of the city"),
    ("KE", "Baringo"): ("10", "name; event near the Nakuru border"),
    ("SB", "Guadalcanal"): ("06", "name; event near Honiara"),
    ("SY", "Quneitra"): ("03", "name; event near the Daraa border"),
    ("TH", "Nakhon Nayok"): ("43", "name; event near the Prachin Buri border"),
    ("TT", "Siparia"): ("SIP", "name; event near Point Fortin"),
    ("VN", "Hanoi"): ("44", "name"),
    ("ZA", "Northern Cape"): ("08", "name; event near the North West border"),
    # the same division under another name (GeoNames' English or local name)
    ("AZ", "Kelbecer"): ("26", "Kalbajar (Kelbecer in Azerbaijani)"),
    ("CZ", "Moravian-Silesian"): ("85", "Moravskoslezsky kraj"),
    ("CZ", "Prague"): ("52", "Hlavni mesto Praha"),
    ("CZ", "South Bohemia"): ("79", "Jihocesky kraj"),
    ("CZ", "Usti nad Labem"): ("89", "Ustecky kraj"),
    ("DK", "Hovedstaden"): ("17", "Capital Region"),
    ("DK", "Midtjylland"): ("18", "Central Jutland"),
    ("DK", "Nordjylland"): ("19", "North Denmark"),
    ("FI", "Etela-Pohjanmaa"): ("14", "South Ostrobothnia"),
    ("FI", "Pohjois-Karjala"): ("12", "North Karelia"),
    ("FI", "Pohjois-Pohjanmaa"): ("17", "North Ostrobothnia"),
    ("FI", "Varsinais-Suomi"): ("02", "Southwest Finland"),
    ("GT", "Suchitepequez"): ("20", "GeoNames' Suchitepeque"),
    ("KR", "Seoul Special City"): ("11", "Seoul; some events in Gyeonggi's suburbs"),
    ("KZ", "Almaty"): ("01", "the region (Almaty Oblysy); the city is ACLED's Almaty City"),
    ("KZ", "Kostanay"): ("13", "Qostanay"),
    ("KZ", "Qaraghandy"): ("12", "Karaganda"),
    ("MA", "Eddakhla-Oued Eddahab"): ("12", "Dakhla-Oued Ed-Dahab"),
    ("MV", "Male City"): ("40", "Male"),
    ("PE", "Lima"): ("LMA|15", "ACLED's Lima is the department: GeoNames' Lima (the city) and Lima region"),
    ("PK", "FATA"): ("03", "the tribal areas, merged into Khyber Pakhtunkhwa in 2018 (older sample)"),
    ("PK", "Federal Capital Territory"): ("08", "Islamabad"),
    ("PL", "Dolnoslaskie"): ("72", "Lower Silesia"),
    ("PL", "Malopolskie"): ("77", "Lesser Poland"),
    ("PL", "Podkarpackie"): ("80", "Subcarpathia"),
    ("PL", "Pomorskie"): ("82", "Pomerania"),
    ("PL", "Slaskie"): ("83", "Silesia"),
    ("PL", "Wielkopolskie"): ("86", "Greater Poland"),
    ("PL", "Zachodniopomorskie"): ("87", "West Pomerania"),
    ("RU", "Zabaykalskiy"): ("93", "Transbaikal Territory"),
    ("TN", "Bizerte"): ("18", "Banzart"),
    ("TN", "Kasserine"): ("02", "Al Qasrayn"),
    ("TN", "Tozeur"): ("35", "Tawzar"),
    ("UZ", "Tashkent"): ("14", "the region (GeoNames' Toshkent); the city is ACLED's Tashkent City"),
    ("UZ", "Tashkent City"): ("13", "the city (GeoNames' Tashkent)"),
    ("XK", "Peja"): ("10097359", "Pec"),
    # ACLED's division is not GeoNames' (finer or coarser, or another country's): GeoNames' name stays
    ("AZ", "Hadrut"): ("", "a former district of Nagorno-Karabakh, not a GeoNames rayon"),
    ("AZ", "Shahumyan"): ("", "a former district of Nagorno-Karabakh, not a GeoNames rayon"),
    ("CN", "Hong Kong"): ("", "GeoNames' own country HK"),
    ("CW", "Curacao"): ("", "GeoNames has no admin1 for it"),
    ("CY", "British Sovereign Base Area"): ("", "not a GeoNames division of Cyprus"),
    ("GG", "Guernsey"): ("", "GeoNames' parishes"),
    ("GM", "Brikama"): ("", "a local government area; GeoNames has the divisions"),
    ("GR", "Aegean"): ("", "a decentralised administration of two GeoNames regions"),
    ("GR", "Macedonia-Thrace"): ("", "a decentralised administration of two GeoNames regions"),
    ("GR", "Peloponnese-Western Greece-Ionian Islands"): ("", "a decentralised administration of three"),
    ("GR", "Thessaly-Central Greece"): ("", "a decentralised administration of two GeoNames regions"),
    ("LY", "East"): ("", "ACLED's older regions; GeoNames: districts"),
    ("LY", "South"): ("", "ACLED's older regions; GeoNames: districts"),
    ("LY", "West"): ("", "ACLED's older regions; GeoNames: districts"),
    ("MM", "Bago-East"): ("", "half of GeoNames' Bago"),
    ("MM", "Bago-West"): ("", "half of GeoNames' Bago"),
    ("MM", "Shan-East"): ("", "a third of GeoNames' Shan"),
    ("MM", "Shan-North"): ("", "a third of GeoNames' Shan"),
    ("MM", "Shan-South"): ("", "a third of GeoNames' Shan"),
    ("MT", "South Eastern"): ("", "a region; GeoNames: local councils"),
    ("MT", "Southern"): ("", "a region; GeoNames: local councils"),
    ("NO", "Svalbard"): ("", "GeoNames' own country SJ"),
    ("RU", "Altai"): ("", "the republic or the krai: the name and the one event disagree"),
    ("SD", "Abyei"): ("", "not a GeoNames division"),
    ("SG", "Central Singapore"): ("", "GeoNames has no admin1 for it"),
    ("TC", "Grand Turk"): ("", "GeoNames has no admin1 for it"),
}
# Countries whose ACLED admin1 are of another level than GeoNames' admin1: left out whole.
OTHER_LEVEL = {
    "GP": "arrondissements; GeoNames: one code", "MQ": "arrondissements; GeoNames: one code",
    "RE": "arrondissements; GeoNames: one code", "IE": "counties; GeoNames: provinces",
    "RS": "districts; GeoNames: Central Serbia and Vojvodina", "TW": "cities and counties; GeoNames: 4 provinces",
}

HEADER = """\
# ACLED's spellings of first-order divisions (admin1), mapped to GeoNames admin1 codes (admin1.tsv).
# Source: the distinct (country, admin1) pairs of the public sample data of ACLED's R packages: github
#   dtacled/acledR (data/*.rda, events of January-June 2022) and andybega/acledr (data/acled_sample.rda,
#   2001-2019). Names only (facts); the events themselves are ACLED's and are not reproduced. Mapping by
#   eventwatch (names, the events' coordinates against GeoNames, and a look by hand).
# Built by scripts/build_acled_admin1.py. Licence of this table: CC-BY 4.0 (GeoNames codes).
# country: ISO 3166-1 alpha-2; code: GeoNames admin1 code; acled_name: ACLED's spelling, written as an
#   event's admin1 and matched in text like GeoNames' names;
# other_spellings: ACLED's spellings of the division in the older sample ("|"-separated: matched in text,
#   not written); matched_by: name (same name key as a GeoNames name), points (the events' coordinates fall
#   in the division), checked (looked at by hand); seen_in: the sample(s) with the spelling shown.
# Countries and divisions the samples lack keep GeoNames' name (or a country profile's `admin1:` spelling).
"""


def read_pairs(specs: list[str]) -> dict[tuple[int, str, str], dict]:
    """(ISO numeric, ACLED country, admin1) -> {"points": {(lat, lon)}, "seen": {label}}."""
    import rdata

    pairs: dict[tuple[int, str, str], dict] = {}
    for spec in specs:
        label, _, path = spec.partition("=")
        if label not in NEWEST_FIRST:
            raise SystemExit(f"{spec}: the label is one of {NEWEST_FIRST}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames = rdata.read_rda(path)
        for frame in frames.values():
            if not hasattr(frame, "columns") or "admin1" not in frame.columns:
                continue
            for r in frame[["iso", "country", "admin1", "latitude", "longitude"]].itertuples(index=False):
                if not isinstance(r.admin1, str) or not r.admin1.strip():
                    continue
                row = pairs.setdefault((int(r.iso), r.country, r.admin1.strip()), {"points": set(), "seen": set()})
                row["points"].add((float(r.latitude), float(r.longitude)))
                row["seen"].add(label)
    return pairs


def nearest_admin1(db, country: str, lat: float, lon: float) -> str | None:
    from eventwatch.gazetteer import haversine_km

    d = 0.3
    best, best_km = None, NEAR_KM
    for admin1, plat, plon in db.execute(
            "SELECT admin1, latitude, longitude FROM place WHERE country=? AND fclass='P' AND admin1 != '' "
            "AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?",
            (country, lat - d, lat + d, lon - d, lon + d)):
        km = haversine_km(lat, lon, plat, plon)
        if km < best_km:
            best, best_km = admin1, km
    return best


def age(seen: set[str]) -> int:
    return min(NEWEST_FIRST.index(s) for s in seen)


def main(argv: list[str] | None = None) -> int:
    from rapidfuzz import fuzz

    from eventwatch.gazetteer import (
        admin1_rows,
        bare_admin1,
        countries,
        default_gazetteer,
        name_key,
        profile_admin1,
    )

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rda", nargs="+", help="LABEL=PATH of an .rda file with iso, country, admin1, latitude, longitude")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    iso2_of = {int(c["isonumeric"]): iso for iso, c in countries().items() if c.get("isonumeric")}
    iso2_named = {name_key(c["name"]): iso for iso, c in countries().items()}
    names: dict[str, dict[str, str]] = collections.defaultdict(dict)  # ISO2 -> name key -> code
    shown: dict[tuple[str, str], str] = {}
    for country, a1, name, ascii_name in admin1_rows():
        shown[(country, a1)] = ascii_name
        for n in (name, ascii_name, bare_admin1(ascii_name)):
            names[country].setdefault(name_key(n), a1)
    for country, a1, acled, aliases in profile_admin1():
        for n in (acled, *aliases):
            names[country].setdefault(name_key(n), a1)
    db = default_gazetteer().db

    found: dict[tuple[str, str], list[tuple[str, str, set[str]]]] = collections.defaultdict(list)
    review = []
    for (iso_n, acled_country, admin1), info in sorted(read_pairs(args.rda).items()):
        country = iso2_of.get(iso_n) or iso2_named.get(name_key(acled_country))  # Kosovo: ACLED's iso is 0
        if country is None:
            review.append(f"{acled_country} ({iso_n}) / {admin1}: no ISO2 for the country")
            continue
        if country in OTHER_LEVEL:
            continue
        by_name = names[country].get(name_key(admin1))
        votes = collections.Counter(nearest_admin1(db, country, lat, lon) for lat, lon in info["points"])
        votes.pop(None, None)
        top, n = votes.most_common(1)[0] if votes else (None, 0)
        agreed = bool(top) and n / len(info["points"]) >= AGREE
        like = fuzz.WRatio(name_key(admin1), name_key(shown.get((country, top or ""), ""))) if top else 0.0
        checked = CHECKED.get((country, admin1))
        if checked is not None:
            codes, how = [c for c in checked[0].split("|") if c], "checked"
        elif by_name and not (agreed and top != by_name):
            codes, how = [by_name], "name"
        elif not by_name and agreed and (like >= LIKE or n >= 3):
            codes, how = [top], "points"
        else:
            review.append(f"{country} / {admin1}: name -> {by_name} {shown.get((country, by_name or ''))}, "
                          f"points -> {dict(votes)} of {len(info['points'])} "
                          f"({', '.join(shown.get((country, c or ''), '?') for c in votes)})")
            continue
        for code in codes:
            if (country, code) not in shown:
                review.append(f"{country} / {admin1}: {code} is not in admin1.tsv")
                continue
            found[(country, code)].append((admin1, how, info["seen"]))

    rows = []
    for (country, code), spellings in sorted(found.items()):
        spellings.sort(key=lambda s: (age(s[2]), s[0]))
        newest = [s for s in spellings if age(s[2]) == age(spellings[0][2])]
        if len(newest) > 1:
            review.append(f"{country}.{code} ({shown[(country, code)]}): one sample names it "
                          f"{[s[0] for s in newest]}: left out")
            continue
        name, how, seen = spellings[0]
        others = "|".join(s[0] for s in spellings[1:] if name_key(s[0]) != name_key(name))
        rows.append((country, code, name, others, how, ",".join(s for s in NEWEST_FIRST if s in seen)))
    lines = [HEADER + "country\tcode\tacled_name\tother_spellings\tmatched_by\tseen_in"]
    lines += ["\t".join(r) for r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} ACLED admin1 spellings of {len({r[0] for r in rows})} countries in {args.out}; "
          f"{sum(r[4] == 'points' for r in rows)} by points, {len(review)} to look at:", file=sys.stderr)
    for line in review:
        print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
