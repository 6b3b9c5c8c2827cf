"""Actors named in a sentence, their canonical names (data/actors.yaml) and their likely role.

One Aho-Corasick automaton over every alias finds all names in a single pass; short all-capital
aliases ("IS", "SAA", "SDF") must match case-sensitively so that the verb "is" is not the Islamic State.
The role of a name comes from the words around it: "X claimed", "X targeted", "by X" make X the
perpetrator; "targeting X", "against X", "X was hit" make X the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import ahocorasick

from eventwatch.records import ActorMention, Span
from eventwatch.resources import load_yaml, resource_exists

Role = Literal["perpetrator", "target", "claimant", "unknown"]


@dataclass(frozen=True)
class ActorEntry:
    canonical: str
    inter: int | None
    country: str | None
    generic: bool
    kind: Literal["actor", "claimant"]
    speaks_for: str | None  # a claimant that is a group's own outlet speaks for that group
    # "military", "civilians", ...: named in resolve for the event's country and day (profiles.TEMPLATES)
    template: str | None = None
    source: str | None = None  # where the entry comes from: "actors.yaml", "armed_groups.yaml", "XX.yaml"
    # a local word ("bandits"): (country, actor, inter) for each country whose profile gives it a meaning
    local: tuple[tuple[str, str, int | None], ...] = ()


@dataclass(frozen=True)
class ActorHit:
    entry: ActorEntry
    span: Span
    role: Role
    negated: bool = False  # "No party claimed responsibility"

    def mention(self) -> ActorMention:
        unit = self.span.text if re.search(r"\d|division|legion|corps?\b|guard", self.span.text, re.I) else None
        return ActorMention(canonical=self.entry.canonical, inter=self.entry.inter, span=self.span, unit=unit,
                            template=self.entry.template, country=self.entry.country,
                            local=list(self.entry.local))


@dataclass(frozen=True)
class ActorIndex:
    automaton: ahocorasick.Automaton
    by_name: dict[str, ActorEntry]


def case_sensitive(alias: str) -> bool:
    return alias.isupper() and len(alias) <= 5


# Words for a country's forces made from its demonyms ("Nigerian troops", "Afghan police"), for every
# country with a profile: (template, suffix).
DEMONYM_FORCES = [("military", w) for w in ("army", "troops", "soldiers", "military", "armed forces", "forces",
                                            # session 7: one of them ("Another Turkish soldier was killed in clashes")
                                            "soldier",
                                            "air force", "warplanes", "jets", "navy", "marines", "airstrikes",
                                            "air strikes", "army's", "military's", "special forces", "junta",
                                            "drone", "drones", "drone attack", "drone strike", "drone strikes",
                                            "missile", "missiles", "missile strike", "missile attack", "strike",
                                            "strikes", "shelling", "artillery", "bombardment", "offensive",
                                            "air defences", "air defenses", "air defence", "air defense",
                                            # session 7: "Saudi Arabia's defenses destroyed two drones" (ac-defences)
                                            "defences", "defenses")] + \
                 [("police", w) for w in ("police", "policemen", "police officers", "security forces", "policeman",
                                          "police officer",
                                          "gendarmes", "gendarmerie", "riot police")]


def entry_rows(profiles) -> list[tuple[ActorEntry, list[str], frozenset[str]]]:
    """Every actor entry with its aliases and its case-sensitive aliases, weakest source first (a later
    row's alias wins): names made from demonyms, the profiles' own words, the armed groups, then
    actors.yaml (written and tuned by hand)."""
    rows: list[tuple[ActorEntry, list[str], frozenset[str]]] = []
    for iso, p in sorted(profiles.by_iso2.items()) if profiles is not None else []:
        for template in ("military", "police"):
            display = profiles.actor(template, iso)
            # "Nigerian troops", and the possessive of the name: "Saudi Arabia's air defences"
            made = [f"{d} {w}" for d in p.demonyms for t, w in DEMONYM_FORCES if t == template] + [
                f"{p.name}{s} {w}" for s in ("'s", "’s", "s") for t, w in DEMONYM_FORCES if t == template]
            entry = ActorEntry(canonical=display, inter=1, country=p.name, generic=False, kind="actor",
                               speaks_for=None, template=template, source=f"{iso}.yaml")
            rows.append((entry, made + list(p.aliases.get(template, ())), frozenset()))
        # Rule ac-government: "the government of Central African Republic", "Sudan's government", "the Nigerian
        # government" (a party to an agreement; resolve names it as the state's forces in a violent event)
        display = profiles.actor("government", iso)
        names = [p.name, f"the {p.name}"]
        made = [f"{d} government" for d in p.demonyms] + [f"government of {n}" for n in names] + [
            f"{p.name}{s} government" for s in ("'s", "’s", "")]
        entry = ActorEntry(canonical=display, inter=1, country=p.name, generic=False, kind="actor",
                           speaks_for=None, template="government", source=f"{iso}.yaml")
        rows.append((entry, made + list(p.aliases.get("government", ())), frozenset()))
    groups = load_yaml("armed_groups.yaml") if resource_exists("armed_groups.yaml") else {"groups": []}
    for g in groups.get("groups") or []:
        countries = [profiles.name_of(c) if profiles is not None else c for c in g.get("countries") or []]
        entry = ActorEntry(canonical=str(g["name"]), inter=g.get("inter"),
                           country=countries[0] if len(countries) == 1 else None, generic=False, kind="actor",
                           speaks_for=None, source="armed_groups.yaml")
        rows.append((entry, [str(g["name"]), *map(str, g.get("aliases") or [])],
                     frozenset(map(str, g.get("case_sensitive") or []))))
    data = load_yaml("actors.yaml")
    for kind, items in (("actor", data["actors"]), ("claimant", data["claimants"])):
        for row in items:
            entry = ActorEntry(canonical=row["name"], inter=row.get("inter"), country=row.get("country"),
                               generic=bool(row.get("generic")), kind=kind, speaks_for=row.get("actor"),
                               template=row.get("template"), source="actors.yaml")
            # A claimant is found by its aliases only: its display name may also name an actor.
            names = row.get("aliases", []) if kind == "claimant" else [row["name"], *row.get("aliases", [])]
            rows.append((entry, [str(a) for a in names if "{" not in str(a)], frozenset()))
    return rows


def local_meanings(profiles) -> dict[str, tuple[tuple[str, str, int | None], ...]]:
    """Lower-cased word -> (country, actor, inter) for each country whose profile gives the word a meaning
    ("bandits" in Nigeria, "al-Qaeda" in Mali)."""
    out: dict[str, list[tuple[str, str, int | None]]] = {}
    for _iso, p in sorted(profiles.by_iso2.items()) if profiles is not None else []:
        for w in p.local_words:
            out.setdefault(w.word.lower(), []).append((p.name, w.actor, w.inter))
    return {k: tuple(v) for k, v in out.items()}


def build_actor_index(profiles=None) -> ActorIndex:
    """One automaton over every alias of every actor and claimant (see entry_rows for who wins). A word
    that a country profile gives a local meaning carries it: resolve takes that meaning for an event in
    that country, and the dictionary's own elsewhere (a bare local word: an unidentified armed group)."""
    automaton = ahocorasick.Automaton()
    by_name: dict[str, ActorEntry] = {}
    local = local_meanings(profiles)
    for entry, names, exact_names in entry_rows(profiles):
        if entry.kind == "actor":
            by_name[entry.canonical] = entry
        for alias in names:
            key = alias.lower()
            # The same words can name an actor and a claimant ("Amaq"): as a speaker it is a claimant.
            if key in automaton and automaton.get(key)[0].kind == "claimant":
                continue
            carried = replace(entry, local=local[key]) if key in local and entry.kind == "actor" else entry
            automaton.add_word(key, (carried, alias, alias in exact_names or case_sensitive(alias)))
    for key, meanings in local.items():
        if key not in automaton:
            entry = ActorEntry(canonical="Unidentified Armed Group ({country})", inter=3, country=None, generic=True,
                               kind="actor", speaks_for=None, template="unidentified",
                               source="countries/*.yaml", local=meanings)
            automaton.add_word(key, (entry, key, False))
    automaton.make_automaton()
    return ActorIndex(automaton=automaton, by_name=by_name)


@cache
def actor_index() -> ActorIndex:
    """The index of the shipped dictionaries and profiles (for callers without a context)."""
    from eventwatch.context import default_context

    return default_context().actors


def canonical_entry(name: str) -> ActorEntry | None:
    return actor_index().by_name.get(name)


PERP_VERBS = (
    r"(?:claimed|claims|announced|announces|adopted|adopts|targeted|targets|target|attacked|attacks|shelled|shells|"
    # a headline's present tense: "ELN rebels kill 6 soldiers", "Gunmen storm school, kidnap students"
    r"kill|attack|ambush|ambushes|storm|seize|capture|abduct|abducts|kidnap|kidnaps|raid|overrun|overruns|behead|"
    r"beheads|torch|torches|shoot|shoots|execute|executes|launch|bomb|shell|massacre|massacres|"
    r"bombed|bombs|bombarded|launched|launches|carried out|stormed|storms|fired|fires|struck|strikes|killed|kills|"
    r"detonated|blew|opened fire|seized|seizes|captured|captures|took|takes|taken|recaptured|retook|regained|repelled|"
    r"clashed|confronted|ambushed|raided|raids|executed|abducted|kidnapped|arrested|shot|hit|pounded|"
    r"advanced|downed|shot down|destroyed|used|dropped|detained|besieged|control|initiated|initiates|conducted|"
    r"conducts|staged|stages|perpetrated|committed|waged|wages|mounted|mounts|"
    # rule ac-sd-doer: who did a strategic development ("air defences intercepted", "troops have recovered a
    # cache", "security personnel set up a camp", "insurgents looted and set ablaze houses")
    r"intercepted|intercepts|defused|defuses|foiled|thwarted|recovered|recovers|discovered|uncovered|"
    r"confiscated|dismantled|looted|loots|torched|burned|burnt|razed|ransacked|set ablaze|set fire|"
    r"set up|sets up|established|establishes|built|erected|set a base|"
    # ... and who changed (ACLED's Change to group/activity: the group is actor1): "NPA rebels surrendered to the 26th
    # Infantry Battalion", "cadres laid down arms", "the commander defected"
    r"surrendered|surrender|surrenders|defected|defects|laid down|lay down|pledged|merged|disbanded|handed in|"
    r"turned over|"
    # session 7 (rule ac-militia-rampage): "Hundreds of Israeli settlers rampaged through a Palestinian town"
    r"rampaged|rampage|rampaging|rioted|went on (?:a|the) rampage|lynched)\b")
PERP_AFTER = re.compile(
    r"^\W{0,3}(?:\([^)]{1,12}\)\s*)?(?:[\w-]+\s+){0,2}?(?:has |have |had |reportedly |allegedly |also |then ){0,2}"
    r"(?:yesterday |today |on \w+ |earlier |recently )?" + PERP_VERBS, re.I)
# Rule ac-subject: an armed group that opens the sentence ("Suspected secessionists of the northwest and southwestern
# English-speaking regions have set fire to ...") is the subject of its first verb of violence, however long the
# phrase that describes it, unless that verb is passive.
SUBJECT_BEFORE = re.compile(r"^\W*(?:(?:suspected|alleged|armed|heavily armed|unknown|the|some|a|an|several)\s+){0,2}$",
                            re.I)
SUBJECT_VERB = re.compile(r"^[^.;:,]{0,90}?\s(?:has |have |had |reportedly |allegedly |also |then ){0,2}(" +
                          PERP_VERBS + ")", re.I)
PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.I)


