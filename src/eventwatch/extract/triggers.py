"""Event words -> ACLED sub-event types, from the lexicon in data/triggers.yaml."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from eventwatch.extract.lookahead import behind_lookahead, first_chars
from eventwatch.records import Span
from eventwatch.resources import load_yaml


@dataclass(frozen=True)
class TriggerRule:
    sub_event_type: str  # an ACLED sub-event type, "territory" or "generic"
    rank: int
    weapon: str | None
    specific: bool
    rule_id: str = ""  # the row's id in triggers.yaml
    # a match whose own text contains this (case-sensitive) is no trigger: "March" the month is no "march"
    not_cased: re.Pattern | None = None


@dataclass(frozen=True)
class Trigger:
    rule: TriggerRule
    span: Span


@dataclass(frozen=True)
class Lexicon:
    pattern: re.Pattern
    rules: dict[str, TriggerRule]
    # The same alternation split by the character a trigger starts with: for each character, the rows that
    # can start with it, in file order (so the first listed still wins a tie), and the positions worth
    # trying (a word boundary before one of those characters). None when a row's first characters are unknown.
    by_char: dict[str, re.Pattern] | None = None
    starts: re.Pattern | None = None

    def finditer(self, text: str) -> Iterator[re.Match]:
        """The matches of `pattern.finditer(text)`, found by trying at each candidate position only the rows
        that can start with its character (a few instead of every row)."""
        if self.by_char is None or self.starts is None:
            yield from self.pattern.finditer(text)
            return
        by_char, reach = self.by_char, 0
        for candidate in self.starts.finditer(text):
            at = candidate.start()
            if at < reach:
                continue  # inside the last match: finditer goes on from its end
            m = by_char[text[at]].match(text, at)  # \b looks at the character before `at`, as in a search
            if m is not None:
                reach = m.end() if m.end() > at else at + 1
                yield m


def split_by_first_char(parts: list[tuple[str, set[str] | None]]) -> tuple[dict[str, re.Pattern] | None,
                                                                          re.Pattern | None]:
    """Lexicon.by_char and Lexicon.starts from the alternatives and their possible first characters."""
    if not parts or any(firsts is None for _, firsts in parts):
        return None, None
    chars = sorted(set().union(*(firsts for _, firsts in parts)))
    by_char = {c: re.compile(r"\b(?:" + "|".join(alt for alt, firsts in parts if c in firsts) + ")") for c in chars}
    return by_char, re.compile(r"\b[" + re.escape("".join(chars)) + "]")


@cache
def lexicon() -> Lexicon:
    rows = load_yaml("triggers.yaml")["triggers"]
    parts, rules = [], {}
    alternatives: list[tuple[str, set[str] | None]] = []
    for i, row in enumerate(rows):
        name = f"t{i}"
        rules[name] = TriggerRule(sub_event_type=row["sub_event_type"], rank=int(row["rank"]),
                                  weapon=row.get("weapon"), specific=row.get("specific", True),
                                  rule_id=str(row.get("id", name)),
                                  not_cased=re.compile(row["not_cased"]) if row.get("not_cased") else None)
        if re.search(r"\\[A-Z]", row["pattern"]):
            raise ValueError(f"triggers.yaml: write {row['pattern']!r} without upper-case escapes")
        pattern = row["pattern"].lower()
        firsts = first_chars(pattern)
        # A one-character look-ahead lets the engine skip an alternative that cannot start here.
        look = "(?=[" + re.escape("".join(sorted(firsts))) + "])" if firsts else ""
        parts.append(rf"{look}(?P<{name}>(?:{pattern})\b)")
        alternatives.append((rf"(?P<{name}>(?:{pattern})\b)", firsts))
    # One alternation, in file order, so one pass finds every trigger and the first listed wins a tie;
    # the leading word boundary is tested once, so the alternatives are tried only at word starts.
    # It runs on lower-cased text: case-insensitive matching of a large alternation is twice as slow.
    by_char, starts = split_by_first_char(alternatives)
    return Lexicon(pattern=re.compile(r"\b(?:" + "|".join(parts) + ")"), rules=rules, by_char=by_char,
                   starts=starts)


# Uses of trigger words that name no event: institutions, equipment, figures of speech.
NOT_EVENTS = re.compile(
    r"\b(?:air force(?! (?:also )?(?:killed|struck|bombed|hit|targeted|pounded|raided))|air defen[cs]es?|air base|airbase|air space|airspace|rocket launchers?|missile (?:defen[cs]e|systems?|"
    r"launchers?)|anti-aircraft|shell compan|mine(?:s)? clearing|demining|political (?:attack|offensive)|"
    r"charm offensive|heart attack|cyber ?attack|(?:hunger|general|labou?r) strikes?|"
    r"strikes? (?:a|the) (?:deal|balance|chord)|lucky strike|"
    # Rule tr-riot-gear (session 8, from IANS' Srinagar report; tested on others): what police fire at a crowd ("tear
    # gas shells", "tear smoke shells", "stun grenades", "sound bombs") is no shelling, grenade or bomb attack
    r"tear[- ]?(?:gas|smoke)(?: shells?| canisters?| grenades?| bombs?| rounds?)|(?:stun|smoke|sound|flash) "
    r"(?:grenades?|bombs?)|flash-?bangs?|"
    # "the Naxalite-hit Sukma district", "conflict-hit", "drought-hit": an adjective, no strike
    r"(?<=\w-)hit)\b", re.I)


# Rule tr-averted: what an agreement or a call is to stop is no event of its own ("pledging to halt fighting",
# "a truce to end the clashes"): the word right after these is masked. Session 7: also the noun with "to" ("bringing a
# halt to the fiercest fighting in years", "an end to the clashes": Reuters' Gaza truce report; tested on others).
AVERTED = re.compile(r"\b(?:to |in order to )?(?:halt|end|stop|cease|prevent|avoid|halting|ending|stopping|ceasing|"
                     r"preventing)\s+(?:to\s+)?(?:the\s+|all\s+|further\s+|a\s+)?(?:[\w-]+\s+)?(?=(?:fighting|clashes|"
                     r"hostilities|violence|attacks|war|bombing|shelling)\b)", re.I)


# Rule tr-duration: fighting measured in weeks, months or years ("after many months of fighting with government
# troops", "ending two years of armed conflict") is the setting of the news, not an event of its own: masked.
LONG_RUN = re.compile(r"\b(?:after|following|amid|during|despite|ending|ended|end|since)\s+(?:\w+\s+){0,3}?"
                      r"(?:weeks|months|years|decades)\s+of\s+(?:[\w-]+\s+)?(?=(?:fighting|clashes|conflict|war|"
                      r"violence|battles|hostilities|bombing|shelling|insurgency)\b)", re.I)


# Rule tr-negated: fighting said not to have happened ("fled without battles with troops", "no fighting took place",
# "entered the town without resistance") is no clash: the word is masked (what did happen decides the type).
# Session 7: also "there were no reports of fighting", "no sign of clashes" (the BBC's Rutshuru report; tested on others).
NEGATED_FIGHT = re.compile(r"\b(?:without|no|never)\s+(?:(?:immediate\s+)?(?:reports?|signs?|word|news)\s+of\s+)?"
                           r"(?:any\s+|a\s+|major\s+|real\s+)?(?=(?:fighting|clashes|battles?|"
                           r"confrontations?|gunfire|exchange of fire|resistance)\b)", re.I)


# Rule tr-haul: the list of what was seized ("The weapons recovered included 16 rocket shells, two machine guns",
# "A huge cache of arms and ammunition, including an AK-47 rifle ..., a rocket launcher, 16 UBGL grenades") names a
# haul, not an attack: masked to the end of its sentence.
HAUL = re.compile(
    r"\b(?:(?:seized|recovered|confiscated|retrieved)\s+(?:arms|weapons|items|explosives|articles|materials?|ammunition)"
    r"(?:\s+and\s+\w+)?|(?:arms|weapons|items|explosives|articles|ammunition)\s+(?:seized|recovered|confiscated|"
    r"retrieved|found))\s+(?:included|include|comprised|consisted of)\b"
    r"|\b(?:cache|haul|stockpile|quantity|consignment)\s+of\s+(?:[\w-]+\s+){0,3}?(?:arms|weapons|ammunition|"
    r"explosives)\b[^.]{0,40}?\bincluding\b", re.I)
SENTENCE_STOP = re.compile(r"[.!?](?:\s|$)")


def haul_masks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each listed haul (rule tr-haul), to the end of its sentence."""
    out = []
    for m in HAUL.finditer(text):
        stop = SENTENCE_STOP.search(text, m.end())
        out.append((m.start(), stop.start() if stop else len(text)))
    return out


