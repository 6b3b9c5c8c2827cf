"""Golden test: the two seed articles coded exactly as shared/gold/seeds.jsonl says."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.gazetteer import haversine_km
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article

D = dt.date


@pytest.fixture(scope="module")
def coded(seeds_dir):
    return {a.article_id: code_article(a) for a in read_sources([seeds_dir])}


def test_seed000_one_ied_event_on_the_russian_patrol(coded):
    article, events = coded["000_19109e5cf8b1b5c5"]
    assert len(events) == 1
    e = events[0]
    assert (e.event_date, e.time_precision) == (D(2020, 11, 12), 1)
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert (e.actor1, e.actor2) == ("Unidentified Armed Group (Syria)", "Military Forces of Russia (2000-)")
    assert (e.inter1, e.inter2) == (3, 8)
    assert e.admin1 == "Dar'a" and e.country == "Syria" and e.iso3 == "SYR"
    assert haversine_km(e.latitude, e.longitude, 32.867, 36.251) <= 15
    assert e.geo_precision == 2
    assert (e.fatalities, e.fatalities_low, e.fatalities_high, e.injuries) == (0, 0, 0, 0)
    assert e.weapon == "IED" and e.claimed_by is None and not e.background
    assert "terrorist" not in e.notes.lower()


def test_seed003_main_event_suicide_bomb_with_the_claims_ledger(coded):
    _, events = coded["003_86bd7c93810df1c3"]
    main = [e for e in events if not e.background]
    assert len(main) == 1
    e = main[0]
    assert e.event_date == D(2019, 7, 27)  # "yesterday" in a statement of Sunday, July 28
    assert e.sub_event_type == "Suicide bomb" and e.weapon == "explosive vest"
    assert (e.actor1, e.actor2) == ("Islamic State (Syria)", "Military Forces of Syria (2000-2024)")
    assert "5th Legion" in (e.assoc_actor_2 or "")
    assert e.admin1 == "Dar'a" and "Atash" in e.location
    assert (e.fatalities, e.fatalities_low, e.fatalities_high) == (1, 1, 9)
    assert e.claimed_by == "Islamic State (Syria)"
    ledger = {(c.field, c.value, c.claimed_by) for c in e.claims}
    assert ("fatalities", 8, "Islamic State (Syria)") in ledger
    assert ("injuries", 10, "Islamic State (Syria)") in ledger
    assert ("injuries", "several", "SANA") in ledger
    assert e.sources[0].outlet == "Enab Baladi"


def test_seed003_background_events(coded):
    _, events = coded["003_86bd7c93810df1c3"]
    background = sorted((e for e in events if e.background), key=lambda e: e.event_date)
    by_date = {}
    for e in background:
        by_date.setdefault(e.event_date, []).append(e)
    june = by_date[D(2019, 6, 4)][0]
    assert (june.sub_event_type, june.actor1, june.actor2, june.fatalities, june.claimed_by) == (
        "Remote explosive/landmine/IED", "Islamic State (Syria)", "Military Forces of Syria (2000-2024)", 3,
        "Islamic State (Syria)")
    assert len(by_date[D(2019, 7, 17)]) == 2  # the bus bombing and the explosion aimed at a colonel
    patrol = by_date[D(2019, 7, 14)][0]  # "two weeks ago"
    assert (patrol.time_precision, patrol.date_end, patrol.actor2) == (2, D(2019, 7, 16),
                                                                       "Military Forces of Russia (2000-)")


def test_every_value_has_evidence_pointing_into_the_cleaned_text(coded):
    for article, events in coded.values():
        for e in events:
            fields = {ev.field for ev in e.evidence}
            assert {"event_type", "event_date"} <= fields
            for ev in e.evidence:
                assert article.text[ev.start:ev.end] == ev.text
    _, events = coded["000_19109e5cf8b1b5c5"]
    assert any(ev.field == "weapon" and "IED" in ev.text for ev in events[0].evidence)


def test_inferred_publication_date_is_said_in_the_evidence(coded):
    _, events = coded["003_86bd7c93810df1c3"]
    main = next(e for e in events if not e.background)
    assert any(ev.field == "published_inferred" and ev.text == "Sunday, July 28" for ev in main.evidence)