def opens_sentence_as_subject(entry: ActorEntry, before: str, after: str) -> bool:
    """Rule ac-subject: an armed group opening the sentence (`before`: the sentence's text before it) is the
    subject of the first verb of violence in `after`, unless that verb is passive."""
    if entry.inter not in (2, 3) or not SUBJECT_BEFORE.match(before):
        return False
    verb = SUBJECT_VERB.match(after)
    return verb is not None and not PASSIVE.search(after[:verb.start(1)])
# "by Yemen's Iran-aligned Houthi group", "incursions by Somalia's Islamist al Shabaab": possessives count as words
PERP_BEFORE = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}$|"
                         r"\b(?:responsibility|blamed|accused)\b.{0,25}$", re.I)
TARGET_BEFORE = re.compile(
    r"\b(?:target(?:ed|ing|s)?|against|on|aimed at|attack(?:ed|ing)?|hit(?:ting)?|killing|killed|wounding|"
    r"injuring|among|ambush(?:ed|ing)?|shell(?:ed|ing)|bomb(?:ed|ing)|struck|strik(?:e|ing)|at|"
    r"confronted with|clashed with|clashes with|fighting|fought|raiding)\s+(?:a\s+|an\s+|the\s+|two\s+|several\s+)?"
    r"(?:(?:group|number|convoy|patrol|position|positions|members|personnel|vehicle|bus|post|checkpoint|base|"
    r"headquarters|gathering|dozens|some|unit|units|team|squad|column|company) of\s+(?:the\s+)?)?(?:[\w'’-]+\s+){0,2}$"
    r"|\b(?:belonging to|owned by|carrying|transporting|boarding|affiliated (?:with|to))\s+(?:the\s+)?$", re.I)