NOT_EVENTS, AVERTED = behind_lookahead(NOT_EVENTS), behind_lookahead(AVERTED)  # the same matches, faster
NEGATED_FIGHT, HAUL = behind_lookahead(NEGATED_FIGHT), behind_lookahead(HAUL)
LONG_RUN = behind_lookahead(LONG_RUN)


@cache
def taxonomy() -> dict[str, dict]:
    return load_yaml("taxonomy.yaml")["sub_event_types"]


def find_triggers(sentence: Span) -> list[Trigger]:
    lex = lexicon()
    text = sentence.text.lower()
    if len(text) != len(sentence.text):  # a rare character whose lower case is longer: keep offsets exact
        text = "".join(c if len(c.lower()) != 1 else c.lower() for c in sentence.text)
    masked = sorted([(m.start(), m.end()) for m in NOT_EVENTS.finditer(text)] +
                    [(m.end(), m.end() + 1) for m in AVERTED.finditer(text)] +
                    [(m.end(), m.end() + 1) for m in LONG_RUN.finditer(text)] +
                    [(m.end(), m.end() + 1) for m in NEGATED_FIGHT.finditer(text)] + haul_masks(text))
    starts = [s for s, _ in masked]
    reach = list(itertools.accumulate((e for _, e in masked), max))  # the farthest end of the masks so far
    found: list[Trigger] = []
    for m in lex.finditer(text):
        i = bisect.bisect_right(starts, m.start())
        if i and reach[i - 1] > m.start():  # a mask starting at or before it reaches past its start
            continue
        rule = lex.rules[m.lastgroup]
        if rule.not_cased is not None and rule.not_cased.search(sentence.text, m.start(), m.end()):
            continue
        start = sentence.start + m.start()
        found.append(Trigger(rule=rule, span=Span(start=start, end=start + len(m.group()),
                                                  text=sentence.text[m.start():m.end()])))
    return found


