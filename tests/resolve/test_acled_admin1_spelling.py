"""An event's admin1 is written as ACLED spells it (data/gazetteer/acled_admin1.tsv, from ACLED's sample data),
in the coded report, the fused event and the export, and ACLED's (or the local press's) spelling in a text
names that province.

Each passage is quoted from the page named above it (short excerpts; none is an article of the gold sets), or
written for this test where marked."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.export import acled_row
from eventwatch.fuse import fuse_cluster, fuse_reports
from eventwatch.pipeline import code_article
from eventwatch.query import resolve_admin1
from eventwatch.records import Article

D = dt.date

# https://www.baviation.cn/four-tunisian-soldiers-die-in-a-land-mine-explosion-near-the-border-with-algeria/1294/
KASSERINE = ("Tunisian Defense Ministry spokesman Major Mohamed Zakri confirmed that the four Tunisian soldiers were "
             "killed when a \"conventionally made mine in Jebel Maghila in Kasserine\" near the Algerian border "
             "exploded during a combing operation in the heights of Maghila.")
# https://english.kolkata24x7.com/fierce-terror-attack-in-iraq-23-soldiers-killed.html/
ANBAR = ("At least 23 Iraqi soldiers and government-allied militiamen were killed Sunday in an attack by Islamic "
         "State militants in the turbulent Anbar province west of Baghdad, Iraqi military and police officials said.")
# https://golestanpalace.org/houthi-drone-strike-kills-3-soldiers-in-yemen/ (IANS)
DHALEA = ("Three Yemeni soldiers were killed in a drone strike launched by the Houthi militia in the southern "
          "province of Dhalea, a government official said.")
# https://www.euronews.com/2019/04/20/13-killed-in-mexico-bar-shooting
MINATITLAN = ("13 people have been shot dead by gunmen who opened fire on a family party at a bar in Mexico. The attack "
              "happened in the city of Minatitlan in the Gulf coast state of Veracruz.")
# written for this test: the province under its Indonesian name, as the Indonesian press writes it
SAMPANG = ("Two villagers were killed when a mob attacked houses in Sampang regency, Jawa Timur province, on Sunday, "
           "police said.")
# written for this test
MUNICH = "Police fired tear gas at rioters who attacked a police station in Munich, Bavaria, on Saturday night."


def coded(text: str, published: dt.date, article_id: str = "a"):
    events = [e for e in code_article(Article(article_id=article_id, raw_text=text, published=published))[1]
              if not e.background]
    assert events, f"no (non-background) event coded from: {text[:90]}..."
    return events


@pytest.mark.parametrize("text, published, country, admin1", [
    pytest.param(KASSERINE, D(2019, 6, 9), "Tunisia", "Kasserine", id="tunisia-kasserine"),  # GeoNames: Al Qasrayn
    pytest.param(ANBAR, D(2015, 10, 25), "Iraq", "Al Anbar", id="iraq-anbar"),
    pytest.param(DHALEA, D(2022, 7, 5), "Yemen", "Ad Dali", id="yemen-dhalea"),
    pytest.param(MINATITLAN, D(2019, 4, 20), "Mexico", "Veracruz de Ignacio de la Llave", id="mexico-veracruz"),
    pytest.param(SAMPANG, D(2023, 5, 2), "Indonesia", "East Java", id="indonesia-jawa-timur"),
    pytest.param(MUNICH, D(2023, 5, 2), "Germany", "Bayern", id="germany-bavaria"),
])
def test_the_report_the_fused_event_and_the_export_carry_acleds_spelling(text, published, country, admin1):
    report = coded(text, published)[0]
    assert (report.country, report.admin1) == (country, admin1)
    fused = fuse_cluster(fuse_reports([report])[0])
    assert fused.admin1 == admin1
    assert acled_row(fused)["admin1"] == admin1


@pytest.mark.parametrize("spelling, country, shown", [
    ("Jawa Timur", "Indonesia", "East Java"),
    ("Al Qasrayn", "Tunisia", "Kasserine"),
    ("Dhale", "Yemen", "Ad Dali"),
    ("Anbar", "Iraq", "Al Anbar"),
])
def test_a_query_names_the_province_in_any_spelling(spelling, country, shown):
    assert shown in resolve_admin1(spelling, [], (country,))


# https://asiatimes.com/2019/10/violent-mobs-fight-police-throw-petrol-bombs-in-hong-kong/ (AFP, 27 October 2019)
MONG_KOK = ("Hong Kong was gripped by another day of petrol bombs and tear gas on Sunday as police and pro-democracy "
            "protesters clashed for hours in the Mong Kok district. Police said protesters trashed shops and hurled "
            "petrol bombs.")
# https://www.channel4.com/news/hong-kong-protests-riot-police-fought-with-bricks-and-petrol-bombs (24 August 2019)
HK_BRICKS = ("Protesters in Hong Kong have thrown bricks and petrol bombs at riot police - who fired tear gas in "
             "response - leading to chaotic scenes outside a police station and nearby shopping mall.")


@pytest.mark.parametrize("text, published", [
    pytest.param(MONG_KOK, D(2019, 10, 27), id="hong-kong-mong-kok"),
    pytest.param(HK_BRICKS, D(2019, 8, 24), id="hong-kong-bricks"),
])
def test_hong_kong_is_an_admin1_of_china(text, published):
    """data/gazetteer/territories.tsv: ACLED codes Hong Kong as country China, admin1 Hong Kong (ISO 3166-2 CN-HK),
    not as a country of its own as GeoNames does; its own districts are the admin2."""
    report = coded(text, published)[0]
    assert (report.country, report.iso3, report.admin1) == ("China", "CHN", "Hong Kong")
    assert report.actor1 == "Rioters (China)"
    assert acled_row(fuse_cluster(fuse_reports([report])[0]))["admin1"] == "Hong Kong"