TARGET_AFTER = re.compile(r"^\W{0,3}(?:[\w-]+\s+){0,3}?(?:was|were|have been|has been|had been|got)\s+"
                          r"(?:yesterday\s+|reportedly\s+)?(?:targeted|attacked|hit|killed|wounded|injured|"
                          r"ambushed|shelled|bombed|struck|a target)\b"
                          # a headline drops the auxiliary: "10 Syrian soldiers killed in Israeli raids"
                          r"|^\s+(?:killed|wounded|injured|hurt)\s+(?:in|by|as|during|when|after|while)\b"
                          # rule ac-conjoined-victims: "Four Turkish soldiers and a village guard were killed"
                          r"|^\s+and\s+(?:an?|one|another|other|several|\d+|two|three|four|five|six|seven|eight|nine|ten)"
                          r"\s+(?:[\w-]+\s+){0,3}?(?:were|have been|had been)\s+(?:killed|wounded|injured|hurt)\b"
                          # rule ac-conjoined-headline (session 7): a headline's list of the dead, "2 army soldiers, 4
                          # rebels killed in southern Philippine clash", "Three police, two gunmen killed in ..."
                          r"|^\s*,\s+(?:[\w-]+\s+){1,3}?(?:killed|wounded|injured|hurt)\s+(?:in|by|as|during|when|after|while)\b",
                          re.I)