DEMONSTRATIONS = frozenset({"Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                            "Violent demonstration", "Mob violence"})
# Sub-types a demonstration's own words can override: the clash of protesters with police is a riot, and
# the dead of a protest that forces fired on are its excessive force, not an attack of their own.
DEMONSTRATION_REACH = 120  # characters: how near a demonstration word must be to another event word it recasts
DEMONSTRATION_OVERRIDES = frozenset({"Armed clash", "generic", "Attack", "Looting/property destruction",
                                     "Arrests"})


@cache
def demonstration_markers() -> tuple[tuple[str, str, re.Pattern], ...]:
    """(id, marker, pattern) of data/triggers.yaml's demonstration markers."""
    rows = load_yaml("triggers.yaml").get("demonstration_markers") or []
    return tuple((str(r["id"]), str(r["marker"]), re.compile(rf"\b(?:{r['pattern']})\b", re.I)) for r in rows)


def demonstration_type(best: Trigger, triggers: list[Trigger], text: str) -> str | None:
    """The protest or riot sub-type of an event whose words include a demonstration ("protesters", "riot"),
    from how it went (`text`: its sentences): None when it is no demonstration, or when a weapon decides
    (a bomb at a rally is an explosion)."""
    kinds = {t.rule.sub_event_type for t in triggers}
    if not kinds & DEMONSTRATIONS:
        return None
    found = {marker for _id, marker, pattern in demonstration_markers() if pattern.search(text)}
    # Rule dm-arrests: arrests told beside the protest ("400 people have been detained in a crackdown on an
    # unsanctioned march") are an intervention in it, not an arrest event of their own (ACLED)
    demo_at = [t.span.start for t in triggers if t.rule.sub_event_type in DEMONSTRATIONS]
    if any(t.rule.sub_event_type == "Arrests" and any(abs(t.span.start - d) <= DEMONSTRATION_REACH for d in demo_at)
           for t in triggers):
        found.add("intervention")
    sub = best.rule.sub_event_type
    if sub not in DEMONSTRATIONS:
        # another kind of word decides, unless a demonstration is named next to it ("protesters clashed
        # with police", "forces opened fire on the march, killing two", "police arrested 20 protesters")
        near = [t for t in triggers if t.rule.sub_event_type in DEMONSTRATIONS
                and abs(t.span.start - best.span.start) <= DEMONSTRATION_REACH]
        if sub not in DEMONSTRATION_OVERRIDES or not near:
            return None
        if "violence" in found or "Violent demonstration" in kinds or "Mob violence" in kinds:
            return "Mob violence" if "Mob violence" in kinds else "Violent demonstration"
        if sub == "Armed clash":
            # Rule dm-clash (session 8, from Reuters' Beirut report; tested on others): protesters in street clashes,
            # protesters who clashed or fought with the police riot (ACLED: a demonstration whose participants are
            # violent), whatever the police fired at them
            return "Violent demonstration"
        if "excessive force" in found:
            return "Excessive force against protesters"
        if sub == "Arrests" or "intervention" in found:
            return "Protest with intervention"
        return None
    if "Mob violence" in kinds:
        return "Mob violence"
    if "Violent demonstration" in kinds or "violence" in found:
        return "Violent demonstration"
    if "excessive force" in found:
        return "Excessive force against protesters"
    if "intervention" in found:
        return "Protest with intervention"
    return "Peaceful protest"


EXPLOSIVES = frozenset({"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Shelling/artillery/missile attack",
                        "Air/drone strike"})
DISRUPTED_REACH = 80  # characters
MARKER_REACH = 60  # characters around a weapon's word that its disruption markers are read in


@cache
def disruption_markers() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(id, after, before) of data/triggers.yaml's disruption markers (rule tr-disrupted-found)."""
    rows = load_yaml("triggers.yaml").get("disruption_markers") or []
    return tuple((str(r["id"]), re.compile(r["after"], re.I), re.compile(r["before"], re.I)) for r in rows)


def made_safe(trigger: Trigger, text: str, offset: int = 0) -> bool:
    """The weapon named by `trigger` was found, defused or seized right where it is named (`text` starts at
    `offset` in the article)."""
    at, end = trigger.span.start - offset, trigger.span.end - offset
    if at < 0 or end > len(text):
        return False
    after, before = text[end:end + MARKER_REACH], text[max(0, at - MARKER_REACH):at]
    return any(a.search(after) or b.search(before) for _id, a, b in disruption_markers())


def disrupted_type(best: Trigger, triggers: list[Trigger], text: str = "", offset: int = 0) -> str | None:
    """Rule tr-disrupted: a bomb, drone or shell that was defused, dismantled, intercepted or shot down
    right where it is named ("an IED was found and safely defused", "air defences intercepted a drone")
    is ACLED's Disrupted weapons use, not the explosion its word would make it (`text`: the event's
    sentences, starting at `offset` in the article, for rule tr-disrupted-found)."""
    if best.rule.sub_event_type not in EXPLOSIVES:
        return None
    near = [t for t in triggers if t.rule.sub_event_type == "Disrupted weapons use"
            and abs(t.span.start - best.span.start) <= DISRUPTED_REACH]
    return "Disrupted weapons use" if near or (text and (made_safe(best, text, offset) or seized_list(
        best, triggers, text, offset))) else None


SEIZED_LIST_REACH = 250  # characters from the seizure to a weapon it lists
LISTING = re.compile(r"\b(?:including|included|such as|comprising|consisting of|among them)\b|:")
SENTENCE_END = re.compile(r"[.!?]\s")


def seized_list(best: Trigger, triggers: list[Trigger], text: str, offset: int = 0) -> bool:
    """Rule tr-seized-list: weapons listed as what was seized ("seized a huge quantity of arms including dozens of
    anti-aircraft guns, scores of rocket shells, mortar shells") are the haul, not an attack with them."""
    for t in triggers:
        if t.rule.sub_event_type != "Disrupted weapons use" or not 0 < best.span.start - t.span.end <= SEIZED_LIST_REACH:
            continue
        between = text[t.span.end - offset:best.span.start - offset]
        if LISTING.search(between) and not SENTENCE_END.search(between):
            return True
    return False


@cache
def transfer_markers() -> tuple[tuple[str, re.Pattern], ...]:
    """(id, pattern) of data/triggers.yaml's transfer markers (rule tr-transfer-peaceful)."""
    rows = load_yaml("triggers.yaml").get("transfer_markers") or []
    return tuple((str(r["id"]), re.compile(r["pattern"], 0 if r.get("cased") else re.I)) for r in rows)


FIGHTING = frozenset({"Armed clash", "Attack"}) | EXPLOSIVES


def transfer_type(best: Trigger, triggers: list[Trigger], text: str) -> str | None:
    """Rule tr-transfer-peaceful: a town taken ("took control of") that the other side had left, or that was
    taken "peacefully", with no fighting or bombing among the event's words (`triggers`), is a Non-violent
    transfer of territory (`text`: the event's sentences and the ones right after them)."""
    if best.rule.sub_event_type != "territory" or any(t.rule.sub_event_type in FIGHTING for t in triggers):
        return None
    handed = any(t.rule.sub_event_type == "Non-violent transfer of territory" for t in triggers)
    if handed or any(pattern.search(text) for _id, pattern in transfer_markers()):
        return "Non-violent transfer of territory"
    return None


VIOLENT = frozenset({"Armed clash", "Attack", "generic", "territory", "Sexual violence",
                     "Abduction/forced disappearance"}) | EXPLOSIVES


def destruction_with_deaths(sub: str, triggers: list[Trigger], killed: bool) -> str | None:
    """Rule tr-looting-deaths: houses burned in an attack that killed people ("Six people have been killed and
    homes torched in an attack") is that attack (ACLED codes property destruction as such only when nobody
    was killed): the most decisive violent word of the event instead, or a plain attack."""
    if sub == "Abduction/forced disappearance" and killed:
        # Rule tr-abduction-deaths (session 7, from AFP's Petite-Riviere report; tested on others): "Gunmen killed nine
        # people ... and kidnapped an undisclosed number": an attack that also took people, coded as the attack (the
        # killing is the graver violence; ACLED keeps abduction for takings without deaths)
        return "Attack"
    if sub != "Looting/property destruction" or not killed:
        return None
    violent = [t for t in triggers if t.rule.sub_event_type in VIOLENT]
    if not violent:
        return None
    specific = [t for t in violent if t.rule.specific]
    return min(specific, key=lambda t: (t.rule.rank, t.span.start)).rule.sub_event_type if specific else "generic"
