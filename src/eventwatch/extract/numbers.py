"""Casualty figures: how many were killed and wounded, in digits or words, exact or vague.

"killing three of them", "the death of eight of the Assad forces' personnel", "at least 16 people
were killed", "no casualties", "dozens wounded" (no number: kept as a claim, never guessed).
"""

from __future__ import annotations

import bisect
import re

from eventwatch.extract.lookahead import behind_lookahead
from eventwatch.records import NumberMention, Span

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "another": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE = {"several", "dozens", "scores", "many", "some", "numerous", "hundreds", "thousands", "a number",
         "tens", "a few", "few", "multiple", "a dozen"}


def word_to_int(token: str) -> int | None:
    """'16', '1,200', 'three', 'twenty-two', 'two hundred' -> int; anything else -> None."""
    t = token.strip().lower().replace(",", "")
    if t.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        return int(t)
    total, current, seen = 0, 0, False
    for part in re.split(r"[\s-]+", t):
        if part == "and":
            continue
        if part in UNITS:
            current += UNITS[part]
        elif part in TENS:
            current += TENS[part]
        elif part in SCALES:
            current = max(current, 1) * SCALES[part]
            if SCALES[part] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


WORD_NUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|"
            r"six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
            r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?:\s+hundred)?")
NUM = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|{WORD_NUM}|several|dozens|scores|many|numerous|hundreds|a number|a few|tens|a dozen)"
QUAL = r"(?P<qual>at least|more than|over|nearly|almost|about|around|some|up to|as many as|at most|less than|fewer than)?\s*"
KILL = r"(?:killed|dead|died|deaths?|killing|lives|martyr(?:ed|s)?(?!\s+(?-i:[A-Z]))|fatalities|bodies|slain|perished|massacred|executed|lost their lives)"
HURT = r"(?:injured|wounded|hurt|injuries|injuring|wounding|casualties)"
# Words that may stand between a number and its verb: "16 people, including 5 children, were killed"
FILLER = r"(?:[\w’'-]+,?\s+){0,7}?"

# After the number only the passive and nominal forms: "three killed", not "three militants ... killing".
KILLED = r"(?:killed|dead|died|deaths?|lives|martyr(?:ed|s)?(?!\s+(?-i:[A-Z]))|fatalities|bodies|slain|perished|massacred|executed)"
HURT_PASSIVE = r"(?:injured|wounded|hurt|injuries|casualties)"
NUMBER_FIRST = re.compile(rf"\b{QUAL}{NUM}\s+(?P<victims>{FILLER})(?:(?:were|was|have been|has been|had been|are|got)\s+)?(?:(?:reportedly|allegedly)\s+)?(?P<cue>{KILLED}|{HURT_PASSIVE})\b", re.I)
# Rule nu-cue-words (session 8): the toll after other verbs of killing: "shot dead two villagers", "killed and
# beheaded four fishermen", "executed at least 70", "led to the killing of one person".
CUE_FIRST = re.compile(
    rf"\b(?P<cue>killed and (?:beheaded|mutilated|burned|burnt|dismembered)|(?:shot|shooting) dead|execut(?:ed|ing|es)|beheaded|beheading|(?:the )?killings? of|killing|killed|kills|kill|left|leaving|(?:claimed|claiming|claims|took|taking) the lives of|(?:the )?deaths? of|death toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|reached)|toll\s+(?:\w+\s+){{0,2}}?(?:to|at|of)|wounding|injuring|injured|wounded|the injury of|injuries to|(?:the )?injur(?:y|ies) of)\s+{QUAL}(?:the\s+)?{NUM}\b(?!\s*(?:km|kilomet|miles|years|days|hours|percent|%))"
    # "8 killed 58 others injured": a number followed by its own cue belongs to that cue
    rf"(?!\s+(?:(?!and\b|or\b)[\w-]+\s+){{0,2}}?(?:(?:were|was|got|have been)\s+)?(?:{HURT_PASSIVE}|{KILLED})\b)",
    re.I)
NONE_HURT = re.compile(r"\b(?:no|without(?: any)?)\s+(?:casualties|injuries|deaths|fatalities|victims|losses)\b|"
                       r"\bno(?: one|body)\s+(?:was|were)\s+(?:killed|hurt|injured|wounded)\b", re.I)
