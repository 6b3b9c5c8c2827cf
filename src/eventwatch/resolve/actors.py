"""Canonical actors for an event: the unknown perpetrator, and ACLED's inter codes by country."""

from __future__ import annotations

from eventwatch.extract.actors import canonical_entry
from eventwatch.records import ActorMention


def unidentified(country: str | None) -> str:
    return f"Unidentified Armed Group ({country or 'Syria'})"


def inter_code(name: str | None, event_country: str | None) -> int | None:
    """ACLED codes a state's forces acting in another country as external forces (8)."""
    if name is None:
        return None
    if name.startswith("Unidentified Armed Group"):
        return 3
    if name.startswith("Civilians"):
        return 7
    entry = canonical_entry(name)
    if entry is None:
        return None
    if entry.inter == 1 and event_country and entry.country and entry.country != event_country:
        return 8
    return entry.inter


def with_unit(mention: ActorMention) -> str:
    """'Military Forces of Syria (2000-) 5th Legion': ACLED keeps a named unit as a sub-name."""
    return f"{mention.canonical} {mention.unit}" if mention.unit else mention.canonical


def join_assoc(mentions: list[ActorMention]) -> str | None:
    names: list[str] = []
    for m in mentions:
        name = with_unit(m)
        if name not in names:
            names.append(name)
    return "; ".join(names) or None


def canonical_actor_name(name: str) -> str:
    """The canonical name for an alias a user types ("Daesh" -> "Islamic State (Syria)"); else the input."""
    from eventwatch.extract.actors import actor_index

    automaton = actor_index().automaton
    key = name.strip().lower()
    if key in automaton:
        entry = automaton.get(key)[0]
        return entry.speaks_for or entry.canonical if entry.kind == "claimant" else entry.canonical
    return name.strip()
