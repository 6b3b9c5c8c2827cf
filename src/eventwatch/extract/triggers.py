"""Event words -> ACLED sub-event types, from the lexicon in data/triggers.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from eventwatch.extract.lookahead import first_chars
from eventwatch.records import Span
from eventwatch.resources import load_yaml


@dataclass(frozen=True)
class TriggerRule:
    sub_event_type: str  # an ACLED sub-event type, "territory" or "generic"
    rank: int
    weapon: str | None
    specific: bool


@dataclass(frozen=True)
class Trigger:
    rule: TriggerRule
    span: Span


@dataclass(frozen=True)
class Lexicon:
    pattern: re.Pattern
    rules: dict[str, TriggerRule]


@cache
def lexicon() -> Lexicon:
    rows = load_yaml("triggers.yaml")["triggers"]
    parts, rules = [], {}
    for i, row in enumerate(rows):
        name = f"t{i}"
        rules[name] = TriggerRule(sub_event_type=row["sub_event_type"], rank=int(row["rank"]),
                                  weapon=row.get("weapon"), specific=row.get("specific", True))
        if re.search(r"\\[A-Z]", row["pattern"]):
            raise ValueError(f"triggers.yaml: write {row['pattern']!r} without upper-case escapes")
        pattern = row["pattern"].lower()
        firsts = first_chars(pattern)
        # A one-character look-ahead lets the engine skip an alternative that cannot start here.
        look = "(?=[" + re.escape("".join(sorted(firsts))) + "])" if firsts else ""
        parts.append(rf"{look}(?P<{name}>(?:{pattern})\b)")
    # One alternation, in file order, so one pass finds every trigger and the first listed wins a tie;
    # the leading word boundary is tested once, so the alternatives are tried only at word starts.
    # It runs on lower-cased text: case-insensitive matching of a large alternation is twice as slow.
    return Lexicon(pattern=re.compile(r"\b(?:" + "|".join(parts) + ")"), rules=rules)


# Uses of trigger words that name no event: institutions, equipment, figures of speech.
NOT_EVENTS = re.compile(
    r"\b(?:air force(?! (?:also )?(?:killed|struck|bombed|hit|targeted|pounded|raided))|air defen[cs]es?|air base|airbase|air space|airspace|rocket launchers?|missile (?:defen[cs]e|systems?|"
    r"launchers?)|anti-aircraft|shell compan|mine(?:s)? clearing|demining|political (?:attack|offensive)|"
    r"charm offensive|heart attack|cyber ?attack|(?:hunger|general|labou?r) strikes?|"
    r"strikes? (?:a|the) (?:deal|balance|chord)|lucky strike)\b", re.I)


@cache
def taxonomy() -> dict[str, dict]:
    return load_yaml("taxonomy.yaml")["sub_event_types"]


def find_triggers(sentence: Span) -> list[Trigger]:
    lex = lexicon()
    text = sentence.text.lower()
    if len(text) != len(sentence.text):  # a rare character whose lower case is longer: keep offsets exact
        text = "".join(c if len(c.lower()) != 1 else c.lower() for c in sentence.text)
    masked = [(m.start(), m.end()) for m in NOT_EVENTS.finditer(text)]
    found: list[Trigger] = []
    for m in lex.pattern.finditer(text):
        if any(s <= m.start() < e for s, e in masked):
            continue
        rule = lex.rules[m.lastgroup]
        start = sentence.start + m.start()
        found.append(Trigger(rule=rule, span=Span(start=start, end=start + len(m.group()),
                                                  text=sentence.text[m.start():m.end()])))
    return found
