"""Casualty figures in real sentences (seeds and the FA-KES development half)."""

from __future__ import annotations

import pytest

from eventwatch.extract.numbers import find_casualties, word_to_int
from eventwatch.records import Span


def figures(text):
    return [(n.kind, n.value) for n in find_casualties(Span(start=0, end=len(text), text=text))]


@pytest.mark.parametrize("text, expected", [
    ("The Agency added that the confrontations caused the death of eight of the Assad forces’ personnel and "
     "the injury of 10 others", [("killed", 8), ("injured", 10)]),
    ("which hit the vehicle boarding three militants with two improvised explosive devices, killing the three of "
     "them and destroying the vehicle.", [("killed", 3)]),
    ("there were no casualties among the Russian personnel.", [("killed", 0), ("injured", 0)]),
    ("A bomb blast killed six people and injured 32 in the Salah al-Din district of Aleppo",
     [("killed", 6), ("injured", 32)]),
    ("A suicide bomb blast killed at least 16 people in the mostly Kurdish-controlled city of Hasaka",
     [("killed", 16)]),
    ("At least 48 people dead over 100 injured after truck bomb exploded near security headquarters",
     [("killed", 48), ("injured", 100)]),  # "over 100": the stated figure, conservatively
    ("Thirty-five people were killed on Monday", [("killed", 35)]),
    ("At least 72 people including nine children were killed in an airstrike", [("killed", 72)]),
    ("Shelling in West Aleppo left 11 people dead on Friday", [("killed", 11)]),
    ("the explosion injured several militants", [("injured", None)]),
    ("Dozens of civilians have reportedly been killed by US-led air strikes", [("killed", None)]),
    ("IS has killed hundreds of people since it declared an Islamic caliphate in June last year", []),
    ("The war has killed more than 300,000 people since 2011.", []),
    # FA-KES development articles: the victims' description, and tolls over a period
    ("At least 13 civilians mostly women and children were killed and over 30 others were wounded on Saturday",
     [("killed", 13), ("injured", 30)]),
    ("27 Jul 2016 At least 48 people dead over 100 injured", [("killed", 48), ("injured", 100)]),
    ("213 civilians have been killed by airstrikes and shelling since a U.S.-Russian brokered cease-fire "
     "collapsed Monday evening", []),
    ("At least 327 people have also been killed in clashes over the last 15 days", []),
    ("On Wednesday three suicide bombers killed at least two people near the main police headquarters",
     [("killed", 2)]),
    ("At least 87 people including 31 children died in the suspected attack", [("killed", 87)]),
    ("The Syrian Observatory said 30 regime and 39 rebel fighters have been killed in battles around al-Maleh",
     [("killed", 69)]),
    ("On Saturday two women and two children were among eight people killed when a barrel bomb hit a building",
     [("killed", 8)]),
    # FA-KES (Asharq Al-Awsat, Khan Shaykhun): a part of the toll is never a toll of its own (issue 13)
    ("The Syrian Observatory for Human Rights monitoring group put the death toll at 58, saying there were 11 "
     "children among the dead", [("killed", 58)]),
    ("There were 11 children among the dead.", []),
    ("At least 72 people were killed, including 11 children.", [("killed", 72)]),
])
def test_casualties(text, expected):
    assert figures(text) == expected


def test_at_least_is_a_floor_and_up_to_a_ceiling():
    n = find_casualties(Span(start=0, end=30, text="killing at least 16 people"))[0]
    assert (n.value, n.low, n.high) == (16, 16, None)
    n = find_casualties(Span(start=0, end=30, text="killing up to 40 people"))[0]
    assert (n.value, n.low, n.high) == (40, None, 40)


def test_spans_are_offsets_into_the_article():
    text = "Intro. A bomb blast killed six people."
    sentence = Span(start=7, end=len(text), text=text[7:])
    n = find_casualties(sentence)[0]
    assert text[n.span.start:n.span.end] == n.span.text == "killed six"


@pytest.mark.parametrize("word, value", [("16", 16), ("1,200", 1200), ("three", 3), ("twenty-two", 22),
                                         ("two hundred", 200), ("dozens", None)])
def test_number_words(word, value):
    assert word_to_int(word) == value


@pytest.mark.parametrize("text", [
    # http://www.upi.com/Top_News/World-News/2010/01/11/No-one-hurt-in-Swedish-nightclub-bombing/UPI-69201263229971/
    "MALMO, Sweden, Jan. 11 (UPI) -- Police in Malmo, Sweden, said no one was hurt early Monday morning when an "
    "explosive device detonated at a local nightclub.",
    # http://boston.cbslocal.com/2017/01/20/boston-police-cruiser-set-on-fire-west-broadway/
    "No one was injured.",
    "No one was killed or wounded.",
])
def test_no_one_hurt_is_a_toll_of_none_not_of_one(text):
    found = find_casualties(Span(start=0, end=len(text), text=text))
    assert found and all(n.value == 0 for n in found), [(n.value, n.span.text) for n in found]


