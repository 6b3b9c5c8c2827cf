"""Checks of the shipped data files: country profiles (data/countries/*.yaml) and the armed-group
dictionary (data/armed_groups.yaml). Names are checked against ACLED's spelling in
../shared/reference/acled-actor-names.tsv when that file is present (the checks that need it skip otherwise)."""
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "eventwatch" / "data"
COUNTRIES = sorted((DATA / "countries").glob("*.yaml"))
GROUPS_FILE = DATA / "armed_groups.yaml"
TSV_CANDIDATES = [ROOT.parent / "shared" / "reference" / "acled-actor-names.tsv",
                  Path("/work/shared/reference/acled-actor-names.tsv")]
PERIOD_RE = re.compile(r"^(Military Forces|Police Forces|Government) of (.+?) \((\d{4})-(\d{4})?\)$")
KINDS = {"jihadist", "rebel", "separatist", "militia", "cartel", "gang", "identity militia", "political militia"}


def _tsv():
    for p in TSV_CANDIDATES:
        if p.exists():
            names, countries = {}, set()
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or line.startswith("name\t") or not line.strip():
                    continue
                cols = line.split("\t")
                names[cols[0]] = cols[1] if len(cols) > 1 else ""
                if len(cols) > 2:
                    countries.update(c for c in cols[2].split(";") if c)
            return names, countries
    return None


TSV = _tsv()
needs_tsv = pytest.mark.skipif(TSV is None, reason="acled-actor-names.tsv not present")


def _load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _date(v):
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def test_there_are_country_profiles():
    assert len(COUNTRIES) >= 65


@pytest.mark.parametrize("path", COUNTRIES, ids=lambda p: p.stem)
def test_country_profile(path):
    c = _load(path)
    for key in ("iso2", "iso3", "name"):
        assert c.get(key), f"{path.name}: no {key}"
    assert c["iso2"] == path.stem and len(c["iso3"]) == 3
    assert c.get("military"), f"{path.name}: no military periods"
    for kind in ("military", "police", "government"):
        periods = c.get(kind) or []
        prev_to = None
        for i, p in enumerate(periods):
            assert p.get("name") and p.get("from"), (path.name, kind, p)
            start = _date(p["from"])
            end = _date(p["to"]) if p.get("to") else None
            assert end is None or end >= start, (path.name, p)
            if i < len(periods) - 1:
                assert end is not None, f"{path.name}: only the last {kind} period may be open: {p}"
            if prev_to is not None:
                assert start >= prev_to, f"{path.name}: {kind} periods overlap or are out of order at {p}"
            prev_to = end
    last = c["military"][-1]
    assert not last.get("to") or _date(last["to"]) > dt.date(2020, 12, 31)
    for w in c.get("local_words") or []:
        assert w.get("word") and w.get("actor") and 1 <= int(w["inter"]) <= 8, (path.name, w)
    for a in c.get("admin1") or []:
        assert a.get("acled") and re.match(r"^[A-Z]{2}\.\w+$", str(a.get("geonames"))), (path.name, a)
        assert str(a["geonames"]).startswith(c["iso2"] + "."), (path.name, a)


def test_main_groups_are_in_the_dictionary():
    names = {g["name"] for g in _load(GROUPS_FILE)["groups"]}
    missing = [(p.stem, m) for p in COUNTRIES for m in (_load(p).get("main_groups") or []) if m not in names]
    assert not missing, missing


