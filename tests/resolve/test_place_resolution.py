"""Choosing and geocoding an event's place: the seeds, relations and precision, fallbacks."""

from __future__ import annotations

import datetime as dt

from eventwatch.clean import clean_text
from eventwatch.extract.places import find_place_mentions
from eventwatch.gazetteer import haversine_km
from eventwatch.records import Event
from eventwatch.resolve.places import admin1_from_text, missing_places, resolve_place


def seed_text(gazetteer_data, name: str) -> str:
    raw = (gazetteer_data / name).read_text(encoding="utf-8")
    return clean_text(raw)[0]


def place_in(text: str, gaz, **kw):
    return resolve_place(find_place_mentions(text, gazetteer=gaz), text=text, gazetteer=gaz, **kw)


def test_seed_000_road_between_izraa_and_sahwat_al_qamh(shared_gazetteer, gazetteer_data):
    text = seed_text(gazetteer_data, "000_19109e5cf8b1b5c5.txt")
    place = resolve_place(find_place_mentions(text, gazetteer=shared_gazetteer), text=text,
                          gazetteer=shared_gazetteer, article_id="000_19109e5cf8b1b5c5")
    assert place.admin1 == "Dar'a" and place.admin2 == "Izra'"
    assert haversine_km(place.latitude, place.longitude, 32.867, 36.251) <= 15
    assert place.geo_precision == 2 and place.geonameid == 169341
    evidence = place.evidence[0]
    assert evidence.field == "location" and evidence.article_id == "000_19109e5cf8b1b5c5"
    assert text[evidence.start:evidence.end] == evidence.text == "Izraa – Sahwat Al Qameh"


def test_seed_003_village_missing_from_the_gazetteer(shared_gazetteer, gazetteer_data):
    text = seed_text(gazetteer_data, "003_86bd7c93810df1c3.txt")
    place = resolve_place(find_place_mentions(text, gazetteer=shared_gazetteer), text=text,
                          gazetteer=shared_gazetteer)
    assert (place.location, place.admin1, place.country, place.geo_precision) == (
        "Melihit al-Atash", "Dar'a", "Syria", 3)
    assert admin1_from_text(text, gazetteer=shared_gazetteer) == "Dar'a"


def test_relations_set_the_precision(shared_gazetteer):
    gaz = shared_gazetteer
    town = place_in("A car bomb exploded in Azaz on Monday.", gaz)
    assert (town.location, town.geo_precision, town.admin1) == ("I'zaz", 1, "Aleppo")
    near = place_in("Fighting raged near Saraqib on Monday.", gaz)
    assert (near.geo_precision, near.admin1) == (2, "Idleb") and near.geonameid == 164816
    road = place_in("A patrol was hit on the road between Izraa and Sheikh Miskin.", gaz)
    assert (road.geonameid, road.geo_precision) == (169341, 2) and "coded at Izraa" in road.note
    outside = place_in("Clashes erupted outside Palmyra on Friday.", gaz)
    assert (outside.geo_precision, outside.admin1) == (2, "Homs")
    province = place_in("Air strikes hit the countryside of Idlib on Tuesday.", gaz)
    assert (province.location, province.admin1, province.geo_precision) == ("Idleb", "Idleb", 3)
    assert haversine_km(province.latitude, province.longitude, 35.93, 36.63) < 2  # the governorate's capital
    rural_damascus = place_in("Shells fell on eastern rural Damascus.", gaz)
    assert (rural_damascus.admin1, rural_damascus.geo_precision) == ("Rural Damascus", 3)
    governorate = place_in("Clashes continued in Hama governorate.", gaz)
    assert (governorate.admin1, governorate.geo_precision) == ("Hama", 3)


def test_a_province_named_first_is_refined_by_a_place_inside_it(shared_gazetteer):
    text = "Clashes in rural Daraa. Fighters attacked a checkpoint in Nawa, west of the city."
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.geo_precision, place.admin1) == ("Nawa", 1, "Dar'a")


def test_a_bare_province_name_is_the_city_unless_the_article_calls_it_a_province(shared_gazetteer):
    city = place_in("A bomb exploded in Homs on Monday, killing four.", shared_gazetteer)
    assert (city.geonameid, city.geo_precision) == (169577, 1)
    province = place_in("IS attacked in Homs. Fighting spread across Homs province and the desert.",
                        shared_gazetteer)
    assert (province.admin1, province.geo_precision, province.geonameid) == ("Homs", 3, None)


def test_an_unknown_place_without_a_governorate_keeps_its_name(shared_gazetteer):
    place = place_in("Gunmen attacked the village of Qarqur Tahtani on Monday.", shared_gazetteer)
    assert (place.location, place.geo_precision, place.latitude, place.admin1) == ("Qarqur Tahtani", 3, None, None)