AGGREGATE = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:19|20)\d\d|start|beginning|outbreak|war|conflict|uprising)|"
                       r"\bso far\b|\bin total\b|\bsince\s+(?:[\w.-]+\s+){0,5}?(?:was\s+)?(?:declared|began|started|erupted|"
                       r"broke out|collapsed|ended|took effect|came into (?:effect|force)|passed|adopted)\b|"
                       r"\b(?:across|throughout|all over)\s+(?:Syria|the country)\b|"
                       r"\bover the (?:last|past) (?:\d+|two|three|four|five|six|seven|ten|fifteen) (?:days|weeks|months)\b|"
                       r"\bin the (?:last|past) (?:\d+|two|three|four|five|six|seven|ten|fifteen) (?:days|weeks|months)\b",
                       re.I)
# Cheap test first: most sentences name no casualties at all.
CASUALTY_STEMS = ("lynch", "kill", "dead", "die", "death", "live", "martyr", "fatalit", "bod", "slain", "perish", "massacr",
                  "execut", "toll", "injur", "wound", "hurt", "casualt", "victim", "loss")
PAIRED_VICTIMS = re.compile(r"\b(?:women|men|children|elderly|civilians|soldiers|fighters)\s+and\s+"
                            r"(?:women|men|children|the elderly|elderly|civilians|soldiers|fighters)\b", re.I)
INCLUDING_PART = re.compile(rf"\b(?:including|among them)\s+(?:\d+|{WORD_NUM})\s+[\w-]+(?:\s+and\s+(?:\d+|{WORD_NUM})\s+[\w-]+)?", re.I)
ACTIVE_AFTER = re.compile(rf"\s+(?:{QUAL.replace('(?P<qual>', '(?:')})(?:\d|{WORD_NUM}\b)", re.I)
OWN_CUE_AFTER = re.compile(rf"\w*\s+(?:[\w-]+\s+){{0,2}}?(?:{KILLED}|{HURT_PASSIVE})\b", re.I)
GROUPS_SUM = re.compile(
    # rule nu-sum-one: "Four Turkish soldiers and a village guard were killed" is five
    rf"\b(?P<a>\d+|{WORD_NUM})\s+(?:[\w-]+\s+){{0,2}}?and\s+(?P<b>\d+|{WORD_NUM}|an?|one)\s+(?:[\w-]+\s+){{1,3}}?"
    rf"(?:have been|had been|were|are)\s+(?:killed|dead)\b", re.I)
PERSON = (r"(?:man|woman|child|boy|girl|baby|civilian|soldier|policeman|policewoman|police officer|officer|"
          r"journalist|reporter|student|pupil|farmer|teacher|trader|shopkeeper|resident|villager|protester|"
          r"demonstrator|fighter|militant|rebel|worker|guard|driver|passenger|commander|leader|pilgrim|priest|"
          r"imam|person|teenager|youth|worshipper|doctor|nurse|official|security guard|gendarme|trooper|marine|"
          r"thief|robber|suspect|criminal|kidnapper|herder|herdsman|fisherman|miner|pastor|chief|activist|"
          r"politician|lawmaker|mayor|councillor|councilor|candidate|businessman|lawyer|judge)")
ONE_VICTIM = (
    re.compile(rf"\b(?P<qual>)(?P<num>an?|one|another)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\s+(?:was|has been|had been|got)\s+"
               rf"(?:(?:reportedly|allegedly)\s+)?(?P<cue>killed|shot dead|stabbed to death|beaten to death|hacked to death|"
               rf"burned to death|injured|wounded|hurt)\b", re.I),
    re.compile(rf"\b(?P<cue>killed|killing|kills|shot dead|shooting dead|injuring|wounding|injured|wounded)\s+"
               rf"(?P<qual>)(?P<num>an?|one|the)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\b(?!\s+(?:and|or)\s+(?:\d|{WORD_NUM}))",
               re.I),
    # "a mob beat a suspected thief to death", "lynched a man"
    re.compile(rf"\b(?:beat|beaten|stoned|burned|burnt|hacked|stabbed)\s+(?P<qual>)(?P<num>an?|one)\s+"
               rf"(?:[\w-]+\s+){{0,2}}?{PERSON}\s+(?P<cue>to death)\b", re.I),
    re.compile(rf"\b(?P<cue>lynched)\s+(?P<qual>)(?P<num>an?|one)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\b", re.I),
)
# "the deadliest day since the protests began": a comparison, not a total since then
SUPERLATIVE_BEFORE = re.compile(r"\b(?:deadliest|bloodiest|worst|largest|biggest|heaviest|most violent)\s+"
                                r"(?:[\w-]+\s+){0,3}$", re.I)
