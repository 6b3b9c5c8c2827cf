"""Canonical actors for an event: templated actors named for the event's country and day, the unknown
perpetrator, and ACLED's inter codes."""

from __future__ import annotations

import datetime as dt

from eventwatch.context import Context, default_context
from eventwatch.records import ActorMention

# Class names of templated actors, for an event whose country nobody knows.
UNKNOWN_COUNTRY = {"civilians": "Civilians", "protesters": "Protesters", "rioters": "Rioters",
                   "unidentified": "Unidentified Armed Group", "rebels": "Unidentified Armed Group",
                   "military": "Military Forces", "police": "Police Forces", "government": "Government"}
CLASS_INTER = (("Unidentified Armed Group", 3), ("Civilians", 7), ("Protesters", 6), ("Rioters", 5))


def unidentified(country: str | None, context: Context | None = None) -> str:
    """ACLED's name for an unknown perpetrator in `country` (a name or ISO2; None: unknown)."""
    return templated("unidentified", country, None, context)


def templated(template: str, country: str | None, day: dt.date | None, context: Context | None = None) -> str:
    ctx = context or default_context()
    return (ctx.profiles.actor(template, country, day) if country else None) or UNKNOWN_COUNTRY[template]


def actor_name(mention: ActorMention | None, country: str | None, day: dt.date | None,
               context: Context | None = None) -> str | None:
    """The canonical name of an actor mention in an event of `country` on `day`: a local word takes the
    meaning the country's profile gives it; "the army" is the army of the event's country, "Nigerian troops"
    Nigeria's, each by the government period that covers the day; named groups keep their name."""
    if mention is None:
        return None
    for local_country, actor, _inter in mention.local:
        if local_country == country:
            return actor
    if mention.template:
        profiles = (context or default_context()).profiles
        target = mention.country or country
        profile = profiles.profile(target)
        if "{" not in mention.canonical and not (profile and profile.periods.get(mention.template)):
            return mention.canonical  # a named force whose country has no periods: the dictionary's name
        name = profiles.actor(mention.template, target, day) if target else None
        return name or UNKNOWN_COUNTRY[mention.template]
    return mention.canonical


def inter_code(name: str | None, event_country: str | None, context: Context | None = None) -> int | None:
    """ACLED's actor type; a state's forces acting in another country are external forces (8)."""
    if name is None:
        return None
    for prefix, code in CLASS_INTER:
        if name.startswith(prefix):
            return code
    ctx = context or default_context()
    entry = ctx.actors.by_name.get(name)
    home = ctx.profiles.state_country(name) or (
        entry.country if entry is not None and entry.inter in (1, 8) else None)
    if home is None and name.startswith("Government of"):
        home = ctx.profiles.name_of(name.removeprefix("Government of ").removeprefix("the ").split(" (")[0])
    if home is not None:
        return 8 if event_country and home != event_country else 1
    return entry.inter if entry is not None else None


def with_unit(name: str, mention: ActorMention) -> str:
    """'Military Forces of Syria (2000-) 5th Legion': ACLED keeps a named unit as a sub-name."""
    return f"{name} {mention.unit}" if mention.unit else name


def join_assoc(mentions: list[ActorMention], country: str | None = None, day: dt.date | None = None,
               context: Context | None = None) -> str | None:
    names: list[str] = []
    for m in mentions:
        name = with_unit(actor_name(m, country, day, context) or m.canonical, m)
        if name not in names:
            names.append(name)
    return "; ".join(names) or None


def canonical_actor_name(name: str, context: Context | None = None) -> str:
    """The canonical name for an alias a user types ("Daesh" -> "Islamic State (Syria)"); else the input."""
    automaton = (context or default_context()).actors.automaton
    key = name.strip().lower()
    if key in automaton:
        entry = automaton.get(key)[0]
        return entry.speaks_for or entry.canonical if entry.kind == "claimant" else entry.canonical
    return name.strip()
