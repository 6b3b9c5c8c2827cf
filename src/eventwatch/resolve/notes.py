"""One or two neutral sentences describing an event, generated from its coded fields.

Partisan words ("terrorists", "regime", "martyrs") never come from here: names are the canonical
ones, verbs are chosen per sub-event type, and figures are attributed to who stated them.
"""

from __future__ import annotations

import datetime as dt

from eventwatch.records import Claim

VERBS = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from",
    "Chemical weapon": "carried out a suspected chemical attack against",
    "Air/drone strike": "carried out an air or drone strike against",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled or fired missiles at",
    "Remote explosive/landmine/IED": "attacked with an explosive device",
    "Grenade": "threw a grenade at",
    "Sexual violence": "committed sexual violence against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Peaceful protest": "protested",
    "Protest with intervention": "protested and were met by",
    "Excessive force against protesters": "used force against",
    "Violent demonstration": "rioted",
    "Mob violence": "attacked",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested members of",
    "Disrupted weapons use": "was involved in an attempted or disrupted attack with",
    "Looting/property destruction": "destroyed or looted property of",
    "Non-violent transfer of territory": "transferred territory to",
}


def describe_date(date: dt.date | None, precision: int) -> str:
    if date is None:
        return "On an unknown date"
    if precision == 3:
        return f"In {date:%B %Y}"
    if precision == 2:
        return f"Around {date.day} {date:%B %Y}"
    return f"On {date.day} {date:%B %Y}"


def write_notes(*, date: dt.date | None, precision: int, sub_event_type: str, actor1: str | None,
                actor2: str | None, location: str | None, admin1: str | None, geo_precision: int | None,
                fatalities: int, injuries: int | None, claimed_by: str | None, claims: list[Claim],
                weapon: str | None, ledger: list[Claim] | None = None) -> str:
    """A neutral summary of an event from its coded fields. `claims` are listed as reported figures;
    `ledger` (default: `claims`) is every claim the event holds, read only so that the notes never
    contradict it: no "No fatalities were reported" when a source says "hundreds" were killed."""
    verb = VERBS.get(sub_event_type, "was involved in an event with")
    who = actor1 or "An unidentified actor"
    if sub_event_type == "Remote explosive/landmine/IED":
        action = f"{verb} {'targeting ' + actor2 if actor2 else ''}".strip()
    else:
        action = f"{verb} {actor2}" if actor2 else verb.replace(" against", "").replace(" with", "").replace(
            " from", "").replace(" at", "").replace(" of", "").replace(" to", "")
    if location and geo_precision == 2:
        where = f" near {location}"
    elif location and location != admin1:
        where = f" in {location}"
    else:
        where = ""
    if admin1 and admin1 != location:
        where += f" ({admin1})" if where else f" in {admin1}"
    first = f"{describe_date(date, precision)}, {who} {action}{where}."
    figures = [c for c in claims if c.field in ("fatalities", "injuries") and c.claimed_by and c.value != 0]
    said_killed = [c.value for c in (claims if ledger is None else ledger)
                   if c.field == "fatalities" and c.value not in (0, None, "")]
    vague = list(dict.fromkeys(str(v).lower() for v in said_killed if not isinstance(v, int)))
    if fatalities == 0 and vague and not any(isinstance(v, int) for v in said_killed):
        # A toll in words only ("dozens", "hundreds"): said as such, never as no fatalities, never as 0.
        second = "Toll not quantified; sources say " + " and ".join(f"'{v}'" for v in vague[:3]) + " killed."
        if injuries:
            second += f" {injuries} people were reported injured."
    elif fatalities == 0 and not figures:
        second = "No fatalities were reported." if injuries is None else (
            "No casualties were reported." if injuries == 0 else f"{injuries} people were reported injured.")
    else:
        second = f"Fatalities (conservative estimate): {fatalities}."
        said = []
        for c in figures[:4]:
            kind = "killed" if c.field == "fatalities" else "injured"
            said.append(f"{c.claimed_by}: {c.value} {kind}")
        if said:
            second += " Reported figures: " + "; ".join(said) + "."
    if claimed_by:
        second += f" {claimed_by} claimed responsibility."
    return f"{first} {second}"
