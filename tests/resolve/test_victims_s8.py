"""Session 8 (helper actors2): who a strike or shelling hit, for the rules written from the FA-KES fresh-tuning half.
Each rule is tested on passages it was not written from: short passages after stored news pages from other
conflicts (the page each follows is named above it; the wording is ours), coded end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.records import NumberMention, Span
from eventwatch.resolve.events import names_civilians

D = dt.date


# Rule ac-toll-noun: the victims named right after a toll's number, and rescue and medical workers, are civilians.
TOLL_NOUN = [
    # after https://munsifdaily.com/five-paramedics-killed-in-israeli-airstrike-on-civil-defence-centre-in-southern-lebanon/
    pytest.param("An Israeli airstrike on Wednesday hit a civil defence centre in the town of Dardghaya in southern "
                 "Lebanon, killing five of its paramedics, a spokesman said.", D(2024, 10, 10),
                 "Civilians (Lebanon)", id="lebanon-dardghaya-paramedics"),
    # after https://www.urdupoint.com/en/world/one-person-killed-8-injured-in-shelling-in-r-1612085.html
    pytest.param("Shelling of the Belgorod region on Sunday led to the death of one person and the injury of eight "
                 "others, the regional governor said.", D(2022, 12, 18), "Civilians (Russia)",
                 id="russia-belgorod-death-of-one"),
]


@pytest.mark.parametrize(("text", "published", "actor2"), TOLL_NOUN)
def test_the_people_a_toll_names_after_its_number_are_civilians(text, published, actor2, main_event):
    assert main_event(text, published).actor2 == actor2


def test_the_speaker_after_a_toll_is_no_victim():
    text = "Air strikes on the town killed 12 activists said on Tuesday."
    at = text.index("killed 12")
    toll = NumberMention(kind="killed", value=12, span=Span(start=at, end=at + 9, text="killed 12"))
    assert not names_civilians(text, toll)
    text = "The rocket led to the killing of one person and the injury of 40 others."
    at = text.index("the killing of one")
    toll = NumberMention(kind="killed", value=1, span=Span(start=at, end=at + 18, text="the killing of one"))
    assert names_civilians(text, toll)


# Rule ac-civilian-site: a strike or shelling that hit a civilian site, its target named by no side, hit civilians.
CIVILIAN_SITE = [
    # after https://kyivindependent.com/news-feed/prosecutors-russian-shelling-of-kherson-kills-1-wounds-4
    pytest.param("Russian artillery shelled a residential neighbourhood of Kherson on Monday, setting a high-rise "
                 "apartment building on fire, prosecutors said.", D(2022, 12, 12), "Civilians (Ukraine)",
                 id="ukraine-kherson-residential"),
    # after https://www.jpost.com/international/article-750224 (Grad rockets on a market area of Shebekino)
    pytest.param("Grad rockets fired from across the border struck a market in the town of Shebekino in the Belgorod "
                 "region on Sunday, damaging a building and two cars, the governor said.", D(2023, 7, 16),
                 "Civilians (Russia)",
                 id="russia-shebekino-market"),
]


@pytest.mark.parametrize(("text", "published", "actor2"), CIVILIAN_SITE)
def test_a_strike_on_a_civilian_site_hit_civilians(text, published, actor2, main_event):
    assert main_event(text, published).actor2 == actor2


def test_a_strike_on_a_named_target_keeps_it(main_event):
    # after the Reuters wording of strikes on a group's positions: the target stays the named group
    event = main_event("Turkish warplanes struck PKK positions near a school building in northern Iraq on Friday, the "
                       "defence ministry said.", D(2021, 6, 4))
    assert event.actor2 is None or not event.actor2.startswith("Civilians")


# Rule ac-executed-victims (helper actors3): the people an armed actor executed, named by no side, are civilians.
EXECUTED_VICTIMS = [
    # after http://aranews.net/files/2016/12/isis-extremists-execute-three-civilians-raqqa-charges-spying-us-coalition/
    pytest.param("The Islamic State group executed three young men in central Raqqa on Friday on charges of spying "
                 "and treason, a local activist said.", D(2016, 12, 3), "Civilians (Syria)",
                 id="syria-raqqa-three-young-men"),
    # after https://brecorder.com/news/amp/3526697 (Bajaur, 2008)
    pytest.param("Taliban militants executed two men in the Bajaur tribal district of Pakistan on Friday after accusing "
                 "them of spying, officials said.", D(2008, 6, 28), "Civilians (Pakistan)", id="pakistan-bajaur-two-men"),
]


@pytest.mark.parametrize(("text", "published", "actor2"), EXECUTED_VICTIMS)
def test_the_people_an_armed_actor_executed_are_civilians(text, published, actor2, main_event):
    event = main_event(text, published)
    assert (event.sub_event_type, event.actor2) == ("Attack", actor2)
