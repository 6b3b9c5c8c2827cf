"""Villages, districts and municipalities of every country, found and placed without any country written into
the code: the text's own countries (rule pl-focus) open that country's full list of names, districts (admin2)
are known by name for every country, and a place named with its province resolves in that province's country.

Every passage is quoted from the page named above it (short excerpts; none is an article of the gold sets).
"""

from __future__ import annotations

import pytest

from eventwatch.extract.places import find_place_mentions, text_countries
from eventwatch.resolve.places import resolve_place


def place_in(text: str, gaz):
    return resolve_place(find_place_mentions(text, gazetteer=gaz), text=text, gazetteer=gaz)


# https://en.mehrnews.com/news/188976/18-killed-14-kidnapped-in-armed-attacks-in-Nigeria
MARU = ("Residents said 18 people were reportedly killed on Sunday morning after gunmen attacked Kango and Dangulbi "
        "villages in Maru Local Government Area in Zamfara.")
# https://www.theinfostride.com/six-persons-killed-several-abducted-in-zamfara-village-attack/
RIJIYA = ("Gunmen suspected of being bandits raided Rijiya village in Zamfara State’s Gusau Local Government Area, "
          "murdering six people and kidnapping numerous more.")
# https://www.newsdrum.in/international/three-policemen-killed-six-injured-in-attack-on-check-post-in-pakistan-8696303
KARAK = ("The attackers launched a barrage of gunfire at the Bahadur Khel check post in the Karak district of "
         "Khyber-Pakhtunkhwa province, bordering Afghanistan.")
# https://justiceforcolombia.org/news/colombia-human-rights-update-february-2022/
CABUYARO = ("The third murder of a community council member in the first two days of February was committed in "
            "Cabuyaro in the department of Meta.")
TAME = ("Social activist Hermán Naranjo Quintero was murdered in Tame in the eastern department of Arauca, where "
        "communities are facing a humanitarian crisis due to intense fighting between armed groups in recent weeks.")
# https://www.defenceweb.co.za/security/civil-security/armed-men-kill-at-least-a-dozen-civilians-in-northeast-congo/
MBAU = ("Armed men attacked the city of Mbau in Beni territory, North Kivu province, near the Ugandan border, killing "
        "and kidnapping people and burning houses before fleeing into the bush, officials and a civil rights groups "
        "said.")
# https://arabpressreleases.qa/20-dead-in-rebel-attack-in-eastern-congo/ (the Kivu Security Tracker's post, quoted)
KIKURA = "At least 20 civilians were killed in Kikura village (Beni territory, North Kivu) on Sunday night."


@pytest.mark.parametrize("text, country", [
    pytest.param(MARU, "NG", id="nigeria-lga"),
    pytest.param(KARAK, "PK", id="pakistan-district"),
    pytest.param(CABUYARO, "CO", id="colombia-department"),
    pytest.param(MBAU, "CD", id="drc-territory"),
])
def test_the_text_names_its_own_country(shared_gazetteer, text, country):
    assert text_countries(text, gazetteer=shared_gazetteer)[0] == country


@pytest.mark.parametrize("text, location, admin2, admin1, country", [
    # a village town of 11,000 people, found because the text names Zamfara, a Nigerian state
    pytest.param(MARU, "Maru", "Maru", "Zamfara", "Nigeria", id="nigeria-maru-lga"),
    # Karak is also a Jordanian governorate: "the Karak district of Khyber-Pakhtunkhwa" is Pakistan's
    pytest.param(KARAK, "Karak", "Karak", "Khyber Pakhtunkhwa", "Pakistan", id="pakistan-karak-district"),
    pytest.param(CABUYARO, "Cabuyaro", "Cabuyaro", "Meta", "Colombia", id="colombia-cabuyaro-municipality"),
    pytest.param(TAME, "Tame", "Tame", "Arauca", "Colombia", id="colombia-tame-municipality"),
])
def test_a_small_place_of_any_country_is_found_with_its_district(shared_gazetteer, text, location, admin2, admin1,
                                                                  country):
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.admin2, place.admin1, place.country) == (location, admin2, admin1, country)
    assert place.geonameid is not None


@pytest.mark.parametrize("text, location, admin1, country", [
    # a village the gazetteer lacks keeps its name, in the state the text gives
    pytest.param(RIJIYA, "Rijiya", "Zamfara", "Nigeria", id="nigeria-rijiya-village"),
    # "Mbau" is not the Congolese town of Baudhuinville (Tanganyika) that sounds like it: North Kivu is named
    pytest.param(MBAU, "Mbau", "Nord-Kivu", "Democratic Republic of the Congo", id="drc-mbau-town"),
    # Beni is also a Bolivian department: Beni territory, North Kivu, is in the DRC
    pytest.param(KIKURA, "Kikura", "Nord-Kivu", "Democratic Republic of the Congo", id="drc-beni-territory"),
])
def test_a_place_named_with_its_province_resolves_in_that_province(shared_gazetteer, text, location, admin1,
                                                                    country):
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.admin1, place.country) == (location, admin1, country)


def test_a_countrys_villages_are_looked_for_only_where_the_text_points_there(shared_gazetteer):
    # the world layer knows cities and provinces, not a municipality of 4,000 people ...
    assert not shared_gazetteer.matcher().exists(" cabuyaro ")
    # ... Colombia's layer, built on first use and kept on the Gazetteer, does
    assert shared_gazetteer.country_matcher("CO").exists(" cabuyaro ")
    assert shared_gazetteer.country_matcher("CO") is shared_gazetteer.country_matcher("CO")
    # and a text that points nowhere near Colombia does not find it
    assert find_place_mentions("Officials in Cabuyaro said the road was closed.", gazetteer=shared_gazetteer) == []


def test_syria_is_the_focus_of_a_syrian_text_from_its_own_words(shared_gazetteer):
    text = "Shelling hit Izra and Sheikh Miskin in rural Daraa."
    assert text_countries(text, gazetteer=shared_gazetteer) == ("SY",)
    assert [m.name for m in find_place_mentions(text, gazetteer=shared_gazetteer)] == ["Izra", "Sheikh Miskin", "Daraa"]


def test_every_country_has_its_districts(shared_gazetteer):
    hangu = next(c.place for c in shared_gazetteer.lookup("Hangu") if c.place.country == "PK"
                 and c.place.feature_class == "P")
    assert shared_gazetteer.admin2_name(hangu) == "Hangu"
    assert {c for c, _ in shared_gazetteer.admin2_of_key("gwoza")} == {"NG"}
    assert ("PK", "Sindh") in shared_gazetteer.admin2_of_key("jamshoro district")