def test_a_guessed_spelling_must_lie_in_a_governorate_the_article_names(shared_gazetteer):
    # Ahram Online, FA-KES 1923848262: the consonants of Al-Quriyah are those of Al Qurayya in As-Sweida
    text = ("The raids hit the town of Al-Quriyah controlled by the Islamic State (IS) group in Syrias oil-rich "
            "Deir Ezzor province.")
    place = place_in(text, shared_gazetteer, country="SY")
    assert (place.location, place.admin1, place.geo_precision) == ("Al-Quriyah", "Deir-ez-Zor", 3)
    # a town of 57,000 is known by its name wherever the article's other places are (Daily Sabah, 1924058146)
    text = "The strike on the town of Boukamal killed 15 civilians. Maaret Harmeh is close to Khan Sheikhoun in Idlib."
    assert place_in(text, shared_gazetteer, country="SY").admin1 == "Deir-ez-Zor"
    # no consonant skeleton takes a Syrian region abroad (Ahram Online, 1923848244)
    text = "The jihadists clashed with the regime troops in the Qalamun region by the Lebanese border."
    assert place_in(text, shared_gazetteer, country="SY").country in (None, "Syria")


def test_an_unknown_place_takes_the_governorate_named_with_it(shared_gazetteer):
    # Daily Sabah, FA-KES 1924058140
    text = ("Fighter jets also believed to be Russian struck the town of Urum al Kubra in the opposition-held "
            "western Aleppo countryside where five civilians were killed.")
    place = place_in(text, shared_gazetteer, country="SY")
    assert (place.location, place.admin1, place.geo_precision) == ("Urum al Kubra", "Aleppo", 3)


def test_a_region_is_refined_by_a_town_inside_it(shared_gazetteer):
    # Al-Manar, FA-KES 1965511120
    text = "Fierce clashes erupted on Qalamoun barrens and have reached the barrens of the town of Qara in Qalamoun."
    place = place_in(text, shared_gazetteer, country="SY")
    assert (place.location, place.admin1, place.geo_precision) == ("Qarah", "Rural Damascus", 1)
    region = place_in("Fierce clashes erupted on the Qalamoun barrens.", shared_gazetteer, country="SY")
    assert (region.location, region.admin1, region.geo_precision) == ("Qalamoun Mountains", "Rural Damascus", 2)


def test_admin1_from_text_counts_governorates(shared_gazetteer):
    text = "Jets struck Saraqib and Ariha in Idlib province, while shells hit Aleppo. Saraqib was hit again."
    assert admin1_from_text(text, gazetteer=shared_gazetteer) == "Idleb"
    assert admin1_from_text("No place is named here.", gazetteer=shared_gazetteer) is None


def test_missing_places_counts_events_without_gazetteer_place():
    def event(location, admin1, geonameid=None, precision=3):
        return Event(event_id=location + str(geonameid), event_date=dt.date(2019, 7, 27), disorder_type="x",
                     event_type="x", sub_event_type="x", location=location, admin1=admin1, geonameid=geonameid,
                     geo_precision=precision)

    events = [event("Melihit al-Atash", "Dar'a"), event("Melihit al-Atash", "Dar'a"),
              event("Izra'", "Dar'a", 169341, 2), event("Dar'a", "Dar'a"), event("Namer", "Dar'a"),
              event("Sahwat al-Qamh", "Dar'a", None, 1)]
    assert missing_places(events) == [("Melihit al-Atash", "Dar'a", 2), ("Namer", "Dar'a", 1)]


def test_pl_narrower_a_province_named_first_gives_way_to_the_village_the_text_calls_one(shared_gazetteer):
    # rules pl-narrower and pl-name-type, on a sentence modelled on YNaija's Zamfara report (not a gold article)
    text = ("The police in Zamfara said one person was killed in Magazu Village of Tsafe Local Government Area "
            "in an attack by bandits.")
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.admin1, place.country, place.geo_precision) == ("Magazu", "Zamfara", "Nigeria", 3)


def test_pl_possessive_admin1_and_pl_district_bare_put_a_district_in_the_province_named_before_it(shared_gazetteer):
    # modelled on NDTV's and Deccan Herald's Bihar reports: Maharashtra's Aurangabad is the larger namesake
    text = "At least ten commandos were killed in a blast set off by Maoists in Bihar's Aurangabad district on Monday night."
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.admin1, place.geo_precision) == ("Aurangabad", "Bihar", 2)
    alone = place_in("Four Maoists were gunned down in an encounter in Aurangabad district.", shared_gazetteer)
    assert alone.admin1 == "Maharashtra"  # no province named: the larger namesake


def test_pl_type_apposition_a_name_followed_by_a_village_in_a_province(shared_gazetteer):
    # modelled on IANS's Zamfara report ("in Zakuna village"), written as an apposition
    place = place_in("Police said gunmen killed 15 people in Zakuna, a village in Zamfara state, on Friday.",
                     shared_gazetteer)
    assert (place.location, place.admin1, place.geo_precision) == ("Zakuna", "Zamfara", 3)


def test_pl_near_then_in_a_town_named_after_the_reference_town(shared_gazetteer):
    # modelled on The Nation's Borno report ("Konduga is ... about 40 kilometres drive from Maiduguri")
    text = ("Troops repelled an attack by insurgents near Maiduguri in Nigeria's Borno State on Sunday. The fighting "
            "took place in Konduga, about 40 kilometres from the state capital, officials said.")
    place = place_in(text, shared_gazetteer)
    assert (place.location, place.admin1, place.geo_precision) == ("Konduga", "Borno", 1)
    alone = place_in("Troops fought insurgents near Maiduguri in Nigeria's Borno State on Sunday, officials said.",
                     shared_gazetteer)
    assert (alone.location, alone.geo_precision) == ("Maiduguri", 2)
