"""Conservative figures with their range and claimants, and neutral notes."""

from __future__ import annotations

import datetime as dt

from eventwatch.records import Claim, NumberMention, Span
from eventwatch.resolve.events import figures
from eventwatch.resolve.notes import write_notes

VOICES = {"Amaq": "Islamic State (Syria)", "SANA": None, "Syrian Observatory for Human Rights": None}


def n(kind, value, claimant=None):
    return NumberMention(kind=kind, value=value, low=value, high=value, claimant=claimant,
                         span=Span(start=0, end=1, text="x"))


def test_group_claim_vs_state_media_injuries_only():
    """Seed 003: Amaq says 8 killed and 10 injured; SANA reports only injuries; the bomber died."""
    numbers = [n("killed", 8, "Amaq"), n("injured", 10, "Amaq"), n("injured", None, "SANA")]
    assert figures(numbers, "killed", "Islamic State (Syria)", True, VOICES) == (1, 1, 9)


def test_a_group_claim_is_used_when_nobody_else_gives_a_figure():
    assert figures([n("killed", 3, "Amaq")], "killed", "Islamic State (Syria)", False, VOICES) == (3, 3, 3)


def test_lowest_credible_report_with_the_range():
    numbers = [n("killed", 32, None), n("killed", 22, "Syrian Observatory for Human Rights")]
    assert figures(numbers, "killed", "Islamic State (Syria)", False, VOICES) == (22, 22, 32)


def test_a_toll_that_rose_is_read_at_its_highest_per_source():
    numbers = [n("killed", 5, None), n("killed", 8, None)]
    assert figures(numbers, "killed", None, False, VOICES) == (8, 8, 8)


def test_no_figures_no_number():
    assert figures([n("killed", None, "SANA")], "killed", None, False, VOICES) == (None, None, None)


def test_notes_are_neutral_and_attribute_figures():
    claims = [Claim(field="fatalities", value=8, claimed_by="Islamic State (Syria)", article_id="a"),
              Claim(field="injuries", value="several", claimed_by="SANA", article_id="a")]
    text = write_notes(date=dt.date(2019, 7, 27), precision=1, sub_event_type="Suicide bomb",
                       actor1="Islamic State (Syria)", actor2="Military Forces of Syria (2000-2024)",
                       location="Mulayhat al-Atash", admin1="Dar'a", geo_precision=1, fatalities=1, injuries=None,
                       claimed_by="Islamic State (Syria)", claims=claims, weapon="explosive vest")
    assert text.startswith("On 27 July 2019, Islamic State (Syria) carried out a suicide bombing against "
                           "Military Forces of Syria (2000-2024) in Mulayhat al-Atash (Dar'a).")
    assert "Islamic State (Syria): 8 killed" in text and "SANA: several injured" in text
    for loaded in ("terrorist", "regime", "martyr", "heroic"):
        assert loaded not in text.lower()


def test_notes_say_when_nobody_was_hurt():
    text = write_notes(date=dt.date(2020, 11, 12), precision=1, sub_event_type="Remote explosive/landmine/IED",
                       actor1="Unidentified Armed Group (Syria)", actor2="Military Forces of Russia (2000-)",
                       location="Izra'", admin1="Dar'a", geo_precision=2, fatalities=0, injuries=0, claimed_by=None,
                       claims=[], weapon="IED")
    assert "near Izra' (Dar'a)" in text and text.endswith("No casualties were reported.")


def test_notes_never_contradict_the_claims_ledger():
    # FA-KES: a toll given only in words was said as "No fatalities were reported" (issue 13)
    ledger = [Claim(field="fatalities", value="hundreds", claimed_by="Syrian Observatory for Human Rights",
                    article_id="a"), Claim(field="fatalities", value="dozens", claimed_by=None, article_id="b")]
    common = dict(date=dt.date(2013, 8, 21), precision=1, sub_event_type="Chemical weapon",
                  actor1="Military Forces of Syria (2000-)", actor2="Civilians (Syria)", location="Zamalka",
                  admin1="Rural Damascus", geo_precision=1, fatalities=0, injuries=None, claimed_by=None,
                  weapon="sarin")
    for text in (write_notes(**common, claims=[], ledger=ledger), write_notes(**common, claims=ledger)):
        assert "No fatalities" not in text and "conservative estimate): 0" not in text
        assert "Toll not quantified; sources say 'hundreds' and 'dozens' killed." in text
    # with a figure, and with nothing said at all, the notes are as before
    assert "No fatalities were reported." in write_notes(**common, claims=[], ledger=[])
    counted = [Claim(field="fatalities", value=0, claimed_by="SANA", article_id="a")]
    assert "No fatalities were reported." in write_notes(**common, claims=[], ledger=counted)


def test_roles_the_event_type_rules_out_are_turned_round():
    from eventwatch.context import default_context
    from eventwatch.resolve.events import plausible_roles as turned

    def plausible_roles(*args):
        return turned(*args, dt.date(2017, 6, 1), default_context())

    # "air strikes on IS positions": the Islamic State has no air force
    assert plausible_roles("Air/drone strike", "air strike", "Islamic State (Syria)", None, "Syria") == (
        "Military Forces of Syria (2000-2024)", "Islamic State (Syria)")
    assert plausible_roles("Air/drone strike", "air strike", "Military Forces of Russia (2000-)",
                           "Civilians (Syria)", "Syria") == ("Military Forces of Russia (2000-)", "Civilians (Syria)")
    # an armed drone can be a non-state actor's
    assert plausible_roles("Air/drone strike", "drone", "Hayat Tahrir al Sham", None, "Syria")[0] == \
        "Hayat Tahrir al Sham"
    # a suicide bomb "by" the army is a suicide bomb against it
    assert plausible_roles("Suicide bomb", "explosive vest", "Military Forces of Syria (2000-2024)", None, "Syria") == (
        "Unidentified Armed Group (Syria)", "Military Forces of Syria (2000-2024)")