ARMS_NAME = re.compile(r"\b(?:strikes?|airstrikes?|raids?|jets|aircraft|warplanes|planes|helicopters|bombers|"
                       r"shelling|fire|attacks?|missiles?|rockets?|drones?|bombardment)$", re.I)
# "the police headquarters", "an army hospital", "a police spokesman": a building or a speaker, no actor of the event.
# Rule ac-informer (session 7, from the Hindustan Times' Bijapur report; tested on others): "accused of being police
# informers", "an army informant": civilians the word describes, not the force.
NOT_AN_ACTOR_AFTER = re.compile(r"^\s+(?:headquarters|stations?|buildings?|compound|academy|college|school|hospital|"
                                r"barracks|spokes(?:man|woman|person)|chief|commissioner|command|sources?|officials?|statement|"
                                r"informers?|informants?|collaborators?)\b"
                                # "the head of the Kabul police's criminal investigation department" (session 7)
                                r"|^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:department|chief|spokes(?:man|woman|person)|"
                                r"commissioner|head|office|unit said)\b",
                                re.I)
# A verb of violence right before a name makes it the object, whatever relative clause follows
OBJECT_OF = re.compile(r"\b(?:killed|killing|kills|kill|wounded|wounding|injured|injuring|arrested|arresting|captured|"
                       r"capturing|detained|ambushed|targeted|targeting|repelled|neutrali[sz]ed)\s+(?:at least\s+|some\s+|"
                       r"about\s+|over\s+|more than\s+)?(?:\d+|a|an|the|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|dozens of|scores of|several)\s+$", re.I)
