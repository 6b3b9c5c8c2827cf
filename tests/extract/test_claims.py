"""Who says what: attributions of figures and claims of responsibility, in real sentences."""

from __future__ import annotations

import pytest

from eventwatch.extract.actors import find_actors
from eventwatch.extract.claims import claims_responsibility, sentence_attribution
from eventwatch.records import Span


def attribution(text, previous=None):
    span = Span(start=0, end=len(text), text=text)
    return sentence_attribution(span, find_actors(text, span), previous)


@pytest.mark.parametrize("text, claimant, speaks_for", [
    ("As monitored by Enab Baladi, the IS-affiliated Amaaq Agency has quoted a security source on its Telegram "
     "channel on Sunday, July 28, as saying that an IS militant has yesterday confronted", "Amaq", "Islamic State (Syria)"),
    ("The Syrian Arab News Agency (SANA) reported yesterday that a terrorist blew himself up", "SANA", None),
    ("A suicide bomb blast killed at least 16 people on Tuesday the monitoring group the Syrian Observatory for "
     "Human Rights said.", "Syrian Observatory for Human Rights", None),
    ("The Syrian Civil Defence or White Helmets reported on Thursday that 13 people had been killed",
     "Syrian Civil Defence", None),
])
def test_attribution(text, claimant, speaks_for):
    a = attribution(text)
    assert (a.claimant, a.speaks_for) == (claimant, speaks_for)
    assert text[a.span.start:a.span.end] == a.span.text


def test_the_agency_added_refers_back():
    first = attribution("the IS-affiliated Amaaq Agency has quoted a security source as saying")
    again = attribution("The Agency added that the confrontations caused the death of eight", first)
    assert again.claimant == "Amaq" and again.span.text == "The Agency"


def test_no_speech_no_attribution():
    assert attribution("A bomb blast killed six people in Aleppo.") is None


@pytest.mark.parametrize("text, claimed", [
    ("The Islamic State (IS) claimed responsibility for the explosion", True),
    ("On June 4, 2019, IS announced targeting a vehicle belonging to Assad Forces", True),
    ("No party claimed responsibility for the attack", False),
    ("IS militants attacked a checkpoint", False),
])
def test_claims_of_responsibility(text, claimed):
    span = Span(start=0, end=len(text), text=text)
    assert any(claims_responsibility(h, text) for h in find_actors(text, span)) is claimed
