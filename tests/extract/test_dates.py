"""Dates in real sentences, resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.extract.dates import find_dates, infer_base_date

D = dt.date


@pytest.mark.parametrize("sentence, base, expected", [
    # seed 000: absolute, with its weekday
    ("in the northern region of Syria Thursday 12 November 2020.", None, (D(2020, 11, 12), None, 1)),
    # seed 003
    ("On June 4, 2019, IS announced targeting a vehicle", None, (D(2019, 6, 4), None, 1)),
    ("an officer holding the rank of colonel on July 17, in addition to", D(2019, 7, 28), (D(2019, 7, 17), None, 1)),
    ("which took place two weeks ago.", D(2019, 7, 28), (D(2019, 7, 14), D(2019, 7, 16), 2)),
    ("In August 2018, Assad forces took over the al-Yarmouk Basin", D(2019, 7, 28), (D(2018, 8, 1), D(2018, 8, 31), 3)),
    ("The Assad Forces have yesterday been a target to an explosion", D(2019, 7, 28), (D(2019, 7, 27), None, 1)),
    # FA-KES development half
    ("At least 22 people were killed Monday in an attack targeting a wedding party", D(2016, 10, 4), (D(2016, 10, 3), None, 1)),
    ("killed at least 16 people in the mostly Kurdish-controlled city of Hasaka on Tuesday", D(2016, 7, 5), (D(2016, 7, 5), None, 1)),
    ("Ten children were among at least 48 people killed in a Syrian village last week", D(2015, 2, 23), (D(2015, 2, 16), D(2015, 2, 22), 2)),
    ("Posted on April 19 2017 by Asharq Al-Awsat English", None, (D(2017, 4, 19), None, 1)),
    ("Wed 05 Apr 2017 Syria attack symptoms", None, (D(2017, 4, 5), None, 1)),
    ("4/5/2017", None, (D(2017, 4, 5), None, 1)),
    ("clashes in Hasaka early Friday the UK-based Syrian Observatory", D(2013, 8, 3), (D(2013, 8, 2), None, 1)),
    ("at least 45 people have been killed in Aleppo in the last 24 hours", D(2016, 10, 17), None),
    ("a year ago", D(2019, 7, 28), (D(2018, 1, 1), D(2018, 12, 31), 3)),
    ("an attack last month", D(2019, 7, 28), (D(2019, 6, 1), D(2019, 6, 30), 3)),
    ("overnight shelling", D(2017, 3, 2), (D(2017, 3, 1), None, 1)),
    # rule dt-day-earlier (sentences written for it)
    ("A day earlier, two soldiers died when their vehicle hit a mine", D(2020, 5, 6), (D(2020, 5, 5), None, 1)),
    ("protesters had blocked the highway on the previous day", D(2020, 5, 6), (D(2020, 5, 5), None, 1)),
    # rule dt-earlier-this-week: the days of the base date's week before it, Monday first (FA-KES 1923102878 on a
    # Saturday; 1926479264 on a Sunday; a Monday leaves only the day itself)
    ("Earlier this week a suspected chemical attack hit the town of Khan", D(2017, 4, 8), (D(2017, 4, 3), D(2017, 4, 7), 2)),
    ("when Islamic State stormed the town earlier this week", D(2014, 8, 17), (D(2014, 8, 11), D(2014, 8, 16), 2)),
    ("when Islamic State stormed the town earlier this week", D(2014, 8, 11), (D(2014, 8, 11), D(2014, 8, 11), 2)),
])
def test_dates_resolve_against_the_base(sentence, base, expected):
    found = find_dates(sentence, base)
    if expected is None:
        assert found == []
        return
    d = found[0]
    assert (d.start, d.end, d.precision) == expected


def test_spans_point_into_the_text():
    text = "Six people were killed on Sunday, July 28 in Daraa."
    d = find_dates(text, D(2019, 7, 30))[0]
    assert text[d.span.start:d.span.end] == d.span.text == "Sunday, July 28"
    assert d.start == D(2019, 7, 28)


def test_partial_date_takes_the_year_its_weekday_fits():
    assert find_dates("on Sunday, July 28", D(2020, 1, 10))[0].start == D(2019, 7, 28)


def test_since_dates_are_marked():
    d = find_dates("the second attack since its termination there in August 2018", D(2019, 7, 28))[0]
    assert d.precision == 3


def test_unknown_publication_date_is_inferred_from_the_latest_date(seeds_dir):
    from eventwatch.clean import clean_article
    from eventwatch.ingest import read_sources

    a = clean_article(next(iter(read_sources([seeds_dir / "003_86bd7c93810df1c3.txt"]))))
    base, span = infer_base_date(a.text)
    assert base == D(2019, 7, 28) and span.text == "Sunday, July 28"


def test_a_weekday_possessive_whose_apostrophe_the_corpus_dropped():
    """FA-KES 1923848144 (development half), published Wednesday 5 April 2017: "Tuesdays strike"."""
    import datetime as dt

    from eventwatch.extract.dates import find_dates

    found = find_dates("Rebel groups vowed revenge for Tuesdays strike in the town of Khan Sheikhun",
                       dt.date(2017, 4, 5))
    assert [(d.span.text, d.start) for d in found] == [("Tuesdays", dt.date(2017, 4, 4))]
    assert find_dates("Tuesdays and Fridays are market days", dt.date(2017, 4, 5)) == []


# Rule dt-weekend. Written from an AFP report on Haiti (gold, world tuning half); tested on these.
WEEKEND = [
    # CGTN Africa, 25 Dec 2018 (a Tuesday), https://africa.cgtn.com/2018/12/25/gunmen-kill-17-in-weekend-attack-in-nigerian-village/
    ("A village in northern Nigeria has been left in mourning after gunmen killed 17 people over the weekend.",
     dt.date(2018, 12, 25), (dt.date(2018, 12, 22), dt.date(2018, 12, 23))),
    # The Kashmir Images (AFP), 24 Dec 2018 (a Monday),
    # https://thekashmirimages.com/2018/12/25/gunmen-kill-17-in-nigeria-village-attack-witnesses-police/
    ("Gunmen at the weekend killed 17 people in the latest attack on villages in northern Nigeria's Zamfara state, "
     "witnesses and police said Monday.", dt.date(2018, 12, 24), (dt.date(2018, 12, 22), dt.date(2018, 12, 23))),
    # National Post (Canadian Press), 20 Apr 2020 (a Monday),
    # https://nationalpost.com/pmn/news-pmn/canada-news-pmn/newsalert-nova-scotia-death-toll-rises-to-19
    ("The RCMP says a weekend killing rampage in Nova Scotia has now claimed at least 19 lives.",
     dt.date(2020, 4, 20), None),
]


@pytest.mark.parametrize("text, published, weekend", WEEKEND)
def test_the_weekend_is_the_last_saturday_and_sunday(text, published, weekend):
    found = [(d.start, d.end, d.precision) for d in find_dates(text, published) if d.kind == "weekend"]
    assert found == ([(*weekend, 2)] if weekend else [])


@pytest.mark.parametrize("sentence, expected", [
    # a day word dates the month, never a day of it
    ("Gunmen attacked the convoy on Friday night", (D(2021, 3, 1), D(2021, 3, 31), 3)),
    ("Two police officers were wounded yesterday", (D(2021, 3, 1), D(2021, 3, 31), 3)),
    ("killed 17 people over the weekend", (D(2021, 3, 1), D(2021, 3, 31), 3)),
    # a longer reach: the span it may mean
    ("a raid three weeks ago", (D(2021, 2, 8), D(2021, 3, 12), 3)),
    ("an ambush last month", (D(2021, 2, 1), D(2021, 2, 28), 3)),
    # a date with its own day and month keeps its day; the year is that of the month (or the one before)
    ("the attack on March 9", (D(2021, 3, 9), None, 1)),
    ("the kidnapping of 14 December", (D(2020, 12, 14), None, 1)),
    ("On 2 February 2019 a bomb exploded", (D(2019, 2, 2), None, 1)),
])
def test_a_page_known_only_to_its_month_dates_relative_words_to_the_month(sentence, expected):
    """Rule dt-month-base: the page's address says March 2021 ("/2021/03/"), nothing gives the day."""
    from eventwatch.extract.dates import find_dates_in_month

    d = find_dates_in_month(sentence, D(2021, 3, 1))[0]
    assert (d.start, d.end, d.precision) == expected