UNIT_BEFORE = re.compile(r"\b(?:company|battalion|brigade|regiment|division|squadron|platoon|unit|corps|no\.|"
                         r"number|flight|route|highway|road|kilometre|km)\s+$", re.I)
MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+$")
TIME_UNIT_AFTER = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b", re.I)
# Rule nu-recalled: a toll told as the time since an earlier event ("The assault came just days after 25 people
# were killed", "a week after 30 soldiers died") belongs to that event, not to the one the sentence tells
RECALLED_TOLL = re.compile(rf"\b(?:hours|days|weeks|months|a day|a week|a month|(?:\d+|{WORD_NUM}|a few|several)\s+"
                           r"(?:hours|days|weeks|months))\s+(?:after|before)\s+(?:at least\s+|some\s+|more than\s+)?$",
                           re.I)
EXECUTED_TASK = re.compile(r"\s+(?:[\w-]+\s+)?(?:attacks?|operations?|strikes?|raids?|missions?|plans?|orders?)\b", re.I)
# "Four militants were reportedly also killed", "also killing two soldiers": dead in addition to a toll told before
ALSO = re.compile(r"\balso\b", re.I)
LEFT_CUE = re.compile(r"^(left|leaving)$", re.I)
# behind a look-ahead for their first characters: the same matches, found up to three times faster
CUE_FIRST, GROUPS_SUM, NUMBER_FIRST = behind_lookahead(CUE_FIRST), behind_lookahead(GROUPS_SUM), behind_lookahead(
    NUMBER_FIRST)
ONE_VICTIM = tuple(behind_lookahead(p) for p in ONE_VICTIM)


def classify_cue(cue: str) -> str | None:
    c = cue.lower()
    if re.search(r"injur|wound|hurt|casualt", c):
        return "injured"
    if re.search(r"kill|dead|died|death|lives|martyr|fatalit|bod|slain|perish|massacr|execut|behead|toll|lost", c):
        return "killed"
    return None


def figure(num: str, qual: str | None) -> tuple[int | None, int | None, int | None]:
    """Value and low/high bounds: 'at least 16' -> (16, 16, None); 'dozens' -> (None, None, None)."""
    value = word_to_int(num)
    if value is None:
        return None, None, None
    q = (qual or "").lower()
    if q in ("more than", "over"):
        return value, value, None  # the figure stated is the conservative one ("more than 90" -> 90)
    if q in ("at least", "some"):
        return value, value, None
    if q in ("up to", "as many as", "at most", "less than", "fewer than"):
        return value, None, value
    return value, value, value


