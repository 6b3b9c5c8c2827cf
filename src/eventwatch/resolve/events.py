"""The resolve stage: EventMentions -> Events with canonical actors, a place, real dates and figures.

Figures follow ACLED's conservative rule: the best estimate is the lowest credible report. A figure
stated only by the perpetrator's own outlet ("Amaq: 8 killed") is a claim, kept in `claims` and in the
low/high range, but not credible on its own; a bomber who "blew himself up" is one certain death.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter

from eventwatch.context import Context, default_context
from eventwatch.extract.dates import month_period
from eventwatch.extract.events import TWO_SIDED, base_date
from eventwatch.extract.triggers import find_triggers, taxonomy
from eventwatch.records import (
    Article,
    Claim,
    Event,
    EventMention,
    Evidence,
    NumberMention,
    ResolvedPlace,
    Source,
    Span,
    stable_id,
)
from eventwatch.resolve.actors import actor_name, inter_code, join_assoc, templated, unidentified
from eventwatch.resolve.notes import write_notes
from eventwatch.resolve.places import admin1_from_text, article_context, filed_from, resolve_place
from eventwatch.typemodel import sentence_bounds, type_evidence

SUICIDE_DEATH = re.compile(r"\bblew (?:himself|herself) up\b|\bsuicide bomber\b", re.I)
VAGUE = re.compile(r"\b(?:several|dozens|scores|many|numerous|hundreds|thousands|a number|tens|a few|a dozen)\b",
                   re.I)


STRIKES_ON_PEOPLE = frozenset({"Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                               "Suicide bomb", "Grenade", "Attack"})
CIVILIAN_VICTIMS = re.compile(r"\b(?:person|persons|people|civilians?|residents?|villagers?|passers-?by|passengers?|"
                              r"worshippers?|women|children|students?|pupils?|farmers?|traders?|shoppers?|leaders?|"
                              r"activists?|journalists?|teachers?|doctors?|nurses?|priests?|pastors?|imams?|"
                              r"politicians?|candidates?|mayors?|lawyers?|judges?|businessm[ae]n|"
                              r"(?:rescue|aid|relief|health|medical|civil[- ]defen[cs]e)\s+(?:workers?|staff|volunteers?)|"
                              r"medics?|paramedics?|first responders?|firefighters?)\b", re.I)
# Rule ac-toll-noun (session 8, from FA-KES tuning reports; tested on other tuning articles): the people a toll counts
# are often named just after its number ("led to the killing of one person and the injury of 40 others", "the death
# of five of the finest volunteering rescue workers"): the first words after a toll, up to the end of its clause and
# never the speaker of a report that follows ("killed 12 activists said": the activists speak)
TOLL_AFTER = re.compile(r"[.;:!?\"(]|,|\b(?:and|but|while|as|in|on|at)\b"
                        r"|\b(?:[\w-]+\s+){0,2}(?:said|say|says|reported|told|according|claimed)\b", re.I)


# Rule ac-executed-victims (session 8, from FA-KES tuning reports of executions; tested on stored pages from other
# conflicts): the people an armed actor executed, beheaded or whose throats it slit, named by no side ("executed six
# young men", "beheaded a farmer"), are civilians (ACLED's Violence against civilians: Civilians (X)).
EXECUTION = re.compile(r"\b(?:execut(?:ed|ing|es|ions?)|beheaded|beheading|(?:slit|slitting|slashed|cut) "
                       r"(?:the |their |his |her )?throats?|summar(?:il)?y execut\w*)\b", re.I)


def names_civilians(text: str, n: NumberMention) -> bool:
    """A toll whose words, or the few words right after it, name civilian victims."""
    if CIVILIAN_VICTIMS.search(n.span.text):
        return True
    after = text[n.span.end:n.span.end + 80]
    cut = TOLL_AFTER.search(after)
    words = (after[:cut.start()] if cut else after).split()[:6]
    return bool(words) and bool(CIVILIAN_VICTIMS.search(" ".join(words)))


# Rule ac-civilian-site (session 8, from FA-KES tuning reports; tested on stored pages from other conflicts): an air
# strike or shelling that hit a civilian site ("bombed a medicine factory", "hospital and civilian homes were subject to
# intense shelling", "strikes on the bus"), its target named by no side, hit civilians (ACLED codes Civilians (X))
REMOTE_STRIKES = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})
CIVILIAN_SITE = re.compile(r"\b(?:hospitals?|clinics?|medical (?:centres?|centers?|facilit(?:y|ies))|schools?|"
                           r"kindergartens?|universit(?:y|ies)|markets?|marketplaces?|baker(?:y|ies)|mosques?|"
                           r"churches?|bus|buses|minibus(?:es)?|factor(?:y|ies)|homes?|houses?|residential|"
                           r"apartments?|shops?|refugee camps?|camps? for (?:the )?displaced|"
                           r"civilian (?:areas?|homes?|houses?|buildings?|infrastructure))\b", re.I)


def sentence_of(text: str, sentences: list[tuple[int, int]], at: int) -> str:
    i = bisect.bisect_right(sentences, (at, math.inf)) - 1
    if 0 <= i < len(sentences) and sentences[i][0] <= at < sentences[i][1]:
        return text[sentences[i][0]:sentences[i][1]]
    return text[max(0, at - 150):at + 150]


NON_VIOLENT = frozenset({"Agreement", "Change to group/activity", "Headquarters or base established",
                         "Non-violent transfer of territory"})


def decide_type(mention: EventMention, actor1: str | None, actor2: str | None, context: Context) -> str:
    sub = mention.sub_event_type
    inter1 = inter_code(actor1, None, context)
    if sub == "territory":
        return "Government regains territory" if inter1 == 1 else "Non-state actor overtakes territory"
    if sub == "generic":
        # An attack that names no weapon: on civilians it is violence against them, else a clash.
        return "Attack" if actor2 and actor2.startswith("Civilians") else "Armed clash"
    if sub == "Armed clash" and actor2 and actor2.startswith("Civilians"):
        return "Attack"
    if sub == "Excessive force against protesters" and mention.actor1 is not None and inter1 in (2, 3, 4) \
            and mention.trigger.text.lower().startswith(("open", "fire", "shot")):
        # Rule ac-force-by-state (session 7): gunmen or a militia that fired on a leader's supporters or on marchers
        # attacked them (ACLED's excessive force is the force of those policing the protest)
        return "Attack"
    return sub


def voice(claimant: str | None, outlet: str | None) -> str | None:
    """The outlet quoting its own reporter ("SANA reporter said" in SANA) speaks in its own voice."""
    if claimant and outlet and (claimant.lower() in outlet.lower() or outlet.lower() in claimant.lower()):
        return None
    return claimant


def is_state(actor: str | None, context: Context) -> bool:
    return actor is not None and inter_code(actor, None, context) in (1, 8) and not actor.startswith("Government of")


def plausible_roles(sub: str, weapon: str | None, actor1: str, actor2: str | None,
                    country: str | None, day, context: Context) -> tuple[str, str | None]:
    """Roles that the event type rules out are read the other way round.

    Only states fly warplanes: a non-state 'perpetrator' of an air strike is its target, and an unnamed
    one is the air force of the event's country. Suicide bombs and IEDs are not state forces' weapons:
    state forces named as their 'perpetrator' are the target. Protests are carried out by protesters.
    """
    demonstrators = {"Peaceful protest": "protesters", "Protest with intervention": "protesters",
                     "Excessive force against protesters": "protesters", "Violent demonstration": "rioters",
                     "Mob violence": "rioters"}.get(sub)
    if demonstrators and not actor1.startswith(("Protesters", "Rioters")):
        # ACLED codes the demonstrators as actor1, and forces that intervened ("police dispersed the
        # march") or people a mob attacked as actor2
        if is_state(actor1, context):
            actor2 = actor1  # the forces that intervened; the people they hurt are the demonstrators
        elif actor2 is None and not actor1.startswith("Unidentified"):
            actor2 = actor1
        actor1 = templated(demonstrators, country, day, context)
    elif demonstrators == "rioters" and actor1.startswith("Protesters"):
        actor1 = templated("rioters", country, day, context)
    if demonstrators and actor2 is not None and actor2.startswith(("Protesters", "Rioters")):
        actor2 = None
    if demonstrators == "protesters" and actor2 is not None and actor2.startswith("Civilians"):
        actor2 = None  # "50 people including an opposition leader were detained": the protesters themselves
    if sub == "Peaceful protest" and actor2 is not None and is_state(actor2, context):
        # Rule ac-peaceful-no-force: forces named at a peaceful protest are what it is about ("a rally against
        # political interference in Sindh Police"); forces that acted on it would make it an intervention
        actor2 = None
    if sub in ("Protest with intervention", "Excessive force against protesters") and actor2 is None and country:
        # Rule ac-intervening-police: the force that broke up or fired on a protest, when the report does not name
        # it ("400 people have been detained in a crackdown on a march"), is the country's police (ACLED)
        actor2 = templated("police", country, day, context)
    if sub == "Mob violence" and actor2 is None and country:
        actor2 = templated("civilians", country, day, context)  # a mob's victims are civilians unless named
    if sub == "Arrests" and actor2 is not None and is_state(actor2, context) and not is_state(actor1, context):
        actor1, actor2 = actor2, (None if actor1.startswith("Unidentified") else actor1)  # state forces arrest
    elif sub == "Arrests" and actor1.startswith("Unidentified") and country:
        # Rule ac-arrests-police: arrests told without the force that made them ("Peshawar police said ... they have
        # arrested three terrorists", "were arrested late Monday") are the country's police's (ACLED's default)
        actor1 = templated("police", country, day, context)
    if actor1.startswith("Government of") and sub != "Agreement":
        # a government is a party to an agreement as such (ACLED); in any other event its forces acted
        actor1 = actor1.replace("Government of", "Police Forces of" if sub == "Arrests" else "Military Forces of")
    if sub == "Air/drone strike" and weapon != "drone" and not is_state(actor1, context):
        if not actor1.startswith("Unidentified") and actor2 in (None, actor1):
            actor2 = actor1
        actor1 = templated("military", country, day, context) if country else actor1
    elif sub in ("Suicide bomb", "Remote explosive/landmine/IED") and is_state(actor1, context):
        if actor2 is None or actor2.startswith("Civilians"):
            actor2 = actor1 if actor2 is None else actor2
        actor1 = unidentified(country, context)
    return actor1, (None if actor2 == actor1 else actor2)


def figures(numbers: list[NumberMention], kind: str, perpetrator: str | None, bomber: bool,
            speaks_for: dict[str, str | None], outlet: str | None = None):
    """(best, low, high) for killed or injured, by the conservative rule.

    Each source is read at its highest figure (a toll that rose). The best estimate is the lowest
    figure of a credible source; a figure only the perpetrator's own outlet states is used when no
    other source gives one. A named source whose account of the event reports only injuries
    (state media: "injured several") is a report of no deaths. A bomber who blew himself up is one
    death where the credible sources report no others.
    """
    extra = 1 if bomber and kind == "killed" else 0
    own = [n for n in numbers if n.kind == kind]
    # Rule fi-also: dead told as "also killed" (the other side's, "four militants were also killed") add to the
    # toll told before them, as ACLED counts every death of the event; alone they are the toll.
    also = [n for n in own if n.also and n.value]
    if also and any(not n.also and n.value is not None for n in own):
        own = [n for n in own if not n.also]
        extra += max(n.value for n in also)
    by_claimant: dict[str | None, list[int]] = {}
    for n in own:
        if n.value is not None:
            by_claimant.setdefault(voice(n.claimant, outlet), []).append(n.value)
    stated = {c: max(v) for c, v in by_claimant.items()}
    credible = [v for c, v in stated.items() if not (c and perpetrator and speaks_for.get(c) == perpetrator)]
    claimed = [v for c, v in stated.items() if c and perpetrator and speaks_for.get(c) == perpetrator]
    if kind == "killed" and not credible:
        only_hurt = {n.claimant for n in numbers if n.kind == "injured" and n.claimant} - set(stated)
        if any(not (perpetrator and speaks_for.get(c) == perpetrator) for c in only_hurt):
            credible = [0]
    if credible:
        best = min(credible)
    elif claimed:
        best = min(claimed)
    elif extra:
        best = 0
    else:
        return None, None, None
    if best > 0 and credible and bomber:
        extra -= 1  # "killed four": whether the bomber is among them is unknown, so he is not added
    values = [v + extra for v in [*credible, *claimed, best]]
    return best + extra, min(values), max(values)


def vague_word(phrase: str) -> str:
    """'injured several' -> 'several': a figure that is no number stays a word."""
    m = VAGUE.search(phrase)
    return m.group() if m else phrase


def claim_from(n: NumberMention, article: Article, speaks_for: dict[str, str | None]) -> Claim:
    who = (speaks_for.get(n.claimant) or n.claimant) if n.claimant else article.outlet
    return Claim(field="fatalities" if n.kind == "killed" else "injuries",
                 value=n.value if n.value is not None else vague_word(n.span.text),
                 claimed_by=who, article_id=article.article_id, quote=n.quote, outlet=article.outlet,
                 start=n.span.start, end=n.span.end)




def country_focus(article: Article, context: Context, gazetteer=None) -> list[str]:
    """ISO2 codes of the countries an article is about, most likely first: the provinces and towns it
    names (strong), the countries it names (the headline and lead count double; a demonym is often a
    foreign actor's, so it counts half), and the outlet's own country (weak). Empty when nothing says."""
    text = article.text
    score: Counter[str] = Counter()
    for iso, start, end in context.profiles.country_mentions(text):
        word = text[start:end]
        if word in context.profiles.demonym_words:
            weight = 0.25  # "Turkish forces", "Russian jets": often a foreign actor
        elif LOCATED_COUNTRY.search(text, max(0, start - 30), start) or text.startswith(("'s", "’s", "s "), end):
            weight = 2.0  # "in Syria", "across Nigeria", "Syria's north": where things happen
        else:
            weight = 0.5  # "the United States said", "U.S.-led": who acts or speaks
        score[iso] += weight * (2.0 if start < LEAD_CHARS else 1.0)
    places = article_context(text, gazetteer or context.gazetteer)
    for (iso, _admin1), n in places.admin1_counts:
        score[iso] += 1.0 * n
    if (filed := filed_from(text, gazetteer or context.gazetteer)) is not None:
        score[filed] += 1.0  # where the report was filed from: most often the country it is about (weakly)
    outlet_country = context.profiles.iso2_of(article.extra.get("outlet_country")) if article.extra else None
    if outlet_country:
        score[outlet_country] += 0.5
    return [iso for iso, _ in score.most_common() if score[iso] > 0]


LEAD_CHARS = 400  # the headline and first sentences
# a country named as the place where things happen: "in Syria", "across northern Nigeria", "inside Mali"
LOCATED_COUNTRY = re.compile(r"\b(?:in|into|inside|across|throughout|of|around)\s+(?:(?:the\s+)?(?:north|south|east|west|"
                             r"northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
                             r"south-?western)\s+)?$", re.I)


def names_no_place(name: str, context: Context) -> bool:
    """A capitalised word that names an actor ("Gunmen", "Houthis"), a people ("Ugandan", "Kyrgyz"), an event
    ("Protests") or a quantity ("Thousands"), and so no place, when the gazetteer does not know it.
    Remembered in the context (the same words come back in every article; bounded)."""
    memo = context.word_memo
    known = memo.get(name)
    if known is None:
        if len(memo) >= WORD_MEMO_SIZE:
            memo.clear()
        known = memo[name] = word_names_no_place(name, context)
    return known


WORD_MEMO_SIZE = 50_000


def word_names_no_place(name: str, context: Context) -> bool:
    key = name.lower()
    if key in context.profiles.iso_by_name:
        return False  # a country's own name is no actor's word here
    if key in context.actors.automaton or name in context.profiles.iso_by_word:
        return True
    if key.rstrip("s") in context.actors.automaton or VAGUE.fullmatch(name) or re.fullmatch(
            r"(?:thousands|hundreds|dozens|scores|unidentified|unknown|several|many)", key):
        return True
    return bool(find_triggers(Span(start=0, end=len(name), text=name)))


def iso3_of(country: str | None, gazetteer, context: Context) -> str | None:
    profile = context.profiles.profile(country)
    if profile is not None and profile.iso3:
        return profile.iso3
    return gazetteer.country_iso3(context.profiles.iso2_of(country)) if country else None


NEARBY_BEFORE, NEARBY_AFTER = 300, 600  # characters around an event word that its setting is read from


def nearby_admin1(text: str, at: int, country: str | None, gazetteer=None) -> str | None:
    """The governorate named most around an event word ("... the northern village of Rityan ... the offensive
    to encircle the east of Aleppo"): for an event whose own place the gazetteer lacks."""
    window = text[max(0, at - NEARBY_BEFORE):at + NEARBY_AFTER]
    return admin1_from_text(window, country=country, gazetteer=gazetteer) if window.strip() else None


def resolve_events(article: Article, mentions: list[EventMention],
                   speaks_for: dict[str, str | None] | None = None, gazetteer=None,
                   context: Context | None = None) -> list[Event]:
    """Turn one article's mentions into Events (reports of one source)."""
    context = context or default_context()
    gazetteer = gazetteer or context.gazetteer
    if speaks_for is None:
        speaks_for = context.claimant_voices
    base, base_span, inferred, month = base_date(article)
    text = article.text
    # A prior for the geocoder: the country the article is about (wire datelines name Beirut or Moscow;
    # "Ariha" is also Jericho's Arabic name; a provincial town has namesakes on other continents).
    focus = country_focus(article, context, gazetteer)
    expected_country = focus[0] if focus else None
    # never a foreign capital's province for an event in the focus country ("said in Moscow")
    article_admin1 = admin1_from_text(text, country=expected_country, gazetteer=gazetteer) if expected_country \
        else admin1_from_text(text, gazetteer=gazetteer)
    lead_places = [p for m in mentions for p in m.places if not m.background]
    source = Source(article_id=article.article_id, outlet=article.outlet, url=article.url,
                    published=article.published, title=article.title)
    events: list[Event] = []
    sentences: list[tuple[int, int]] | None = None  # split once, only when the type model reads them
    for m in mentions:
        evidence: list[Evidence] = []

        def ev(field: str, span, evidence: list[Evidence] = evidence) -> None:
            if span is not None:
                evidence.append(span.evidence(field, article.article_id))

        # Place: the event's own places, else (news event) any place in the lead, else the province named.
        place: ResolvedPlace | None = resolve_place(m.places or ([] if m.background else lead_places),
                                                    text=text, country=expected_country, focus=tuple(focus),
                                                    not_a_place=lambda name: names_no_place(name, context),
                                                    article_id=article.article_id, gazetteer=gazetteer)
        country = context.profiles.name_of(place.country) if place and place.country else \
            context.profiles.name_of(expected_country)
        day = m.date.start if m.date is not None else (base or month)
        actor1 = actor_name(m.actor1, country, day, context)
        if actor1 is None or actor1.startswith("Unidentified"):
            actor1 = unidentified(country, context)
        actor2 = actor_name(m.actor2, country, day, context)
        if actor2 == actor1:
            actor2 = None
        sub = decide_type(m, actor1, actor2, context)
        if sub in ("Violent demonstration", "Mob violence") and m.actor1 is not None and \
                inter_code(actor1, None, context) in (2, 3, 4) and not actor1.startswith("Unidentified"):
            # Rule ac-militia-rampage (session 7, from CBS's Turmus Ayya report; tested on others): a named militia or
            # armed group that "rampaged" or rioted through a town attacked it (ACLED keeps the group as actor1)
            sub = "Attack"
        named1, named2 = actor1, actor2
        actor1, actor2 = plausible_roles(sub, m.weapon, actor1, actor2, country, day, context)
        if context.type_model != "rules":
            # the learned type model (eventwatch.typemodel) reads what the rules decided and may overrule it
            if sentences is None:
                sentences = sentence_bounds(text)
            model_sub = context.type_classifier.decide(type_evidence(text, sentences, m.trigger, sub, m.weapon,
                                                                     inter_code(actor1, country, context),
                                                                     inter_code(actor2, country, context)),
                                                       context.type_model)
            if model_sub != sub and model_sub in taxonomy():
                sub = model_sub
                actor1, actor2 = plausible_roles(sub, m.weapon, named1, named2, country, day, context)
        if actor2 is None and country and sub == "Armed clash" and is_state(actor1, context) and \
                TWO_SIDED.match(m.trigger.text):
            # Rule ac-clash-unnamed (session 7, from the AP's Rio report; tested on others): state forces in a gunbattle
            # or an exchange of fire with nobody named fought someone armed: an unidentified armed group (ACLED)
            actor2 = unidentified(country, context)
        if actor2 is None and country and sub in STRIKES_ON_PEOPLE and any(
                n.value and names_civilians(text, n) for n in m.numbers):
            # Rule ac-people-hit: "one person was killed in Russian drone attacks": the people a strike killed or
            # wounded, named by no side, are civilians (rule ac-toll-noun: also when named right after the toll)
            actor2 = templated("civilians", country, day, context)
        if actor2 is None and country and sub == "Attack" and EXECUTION.search(m.trigger.text):
            actor2 = templated("civilians", country, day, context)  # rule ac-executed-victims
        if actor2 is None and country and sub in REMOTE_STRIKES:
            if sentences is None:
                sentences = sentence_bounds(text)
            if CIVILIAN_SITE.search(sentence_of(text, sentences, m.trigger.start)):
                actor2 = templated("civilians", country, day, context)  # rule ac-civilian-site
        tax = taxonomy()[sub]
        bomber = sub == "Suicide bomb" and bool(SUICIDE_DEATH.search(text))
        killed = figures(m.numbers, "killed", actor1, bomber, speaks_for, article.outlet)
        hurt = figures(m.numbers, "injured", actor1, False, speaks_for, article.outlet)
        claims = [claim_from(n, article, speaks_for) for n in m.numbers]
        claimed_by = actor_name(m.claimed_by, country, day, context)
        if claimed_by:
            claims.append(Claim(field="responsibility", value=claimed_by, claimed_by=claimed_by,
                                article_id=article.article_id, quote=None, outlet=article.outlet,
                                start=m.claimed_by.span.start, end=m.claimed_by.span.end))
        if m.date is not None:
            event_date, date_end, precision = m.date.start, m.date.end, m.date.precision
            ev("event_date", m.date.span)
        elif base is None and month is not None:
            # only the month of publication is known (rule dt-month-base): the event is dated to that month
            event_date, date_end, precision = month, month_period(month.year, month.month)[1], 3
        else:
            event_date, date_end, precision = base, None, 2
            if base_span is not None:
                ev("event_date", base_span)
        if inferred and base_span is not None:
            ev("published_inferred", base_span)
        ev("event_type", m.trigger)
        ev("sub_event_type", m.trigger)
        if m.actor1:
            ev("actor1", m.actor1.span)
        if m.actor2:
            ev("actor2", m.actor2.span)
        for a in m.assoc_actor_1:
            ev("assoc_actor_1", a.span)
        for a in m.assoc_actor_2:
            ev("assoc_actor_2", a.span)
        ev("weapon", m.weapon_span)
        if m.claimed_by:
            ev("claimed_by", m.claimed_by.span)
        for n in m.numbers:
            ev("fatalities" if n.kind == "killed" else "injuries", n.span)
        if place:
            evidence.extend(place.evidence)
        admin1 = place.admin1 if place and place.admin1 else (
            nearby_admin1(text, m.trigger.start, expected_country, gazetteer) or article_admin1)
        location = place.location if place else None
        # Rule fi-non-violent: an agreement, a change of a group, a base set up or a town handed over kills nobody;
        # a toll in its sentences is the war's ("ending two years of fighting that has killed thousands")
        fatalities = 0 if sub in NON_VIOLENT else (killed[0] or 0)
        notes = write_notes(date=event_date, precision=precision, sub_event_type=sub, actor1=actor1,
                            actor2=actor2, location=location, admin1=admin1,
                            geo_precision=place.geo_precision if place else None, fatalities=fatalities,
                            injuries=hurt[0], claimed_by=claimed_by, claims=claims, weapon=m.weapon)
        events.append(Event(
            event_id=stable_id(article.article_id, m.index, sub, event_date),
            event_date=event_date, date_end=date_end, time_precision=precision,
            disorder_type=tax["disorder_type"], event_type=tax["event_type"], sub_event_type=sub,
            actor1=actor1, assoc_actor_1=join_assoc(m.assoc_actor_1, country, day, context),
            actor2=actor2, assoc_actor_2=join_assoc(m.assoc_actor_2, country, day, context),
            inter1=inter_code(actor1, country, context), inter2=inter_code(actor2, country, context),
            country=country, iso3=(place.iso3 if place and place.iso3 else iso3_of(country, gazetteer, context)),
            admin1=admin1, admin2=place.admin2 if place else None, admin3=place.admin3 if place else None,
            location=location, latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=place.geo_precision if place else (3 if admin1 else None),
            geonameid=place.geonameid if place else None,
            fatalities=fatalities, fatalities_low=killed[1], fatalities_high=killed[2], injuries=hurt[0],
            weapon=m.weapon, claimed_by=claimed_by, background=m.background, notes=notes,
            cameo=str(tax["cameo"]), sources=[source], claims=claims, evidence=evidence,
            confidence=m.confidence,
        ))
    return events