@pytest.mark.parametrize("text, value", [
    # https://indiatvnews.com/amp/news/world/five-civilians-one-soldier-killed-in-afghanistan-attack-26356.html
    ("Kabul: At least five civilians and an army soldier were killed when militants attacked a vehicle in "
     "Afghanistan's Ghazni province on Tuesday, the provincial government spokesman said.", 6),
    # https://en.trend.az/world/other/1268782.html
    ("Earlier that day, a police officer was killed and two others were injured in a roadside bomb explosion on the "
     "southeastern outskirts of the city.", 1),
])
def test_a_toll_listed_in_parts_is_their_sum(text, value):
    killed = [n.value for n in find_casualties(Span(start=0, end=len(text), text=text)) if n.kind == "killed"]
    assert killed == [value]


def test_another_victim_is_one_more():
    # the wording of wire reports that list a second incident ("Another Turkish soldier was killed in clashes")
    text = "Another Afghan soldier was killed in the blast."
    assert [(n.kind, n.value) for n in find_casualties(Span(start=0, end=len(text), text=text))] == [("killed", 1)]


def test_a_units_number_is_no_toll():
    text = "Soldiers of Battalion 202 were wounded, and a soldier of Company 31 was killed."
    values = [n.value for n in find_casualties(Span(start=0, end=len(text), text=text))]
    assert 202 not in values and 31 not in values


@pytest.mark.parametrize("text, expected", [
    # The Hindu, 13 Jan 2017,
    # https://www.thehindu.com/news/national/other-states/Alleged-Maoists-kill-two-civilians-in-Gadchiroli/article17030455.ece
    ("NAGPUR: Two civilians were allegedly killed by Maoists in Gadchiroli district of Maharashtra on Thursday.",
     [("killed", 2)]),
])
def test_an_alleged_toll_is_a_toll(text, expected):
    """'were allegedly killed' is told like 'were reportedly killed': the figure is the report's claim."""
    found = find_casualties(Span(start=0, end=len(text), text=text))
    assert [(n.kind, n.value) for n in found] == expected


@pytest.mark.parametrize("text, expected", [
    # The Kashmir Images (AFP), 24 Dec 2018,
    # https://thekashmirimages.com/2018/12/25/gunmen-kill-17-in-nigeria-village-attack-witnesses-police/
    ("The assault came just days after 25 people were killed in similar raids on two villages in the region.", []),
    # The New Arab, FA-KES 1923102926 (development half), and Al-Manar, FA-KES 1965511222
    ("The reports come just a day after more than 100 civilians were killed in regime-bombardment on Idlip and "
     "Aleppo", []),
    ("Wednesday shelling comes a day after eight civilians were martyred in similar attack by Takfiri insurgents "
     "also on Salah Eddin neighborhood.", []),
    # Fox News (AP), https://www.foxnews.com/world/gunmen-attack-nigerian-village-killing-19-people
    ("It appeared the attack was a reprisal for another village attack in August, Amiru said. At least 19 people "
     "died in the assault, Zamfara state police spokesman Sunusi Amiru said.", [("killed", 19)]),
])
def test_a_toll_told_as_the_time_since_it_is_another_events(text, expected):
    """Rule nu-recalled (written from the first report, tested on the others): "days after 25 people were
    killed" dates the news from an earlier event's dead, which are not the news event's toll."""
    found = find_casualties(Span(start=0, end=len(text), text=text))
    assert [(n.kind, n.value) for n in found] == expected


@pytest.mark.parametrize("text, expected", [
    # FA-KES development articles 1965511198 (Al-Manar) and 1923102952 (The New Arab)
    ("Similar terrorist attacks that took place in Aleppo city in the past 48 hours killed 10 people and injured "
     "dozens of others most of them are children", [("killed", 10), ("injured", None)]),
    ("Civil defence and ambulance teams took several hours to retrieve dead bodies from under the rubble of the "
     "destroyed homes.", []),
])
def test_a_span_of_time_is_no_toll(text, expected):
    """'48 hours killed', 'several hours to retrieve dead': a number of hours or years is never a toll."""
    found = find_casualties(Span(start=0, end=len(text), text=text))
    assert [(n.kind, n.value) for n in found] == expected


@pytest.mark.parametrize("text, expected", [
    # rule nu-cue-words (session 8, from world w008 and FA-KES 1962495666, 1914947540; tested on stored news pages
    # about Gadchiroli and Swat and on FA-KES 1965511146 and 1962495652): the toll after other verbs of killing
    ("MAOISTS ALLEGEDLY shot dead three villagers from Kasnasur in Bhamragad tehsil of Gadchiroli on Monday night",
     [("killed", 3)]),
    ("Militants in north-west Pakistan have beheaded six security officials and killed seven civilians in apparent "
     "reprisals for an army attack.", [("killed", 6), ("killed", 7)]),
    ("Militants have executed 13 captives accused of being spies in apparent retaliation for an assault by security "
     "forces", [("killed", 13)]),
    ("The opposition UK-based Syrian Observatory reported that the Islamic State in Iraq and the Levant executed at "
     "least 19 men at an oil field in Deir Ezour.", [("killed", 19)]),
    ("The Islamic State group has released a new video purporting to show the killing of two Syrian activists in the "
     "militants stronghold of Raqqa", [("killed", 2)]),
    ("the group executed two attacks on army posts", []),  # a task carried out, no dead
])
def test_the_toll_after_other_verbs_of_killing(text, expected):
    found = find_casualties(Span(start=0, end=len(text), text=text))
    assert [(n.kind, n.value) for n in found] == expected