class Taken:
    """Disjoint spans already used, sorted: whether a new span overlaps one is a bisect (linear time over
    a long sentence, where a scan of every span taken would be quadratic)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        j = bisect.bisect_left(self.starts, end)
        return bool(j) and self.ends[j - 1] > start

    def add(self, start: int, end: int) -> None:
        j = bisect.bisect_left(self.starts, end)
        self.starts.insert(j, start)
        self.ends.insert(j, end)


def find_casualties(sentence: Span) -> list[NumberMention]:
    """Casualty figures in one sentence; aggregates ("230,000 killed since 2011") are left out."""
    text = sentence.text
    found: list[NumberMention] = []
    taken = Taken()
    lower = text.lower()
    if not any(stem in lower for stem in CASUALTY_STEMS) or any(
            not SUPERLATIVE_BEFORE.search(text, max(0, m.start() - 40), m.start()) for m in AGGREGATE.finditer(text)):
        return found

    def add(kind: str | None, m: re.Match) -> bool:
        if kind is None or taken.overlaps(m.start("num"), m.end("num")):
            return False
        num = m.group("num")
        before = text[max(0, m.start("num") - 20):m.start("num")].lower()
        if MONTH_BEFORE.search(before):
            return False  # "May 24": a day of the month
        if UNIT_BEFORE.search(before):
            return False  # "Ranger Forces Company 4511", "Battalion 202": a unit's number
        after_num = m.group()[m.end("num") - m.start():]
        if re.search(r"\b(including|among them|of whom|of them)\s*$", before) or \
                re.search(r"\b(?:were|are|was)\s+among\b", m.group()) or re.search(r"\bamong\b", after_num):
            return False  # a subset of a figure already counted ("five children were among the dead")
        if TIME_UNIT_AFTER.match(text, m.end("num")):
            return False  # "two years of fighting that has killed", "the past 48 hours": a span of time, no toll
        if RECALLED_TOLL.search(text, max(0, m.start("num") - 50), m.start("num")):
            return False  # "just days after 25 people were killed in similar raids": another, earlier event's dead
        cue = (m.groupdict().get("cue") or "").lower()
        if cue.startswith("execut") and EXECUTED_TASK.match(text, m.end("num")):
            return False  # "executed two attacks": a task carried out, no dead
        if re.fullmatch(r"(19|20)\d\d", num):  # a year, not a toll
            return False
        value, low, high = figure(num, m.group("qual"))
        if value is not None and value > 100_000:
            return False
        taken.add(m.start("num"), m.end("num"))
        lead = len(m.group()) - len(m.group().lstrip())
        s = sentence.start + m.start() + lead
        found.append(NumberMention(kind=kind, value=value, low=low, high=high,
                                   span=Span(start=s, end=s + len(m.group().strip()), text=m.group().strip()),
                                   also=bool(ALSO.search(m.group()))))
        return True

    # "No one was killed" first: its "one was killed" is no toll of one (rule nu-none-first)
    for m in NONE_HURT.finditer(text):
        s = sentence.start + m.start()
        span = Span(start=s, end=s + len(m.group()), text=m.group())
        taken.add(m.start(), m.end())
        found.append(NumberMention(kind="killed", value=0, low=0, high=0, span=span))
        if re.search(r"casualt|injur|victims|hurt|wounded|losses", m.group(), re.I):
            found.append(NumberMention(kind="injured", value=0, low=0, high=0, span=span))
    for m in CUE_FIRST.finditer(text):
        cue = m.group("cue")
        if LEFT_CUE.match(cue):  # "left 5 dead": the kind follows the number
            tail = text[m.end():m.end() + 30]
            kind = classify_cue(tail.split()[0]) if tail.split() else None
            if kind is None and (after := re.match(r"\s*(?:\w+\s+){0,2}?(" + KILL + "|" + HURT + ")", tail, re.I)):
                kind = classify_cue(after.group(1))
            add(kind, m)
        else:
            add(classify_cue(cue), m)
    for m in GROUPS_SUM.finditer(text):
        # "30 regime and 39 rebel fighters have been killed": one toll, the sum of its parts
        a, b = word_to_int(m.group("a")), word_to_int(m.group("b"))
        if a is not None and b is not None and not taken.overlaps(m.start(), m.end()):
            taken.add(m.start(), m.end())
            s = sentence.start + m.start()
            found.append(NumberMention(kind="killed", value=a + b, low=a + b, high=None,
                                       span=Span(start=s, end=sentence.start + m.end(), text=m.group())))
    pos = 0
    while (m := NUMBER_FIRST.search(text, pos)) is not None:
        if m.group("cue").lower() in ("killed", "injured", "wounded") and (after := ACTIVE_AFTER.match(text, m.end())) \
                and not OWN_CUE_AFTER.match(text, after.end()):
            pos = m.end("num")  # "three suicide bombers killed at least two people": the toll is the second
            continue
        # "women and children" describes the victims; "including 31 children" is a part of the toll;
        # another "and" starts another clause
        victims = INCLUDING_PART.sub(" ", PAIRED_VICTIMS.sub(" ", m.group("victims") or ""))
        if re.search(r"\b(and|but|while|who|which|after|before|when)\b|\b\d", victims, re.I):
            pos = m.end("num")  # the cue belongs to another clause: a later number may still own it
            continue
        # a number that is no toll of its own ("five children were among eight killed") leaves the cue
        # to a later number
        pos = m.end() if add(classify_cue(m.group("cue")), m) else m.end("num")
    for pattern in ONE_VICTIM:
        # rule nu-one: "a woman was killed", "killing a police officer": one victim, where no figure is given
        for m in pattern.finditer(text):
            cue = m.group("cue").lower()
            kind = "killed" if cue in ("to death", "lynched") else classify_cue(cue)
            if not any(n.kind == kind for n in found):
                add(kind, m)
    found.sort(key=lambda n: n.span.start)
    return found