# Rule ac-defender: "the incursion was repulsed by the defending Sudanese Armed Forces": who beat an attack back
# was its target, not its perpetrator (the passive's "by" names the other side).
DEFENDED_BY = re.compile(r"\b(?:repulsed|repelled|pushed back|beaten back|fought off|fended off|driven back)\s+by\s+"
                         r"(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
# Rule ac-passive-agent (session 7, from the AP's Villa Union report; tested on others): the agent of a passive verb
# ("15 municipal police officers were attacked by 19 people", "a convoy was ambushed by suspected militants") struck,
# however the words before it read as a target's ("attacked ...").
PASSIVE_AGENT = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+\s+)?(?:attacked|ambushed|targeted|raided|"
                           r"stormed|shot|killed|wounded|injured|kidnapped|abducted|hit|struck|assaulted|shelled|"
                           r"bombed|overrun|fired on|fired upon)\s+by\s+(?:the\s+|a\s+|an\s+)?(?:about\s+|some\s+|"
                           r"around\s+|at least\s+|more than\s+|over\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
# Rule ac-former-holder (session 7, from the BBC's Rutshuru report; tested on others): who held or controlled a place
# ("two towns which were held for months by M23 rebels", "a village controlled by the militants") is the side it was
# taken from or struck at, not who acted.
HELD_BY = re.compile(r"\b(?:held|controlled|occupied|ruled|run)\s+(?:[\w-]+\s+){0,3}?by\s+(?:the\s+|a\s+|an\s+)?"
                     r"(?:[\w'’-]+\s+){0,2}$", re.I)
# Rule ac-former-member (session 7, from the AP's Kabul report; tested on others): "a former Taliban leader", "an ex-FARC
# commander": one person who left the group, no act of the group.
FORMER_BEFORE = re.compile(r"\b(?:former|ex-|ex)\s*$", re.I)
MEMBER_AFTER = re.compile(r"^\s+(?:leader|commander|chief|member|fighter|militant|rebel|guerrilla|official|envoy|"
                          r"spokes(?:man|woman|person)|minister|governor|ideologue)s?\b", re.I)
SPEAKS_AFTER = re.compile(r"^\s+(?:said|says|say|told|reported|confirmed|added|stated|announced)\b", re.I)
NEGATED_CLAIM = re.compile(r"\b(?:no|none|not|nobody|no one)\b(?:\s+\w+){0,3}\s*$", re.I)


def find_actors(text: str, sentence: Span) -> list[ActorHit]:
    """Every actor and claimant named in `sentence`, longest match first, with its role."""
    index = actor_index()
    s_text = sentence.text
    lowered = s_text.lower()
    raw: list[tuple[int, int, ActorEntry, str]] = []
    n = len(s_text)
    for end, (entry, alias, exact) in index.automaton.iter(lowered):
        start = end - len(alias) + 1
        # whole words only: no word character (\w: alphanumeric or "_") on either side
        if start > 0 and ((c := s_text[start - 1]).isalnum() or c == "_"):
            continue
        if end + 1 < n and ((c := s_text[end + 1]).isalnum() or c == "_") and not (
                # Rule ac-bare-possessive (session 8, from FA-KES texts that lost their apostrophes: "ISILs heavy
                # attacks", "the SDFs positions"): an acronym with a bare "s" is its possessive
                exact and alias.isupper() and c == "s" and (end + 2 >= n or not s_text[end + 2].isalnum())):
            continue
        if exact and s_text[start:end + 1] != alias:
            continue
        raw.append((start, end + 1, entry, alias))
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    hits: list[ActorHit] = []
    last_end = -1
    for start, end, entry, _ in raw:
        if start < last_end:
            continue
        last_end = end
        if entry.inter in (2, 3, 4) and FORMER_BEFORE.search(s_text, max(0, start - 12), start) and \
                MEMBER_AFTER.match(s_text[end:]):
            continue  # rule ac-former-member: "the home of a former Taliban leader": a person, not the group
        if entry.template in ("military", "police") and (NOT_AN_ACTOR_AFTER.match(s_text[end:]) or (
                SPEAKS_AFTER.match(s_text[end:]) and entry.canonical.endswith("{country}"))):
            continue  # "the police said", "the army says": who tells the news, not who took part
        if entry.template == "government" and entry.source != "actors.yaml" and SPEAKS_AFTER.match(s_text[end:]):
            continue  # "the Nigerian government said"
        before, after = s_text[:start], s_text[end:]
        role: Role = "unknown"
        negated = False
        if entry.kind == "claimant":
            role = "claimant"
        elif OBJECT_OF.search(before[-50:]):
            role = "target"  # "killed 11 al-Shabaab fighters who attacked ...": the object of the verb before
        elif TARGET_AFTER.match(after):
            role = "target"
        elif (perp := PERP_AFTER.match(after)) and not (after.lstrip().startswith(",") and any(
                end < other < end + perp.end() for other, _e, _en, _a in raw)):
            # rule ac-comma-subject (session 7, from the Kondagaon camp report): "against Naxals, Chhattisgarh Police have
            # established": the verb after the comma is the next name's
            role = "perpetrator"
            if re.match(r"^\W{0,3}(?:\([^)]*\)\s*)?claim", after, re.I):
                negated = bool(NEGATED_CLAIM.search(before))
        elif DEFENDED_BY.search(before[-70:]) or HELD_BY.search(before[-70:]):
            role = "target"
        elif PASSIVE_AGENT.search(before[-80:]) or re.search(r"\bby\s+(?:the\s+|a\s+|an\s+)?$", before[-12:], re.I):
            role = "perpetrator"
        elif ARMS_NAME.search(s_text[start:end]):
            role = "perpetrator"  # "killed in Israeli raids", "Russian airstrikes hit": the name says who struck
        elif TARGET_BEFORE.search(before[-80:]):
            role = "target"
        elif PERP_BEFORE.search(before[-60:]) or opens_sentence_as_subject(entry, before, after):
            role = "perpetrator"
        span = Span(start=sentence.start + start, end=sentence.start + end, text=s_text[start:end])
        hits.append(ActorHit(entry=entry, span=span, role=role, negated=negated))
    return hits
