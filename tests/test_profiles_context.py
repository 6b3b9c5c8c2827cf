"""Country profiles and the context: ACLED's names for every country, by the day of the event."""

from __future__ import annotations

import datetime as dt

from eventwatch.context import default_context
from eventwatch.extract.actors import find_actors
from eventwatch.profiles import load_profiles
from eventwatch.records import Span
from eventwatch.resolve.actors import actor_name, inter_code, unidentified


def named(sentence: str, country: str, day: dt.date | None) -> list[str]:
    hits = find_actors(sentence, Span(start=0, end=len(sentence), text=sentence))
    return [actor_name(h.mention(), country, day) for h in hits]


def test_an_army_is_named_by_the_government_period_of_the_day():
    profiles = default_context().profiles
    early, late = profiles.actor("military", "NG", dt.date(2014, 5, 1)), profiles.actor("military", "NG", dt.date(2024, 5, 1))
    assert early != late and early.startswith("Military Forces of Nigeria (") and late.endswith("(2023-)")
    # the same words in two reports ten years apart
    assert named("Nigerian troops repelled the attack", "Nigeria", dt.date(2014, 5, 1)) == [early]
    assert named("Nigerian troops repelled the attack", "Nigeria", dt.date(2024, 5, 1)) == [late]


def test_generic_words_take_the_event_country():
    assert named("Gunmen shot dead two civilians", "Mexico", dt.date(2019, 3, 1)) == [
        "Unidentified Armed Group (Mexico)", "Civilians (Mexico)"]
    assert named("Soldiers clashed with the rebels", "Philippines", dt.date(2019, 3, 1))[0] == \
        default_context().profiles.actor("military", "PH", dt.date(2019, 3, 1))


def test_a_local_word_means_what_the_country_profile_says():
    assert named("Bandits raided the village", "Nigeria", dt.date(2021, 1, 1)) == ["Unidentified Armed Group (Nigeria)"]
    # elsewhere the same word names nobody in particular
    assert named("Bandits raided the village", "Peru", dt.date(2021, 1, 1)) == ["Unidentified Armed Group (Peru)"]


def test_an_unknown_country_stays_unknown():
    assert unidentified(None) == "Unidentified Armed Group"
    assert named("Gunmen attacked the convoy", None, None) == ["Unidentified Armed Group"]


def test_state_forces_abroad_are_external_forces():
    us = default_context().profiles.actor("military", "US", dt.date(2019, 1, 30))
    assert inter_code(us, "Somalia") == 8 and inter_code(us, "United States") == 1
    assert inter_code("Civilians (Kenya)", "Kenya") == 7 and inter_code("Rioters (Kenya)", "Kenya") == 5


def test_profiles_name_countries_as_acled_does(tmp_path):
    profiles = load_profiles(tmp_path)  # no profile at all: GeoNames' names, ACLED's renamings, no periods
    assert profiles.name_of("CD") == "Democratic Republic of Congo"
    assert profiles.actor("military", "US") == "Military Forces of the United States"
    assert profiles.actor("civilians", "Ukraine") == "Civilians (Ukraine)"
    assert [iso for iso, _, _ in profiles.country_mentions("Protests in Kenya spread to Uganda's capital")] == [
        "KE", "UG"]