@needs_tsv
def test_country_names_and_periods_follow_the_tsv():
    names, countries = TSV
    tsv_periods = defaultdict(set)
    for n in names:
        m = PERIOD_RE.match(n)
        if m:
            tsv_periods[(m[1], m[2].removeprefix("the "), m[3])].add(n)  # "of the Democratic Republic of Congo"
    bad = []
    for path in COUNTRIES:
        c = _load(path)
        fold = {re.sub(r"[^a-z]", "", n.casefold()): n for n in countries}
        near = fold.get(re.sub(r"[^a-z]", "", c["name"].casefold()))
        if near and near != c["name"]:
            bad.append((path.stem, "the TSV spells the country", near))
        for u in c.get("state_units") or []:
            if u not in names:
                bad.append((path.stem, "state unit not in TSV", u))
        for kind in ("military", "police", "government"):
            for p in c.get(kind) or []:
                m = PERIOD_RE.match(p["name"])
                if not m:
                    bad.append((path.stem, "not an ACLED period name", p["name"]))
                    continue
                if p.get("tsv_name") and p["tsv_name"] not in names:
                    bad.append((path.stem, "tsv_name not in TSV", p["tsv_name"]))
                same = tsv_periods.get((m[1], m[2].removeprefix("the "), m[3]))
                if same and p["name"] not in same and p.get("tsv_name") not in same:
                    bad.append((path.stem, "TSV spells this period otherwise", p["name"], sorted(same)))
    assert not bad, bad


GENERIC = {"rebels", "militants", "jihadists", "gunmen", "insurgents", "militia", "militias", "fighters", "terrorists",
           "separatists", "bandits", "army", "police", "soldiers", "troops", "attackers", "assailants"}


def test_armed_groups():
    data = _load(GROUPS_FILE)
    groups = data["groups"]
    assert len(groups) >= 400
    seen_names, owner = set(), {}
    for g in groups:
        assert g.get("name") and g["name"] not in seen_names, g
        seen_names.add(g["name"])
        assert 1 <= int(g["inter"]) <= 8, g
        assert g.get("kind") in KINDS, g
        assert g.get("source") in ("tsv", "knowledge"), g
        assert g.get("countries") and all(re.match(r"^[A-Z]{2}$", c) for c in g["countries"]), g
        assert not {str(a).casefold() for a in g.get("aliases") or []} & GENERIC, g["name"]
        for cs in g.get("case_sensitive") or []:
            assert cs in (g.get("aliases") or []) or cs == g["name"], (g["name"], cs)
    # An alias may be shared (case-insensitively) by two groups only when both write it case-sensitively and in
    # different capitalisations (JeM, Jaish-e-Mohammad / JEM, Justice and Equality Movement).
    for g in groups:
        cs = set(g.get("case_sensitive") or [])
        for a in [g["name"]] + list(g.get("aliases") or []):
            a = str(a)
            for other, other_a, other_cs in owner.get(a.casefold(), []):
                if other != g["name"]:
                    assert a in cs and other_cs and a != other_a, f"alias {a!r}: {other} and {g['name']}"
            owner.setdefault(a.casefold(), []).append((g["name"], a, a in cs))


@needs_tsv
def test_group_names_follow_the_tsv():
    names, _ = TSV
    folded = defaultdict(list)
    for n in names:
        folded[re.sub(r"[^a-z0-9]", "", n.casefold())].append(n)
    bad = []
    for g in _load(GROUPS_FILE)["groups"]:
        if g["source"] == "tsv" and g["name"] not in names:
            bad.append(("source tsv, name not in TSV", g["name"]))
        if g["source"] == "tsv" and names.get(g["name"]) and g.get("inter_source") != "knowledge" \
                and str(g["inter"]) != names[g["name"]]:
            bad.append(("inter differs from the TSV", g["name"], g["inter"], names[g["name"]]))
        near = folded.get(re.sub(r"[^a-z0-9]", "", g["name"].casefold()), [])
        if near and g["name"] not in names:
            bad.append(("TSV spells it", g["name"], near))
    assert not bad, bad


def test_figures(capsys):
    groups = _load(GROUPS_FILE)["groups"]
    profiles = [_load(p) for p in COUNTRIES]
    with capsys.disabled():
        print(f"\n[data] countries={len(profiles)} groups={len(groups)}"
              f" group_aliases={sum(len(g.get('aliases') or []) for g in groups)}"
              f" groups_from_tsv={sum(g['source'] == 'tsv' for g in groups)}"
              f" local_words={sum(len(c.get('local_words') or []) for c in profiles)}"
              f" military_aliases={sum(len(c.get('military_aliases') or []) for c in profiles)}"
              f" police_aliases={sum(len(c.get('police_aliases') or []) for c in profiles)}"
              f" admin1={sum(len(c.get('admin1') or []) for c in profiles)}")
