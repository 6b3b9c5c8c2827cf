"""Checks of data/gazetteer/acled_admin1.tsv (ACLED's admin1 spellings, from the sample data of ACLED's R
packages, mapped to GeoNames codes by scripts/build_acled_admin1.py) and of its agreement with the country
profiles' `admin1:` lists."""

from __future__ import annotations

import pytest

from eventwatch.gazetteer import (
    acled_admin1,
    admin1_codes_by_key,
    admin1_rows,
    admin1_table,
    countries,
    name_key,
    profile_admin1,
    read_table,
)

ROWS = read_table("acled_admin1.tsv")
# Divisions whose profile name is not the 2022 sample's, each for a reason given in its profile:
# renamed after 2022 (Koshi, Khankendi), or Syria's older spellings (sy_admin1.tsv, the FA-KES gold's era).
PROFILE_KEEPS = {("NP", "1"), ("AZ", "61"), ("SY", "04"), ("SY", "05"), ("SY", "06"), ("SY", "07")}


def test_the_table_covers_the_samples_countries():
    assert len(ROWS) > 1200 and len({r["country"] for r in ROWS}) > 150


def test_every_code_is_a_geonames_admin1_and_appears_once():
    codes = {(c, a) for c, a, _n, _a in admin1_rows()}
    seen = set()
    for r in ROWS:
        key = (r["country"], r["code"])
        assert r["country"] in countries(), r
        assert key in codes, f"{key} is not in admin1.tsv"
        assert key not in seen, f"{key} twice"
        seen.add(key)
        assert r["matched_by"] in {"name", "points", "checked"}, r
        assert r["seen_in"] and set(r["seen_in"].split(",")) <= {"acledR-2022", "acledr"}, r
        assert r["acled_name"].strip() == r["acled_name"] and r["acled_name"], r


def test_one_spelling_names_one_division_of_a_country():
    codes: dict[tuple[str, str], set[str]] = {}
    for country, code, name, others in acled_admin1():
        for n in (name, *others):
            codes.setdefault((country, name_key(n)), set()).add(code)
    # ACLED's Lima is the department: GeoNames' Lima (the city) and Lima region
    shared = {k: v for k, v in codes.items() if len(v) > 1}
    assert shared == {("PE", "lima"): {"LMA", "15"}}


def test_the_profiles_agree_with_the_table():
    table = {(c, a): n for c, a, n, _o in acled_admin1()}
    differ = {(c, a) for c, a, n, _al in profile_admin1() if (c, a) in table and table[(c, a)] != n}
    assert differ == PROFILE_KEEPS


@pytest.mark.parametrize("country, code, name", [
    ("TN", "02", "Kasserine"),  # GeoNames: Al Qasrayn
    ("TN", "32", "Sfax"),  # GeoNames: Safaqis
    ("IQ", "01", "Al Anbar"),
    ("YE", "18", "Ad Dali"),
    ("MX", "30", "Veracruz de Ignacio de la Llave"),
    ("DE", "02", "Bayern"),  # GeoNames: Bavaria
    ("ML", "08", "Tombouctou"),
    ("KZ", "01", "Almaty"),  # the region; the city (KZ.02) is "Almaty City"
    ("KZ", "02", "Almaty City"),
    ("ID", "08", "East Java"),  # ACLED's 2022 spelling is the English one
    ("NP", "1", "Koshi"),  # the profile's: named so in 2023
    ("SY", "06", "Dar'a"),  # sy_admin1.tsv's
])
def test_the_display_name_is_acleds(country, code, name):
    assert admin1_table()[(country, code)] == name


@pytest.mark.parametrize("country, spelling, code", [
    ("TN", "Kasserine", "02"), ("TN", "Al Qasrayn", "02"),  # ACLED's and GeoNames' names both
    ("ID", "Jawa Timur", "08"), ("ID", "Jakarta Raya", "04"), ("ID", "East Java", "08"),
    ("IR", "East Azarbaijan", "33"),  # the older sample's spelling
    ("PK", "FATA", "03"),  # the tribal areas, merged into Khyber Pakhtunkhwa in 2018
    ("SY", "Dara", "06"),  # the 2022 sample's spelling of Dar'a
    ("UZ", "Tashkent", "14"), ("UZ", "Tashkent City", "13"),
])
def test_acleds_spellings_are_accepted_as_names(country, spelling, code):
    assert admin1_codes_by_key()[(country, name_key(spelling))] == code
