"""Assemble an article's sentences into the events it reports (EventMentions).

A *frame* is one event word with what its clause says (date, actors, figures, places). Frames are
grouped into events: the main event (the news) collects every frame that carries no other date;
a frame with a date of its own, days away from the main event's, is a background event the article
recalls ("On June 4, 2019, IS announced targeting a vehicle"), and "back then" continues it. One
sentence can list several events ("the detonation of a bus and an explosion aimed at a colonel on
July 17, in addition to an attempted detonation ... two weeks ago"): coordinated event words with
their own objects split into frames of their own.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from eventwatch.bounds import date_in_range, shift_days
from eventwatch.clean import story_starts
from eventwatch.extract.actors import ActorHit, find_actors
from eventwatch.extract.claims import SPEECH, Attribution, claims_responsibility, sentence_attribution
from eventwatch.extract.datelines import find_dateline
from eventwatch.extract.dates import DateFound, find_dates, find_dates_in_month, infer_base_date, to_mention
from eventwatch.extract.lookahead import behind_lookahead
from eventwatch.extract.numbers import WORD_NUM, find_casualties, word_to_int
from eventwatch.extract.places import find_place_mentions
from eventwatch.extract.sentences import split_sentences
from eventwatch.extract.triggers import (
    Trigger,
    demonstration_type,
    destruction_with_deaths,
    disrupted_type,
    find_triggers,
    taxonomy,
    transfer_type,
)
from eventwatch.gazetteer import name_key
from eventwatch.records import Article, EventMention, NumberMention, PlaceMention, Span

# Sentences about attacks in general, hypotheticals and questions report no event.
GENERIC_SENTENCE = re.compile(
    r"\b(?:such attacks|attacks of this (?:sort|kind)|(?:have|has) been on the rise|an increase (?:of|in)|"
    r"mainly carried out|usually|often|would|could|might|may be|if\b|threaten(?:ed|s)? to|vow(?:ed|s)? to|"
    r"plans? to|in an attempt to prevent|accused .{0,40} of (?:using|carrying)|denied|denies)\b|\?\s*$|"
    # the war's history: "since the conflict erupted with protests in March 2011"
    r"\b(?:conflict|war|uprising|crisis|revolution)\s+(?:\w+\s+){0,3}(?:began|erupted|started|broke out)\b", re.I)
GENERIC_SENTENCE = behind_lookahead(GENERIC_SENTENCE)  # the same matches, found faster (lookahead.py)


# A threat in a relative clause ("separatists who had vowed to disrupt the ceremony") describes the actors
# of a sentence that may well report an event; only a threat of the sentence itself makes it no report.
RELATIVE_THREAT = re.compile(r"\b(?:who|which|that)\s+(?:had\s+|have\s+|has\s+)?(?:repeatedly\s+|previously\s+)?$", re.I)
THREAT_WORDS = ("vow", "threat", "plan")


def is_generic(text: str) -> bool:
    """True for a sentence about attacks in general, a hypothetical, a question or a threat (GENERIC_SENTENCE),
    not counting threats in a relative clause (rule gen-relative-threat)."""
    for m in GENERIC_SENTENCE.finditer(text):
        if m.group(0).lower().startswith(THREAT_WORDS) and RELATIVE_THREAT.search(text, max(0, m.start() - 40),
                                                                                    m.start()):
            continue
        return True
    return False


CAPTION_END = re.compile(r"\((?:TRT World and Agencies|(?:AFP|Reuters|AP|EPA|File|Getty Images)\s+photo|photo)\)",
                         re.I)
COORDINATOR = re.compile(r"\b(?:and|as well as|in addition to|while|whereas|along with)\b|;", re.I)
BACK_THEN = re.compile(r"\b(?:back then|at the time|at that time|in that attack|that day)\b", re.I)
SINCE_CLAUSE = re.compile(r"\b(?:since|after|before|until|following)\b[^,;.]{0,100}$", re.I)
RELATIVE_KINDS = {"today", "yesterday", "weekday", "weekend", "ago", "last"}
LEAD_SENTENCES = 3
# (rule seg-ordinal: "the second incident", "the other attack" number a new event, they do not point back)
REFERS_BACK = re.compile(
    r"\b(?:the|this|that|(?:today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'?s)\s+"
    r"(?!(?:second|third|fourth|fifth|other|next|latest|new|separate)\b)(?:[\w'’-]+\s+)?(?:attack|blast|bombing|explosion|strikes?|raids?|shelling|assault|massacre|"
    r"clashes|fighting|confrontations?|incident)\b|\btoll\b|\bthe (?:agency|observatory|monitor) added\b", re.I)


@dataclass
class Frame:
    sentence_index: int
    sentence: Span
    start: int  # the clause this frame covers, as offsets into the article text
    end: int
    triggers: list[Trigger]
    date: DateFound | None = None
    back_then: bool = False
    recalled: bool = False  # an earlier event the clause recalls ("just hours after a gas attack left dozens dead")
    part: bool = False  # the figure at another place of a clause that told one before it (rule seg-toll-split)
    shared_from: int = 0  # for a part: where the clause whose words it leaves out begins


@dataclass
class SentenceFacts:
    index: int
    span: Span
    generic: bool
    triggers: list[Trigger]
    dates: list[DateFound]
    actors: list[ActorHit]
    numbers: list[NumberMention]
    attribution: Attribution | None
    places: list[PlaceMention]
    parts: list[int] = field(default_factory=list)  # where a figure at another place begins (rule seg-toll-split)


@dataclass
class Group:
    frames: list[Frame] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    main: bool = False
    place_from: Group | None = None  # an event told without a place, right after this one ("... of the city")
    kind_from: Group | None = None  # a toll part is of the kind of the event its clause began with (seg-toll-split)
    sentence_set: set[int] = field(default_factory=set, repr=False)  # `sentences` as a set: O(1) membership

    first_date: DateFound | None = field(default=None, repr=False)  # the first frame's date that is set
    first_event_date: DateFound | None = field(default=None, repr=False)  # ... that is not a statement's day

    @property
    def date(self) -> DateFound | None:
        """The date of the first frame that has one, unless that is the day of a statement and a later frame
        gives the event's own day, up to a week before it (kept as frames are added: no scan per question)."""
        if self.first_date is not None and self.first_date.statement and self.first_event_date is not None \
                and before_statement(self.first_event_date, self.first_date):
            return self.first_event_date
        return self.first_date

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        if self.first_date is None and frame.date is not None:
            self.first_date = frame.date
        if (self.first_event_date is None and frame.date is not None and not frame.date.statement
                and frame.date.precision == 1):
            self.first_event_date = frame.date
        if frame.sentence_index not in self.sentence_set:
            self.sentence_set.add(frame.sentence_index)
            self.sentences.append(frame.sentence_index)


def filed_on(d: DateFound, dateline: Span, text: str) -> bool:
    """Rule dt-dateline: a date inside the wire dateline or right after it (only a comma between) is the day
    the report was filed, not an event's."""
    if d.span.start < dateline.end:
        return d.span.start >= dateline.start
    return not text[dateline.end:d.span.start].strip(" ,\t")


def opening_date_line(text: str, title: str | None, dates: list[DateFound]) -> DateFound | None:
    """Rule dt-opening-line (session 8, from FA-KES pages laid out as headline, then '8 Jun 2016 Russian air
    strikes ... killed ten civilians on Tuesday'; tested on others): a full date that opens the story, at the
    start of the text or right after the headline the text begins with, is the page's date line (the day it
    was published: clean's rule pub-opening-date), never the day of an event the story tells."""
    starts = story_starts(text, title)
    for d in dates:
        if d.span.start > starts[-1] + 40:
            break
        if d.absolute and d.precision == 1 and any(
                d.span.start >= k and NON_SPACE.search(text, k, d.span.start) is None for k in starts):
            return d
    return None


def before_statement(event: DateFound, statement: DateFound) -> bool:
    """The event's day is the statement's or one or two days before it (a day further back is another
    event the statement recalls)."""
    return 0 <= (statement.start - event.start).days <= 2


PUBLICATION_CUE = re.compile(r"(?:date of publication|published(?: on)?|posted(?: on)?|updated(?: on)?)\W*$", re.I)


def is_dateline(d: DateFound, sentence: Span) -> bool:
    """'Wed 05 Apr 2017 ...' opening the text, 'Posted on April 19 2017 by': the day of publication."""
    # Searches bounded to the end of the text before the date (with pos/endpos, which keep \b and $ exact):
    # slicing the sentence up to every date would be quadratic in a long sentence.
    text, k = sentence.text, d.span.start - sentence.start
    if d.absolute and sentence.start == 0 and NON_SPACE.search(text, 0, k) is None:
        return True
    j = k  # the cue ends where the run of non-word characters before the date begins
    while j > 0 and not (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return bool(PUBLICATION_CUE.search(text, max(0, j - 25), k))


NON_SPACE = re.compile(r"\S")
# Rule dt-statement: a day governed by a verb of saying ("said on Wednesday", "told AFP on Friday", "in a
# statement on Thursday") dates the statement; the event it reports happened then or before.
STATEMENT_CUE = re.compile(
    r"\b(?:said|says|stated|states|announced|reported|confirmed|added|disclosed|told\s+(?:[A-Z][\w.]*\s*){1,3}|"
    r"(?:a|its|his|her|their)\s+(?:\w+\s+)?(?:statement|press conference|news conference|press release|briefing))"
    r"\s*(?:late |early )?(?:on\s+)?$")


def is_statement_day(d: DateFound, sentence: Span) -> bool:
    """A weekday or date that follows a verb of saying (Rule dt-statement)."""
    k = d.span.start - sentence.start
    return d.precision == 1 and bool(STATEMENT_CUE.search(sentence.text, max(0, k - 60), k))


def event_dates(sentence: Span, base: dt.date | None, found: list[DateFound]) -> list[DateFound]:
    """Dates that can be an event's, among those `found` in the sentence: "since ..." dates are dropped,
    and a relative date in a sentence that also states a reporting day ("on Sunday, July 28, as saying
    that ... yesterday") is resolved against that day, which is then not the event's."""
    dates = [d for d in found
             if not d.since and not SINCE_CLAUSE.search(sentence.text, max(0, d.span.start - sentence.start - 120),
                                                        d.span.start - sentence.start)
             and not is_dateline(d, sentence)]
    said = {id(d) for d in dates if is_statement_day(d, sentence)}
    if said:
        # a statement's day gives way to the event's own day in the same sentence; alone it is kept, marked
        dates = ([d for d in dates if id(d) not in said] if len(said) < len(dates) else
                 [dataclasses.replace(d, statement=True) for d in dates])
    relative = [d for d in dates if d.kind in ("today", "yesterday")]
    for anchor in [d for d in dates if d.kind not in RELATIVE_KINDS and d.precision == 1]:
        # "... on Sunday, July 28, as saying that an IS militant has yesterday ...": the day a statement
        # was made, followed by what it says; its "yesterday" counts from that day.
        later = [d for d in relative if d.span.start > anchor.span.end]
        between = sentence.text[anchor.span.end - sentence.start:later[0].span.start - sentence.start] if later else ""
        if not later or not SPEECH.search(between):
            continue
        rebased = {(d.span.start, d.span.end): d for d in find_dates(sentence.text, anchor.start, offset=sentence.start)}
        dates = [rebased.get((d.span.start, d.span.end), d) if d in later else d for d in dates if d is not anchor]
        break
    return dates


TAGS = re.compile(r"\bTags\b")
PLACED_BY = re.compile(r"\b(?:in|at|near|on|of|from|into|outside|around)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)


def tagged(p: PlaceMention, text: str) -> bool:
    """A keyword of the page's tag list ("Tags Syria Islamic State activists murder video Palmyra The ..."),
    which the scraped text runs into the story: a place there locates nothing."""
    before = text[max(0, p.span.start - 120):p.span.start]
    return bool(TAGS.search(before)) and not PLACED_BY.search(before[-40:])


def share_place_hints(places: list[PlaceMention]) -> list[PlaceMention]:
    """'Hader' named twice, once as 'Hader in Quneitra province': every mention of it gets the province."""
    hints: dict[str, dict] = {}
    for p in places:
        # "the countryside of Damascus" is Rural Damascus; Damascus named alone is still the city
        if (p.admin1_hint or p.country_hint) and p.relation not in ("countryside", "province"):
            hints.setdefault(p.name.lower(), {"admin1_hint": p.admin1_hint, "country_hint": p.country_hint,
                                              "admin1_hint_soft": p.admin1_hint_soft})
    shared = []
    for p in places:
        hint = hints.get(p.name.lower())
        if not (p.admin1_hint or p.country_hint) and hint:
            p = p.model_copy(update=hint)
        shared.append(p)
    return shared


# Rule seg-toll-split: one clause tells figures at several places, the second and later with their words left out
# ("killed five villagers in Kajuru and three in Chikun", "eight police were injured in Kasserine as well as
# another 11 in nearby Thala", "arrested 12 in Lagos, 7 in Abuja and 4 in Kano") or with a verb of their own
# ("..., while three others died in Chikun", "and wounded three in Chikun"): one event per place, each with its
# own figure. The gap from a place (and its admin word) to the next place's figure and its "in".
CASUALTY_VERB = r"(?:killed|died|dead|injured|wounded|hurt|arrested|detained|kidnapped|abducted)"
PART_NOUNS = r"(?:\s+(?!(?:were|was|have|had|are|also|killed|dead|died|injured|wounded|hurt|arrested)\b)[a-z]+){0,2}?"
PART_GAP = re.compile(
    r"(?:\s+(?:province|state|governorate|district|county|region|city|town|village|area|LGA))?(?:\s*\([^)]{1,40}\))?"
    r"(?P<joint>\s*,\s*(?:and\s+|while\s+)?|\s+(?:and|as well as|while)\s+)"
    rf"(?:(?:another\s+|a further\s+)?(?P<n>\d{{1,3}}(?:,\d{{3}})*|{WORD_NUM}){PART_NOUNS}"
    rf"(?:\s+(?:were|was|have been|had been))?(?P<verb>\s+(?:also\s+)?{CASUALTY_VERB})?"
    rf"|(?:also\s+)?{CASUALTY_VERB}\s+(?:another\s+)?(?:\d{{1,3}}(?:,\d{{3}})*|{WORD_NUM}){PART_NOUNS})"
    r"\s+(?:in|at|near)\s+"
    r"(?:(?:the\s+)?(?:nearby|neighbouring|neighboring)\s+|the\s+)?"
    r"(?:(?:town|village|city|district|province|state|region)\s+of\s+)?$", re.I)
FIGURE_BEFORE = re.compile(rf"(?:^|\W)(?:\d{{1,3}}(?:,\d{{3}})*|{WORD_NUM})\b", re.I)
PART_REACH = 80  # how far before the first place its figure may stand


def toll_parts(text: str, numbers: list[NumberMention], places: list[PlaceMention]) -> tuple[list[int], list[NumberMention]]:
    """Rule seg-toll-split: where, in a sentence, a figure at another place begins (the offset of its "and"),
    and that figure as a NumberMention of the kind of the figure before it, where that one is a casualty figure.

    Only a pair told alike counts: the first place has a figure of its own shortly before it ("five villagers
    in Kajuru"), the next follows it with only a joint, a figure and "in" between ("and three in Chikun")."""
    parts: list[int] = []
    elided: list[NumberMention] = []
    ordered = sorted(places, key=lambda p: p.span.start)
    chained: PlaceMention | None = None  # the last place given a part: the next may follow on from it
    for a, b in zip(ordered, ordered[1:], strict=False):
        m = PART_GAP.match(text, a.span.end, b.span.start)
        if m is None or place_key(a.name) == place_key(b.name):
            continue
        if a is not chained and not FIGURE_BEFORE.search(text, max(0, a.span.start - PART_REACH), a.span.start):
            continue  # the first place of a run needs a figure of its own before it
        chained = b
        parts.append(m.start("joint"))
        if m.group("n") is None or m.group("verb"):
            continue  # a figure with its own verb is one the figures finder reads
        value = word_to_int(m.group("n"))
        kind_of_first = next((n for n in reversed(numbers) if n.span.end <= a.span.start
                              and a.span.start - n.span.end <= PART_REACH), None)
        if kind_of_first is not None and value:
            elided.append(kind_of_first.model_copy(update={
                "value": value, "low": value, "high": value, "also": False,
                "span": Span(start=m.start("n"), end=b.span.end, text=text[m.start("n"):b.span.end])}))
    return parts, elided


def part_totals(facts: list[SentenceFacts]) -> set[tuple[int, str, int]]:
    """Rule seg-toll-total: where a sentence splits a toll by place ("five in Kajuru and three in Chikun"), the
    sum told in another sentence ("Gunmen kill eight") is every part's, no one event's own figure: the figures
    to leave out, as (sentence, kind, value)."""
    sums: set[tuple[str, int]] = set()
    split = set()
    for s in facts:
        if not s.parts:
            continue
        split.add(s.index)
        for kind in ("killed", "injured"):
            values = [n.value for n in s.numbers if n.kind == kind and n.value]
            if len(values) > 1:
                sums.add((kind, sum(values)))
    if not sums:
        return set()
    return {(s.index, n.kind, n.value) for s in facts if s.index not in split for n in s.numbers
            if n.value and (n.kind, n.value) in sums}


def split_frames(facts: SentenceFacts) -> list[Frame]:
    """One frame per event the sentence reports; coordinated specific event words split."""
    frames: list[Frame] = []
    text = facts.span.text
    for trig in facts.triggers:
        recalled = False
        if frames:
            prev = frames[-1]
            between = text[prev.triggers[-1].span.end - facts.span.start:trig.span.start - facts.span.start]
            split = (trig.rule.specific and prev.triggers[-1].rule.specific and COORDINATOR.search(between)
                     and len(between.split()) >= 3)
            # Rule seg-recalled: "19 people were killed ... just hours after a suspected chemical gas attack left
            # dozens dead in Khan Sheikhun": the event the clause measures from is another, earlier one
            recalled = bool(trig.rule.specific and RECALLED_BEFORE.search(between[-60:]))
            if not split and not recalled:
                prev.triggers.append(trig)
                continue
            prev.end = trig.span.start
        frames.append(Frame(sentence_index=facts.index, sentence=facts.span, start=trig.span.start,
                            end=facts.span.end, triggers=[trig], recalled=recalled))
    if frames:
        frames[0].start = facts.span.start
    for cut in facts.parts:  # rule seg-toll-split: the figure at another place is a frame of its own, same words
        owner = next((f for f in frames if f.start < cut < f.end), None)
        if owner is None:
            continue
        piece = Frame(sentence_index=facts.index, sentence=facts.span, start=cut, end=owner.end,
                      triggers=list(owner.triggers), recalled=owner.recalled, part=True,
                      shared_from=owner.shared_from if owner.part else owner.start)
        owner.end = cut
        frames.insert(frames.index(owner) + 1, piece)
    # Each date goes to the frame it stands in; a frame without one takes its coordinated neighbour's.
    for d in facts.dates:
        owner = next((f for f in frames if f.start <= d.span.start < f.end), frames[-1] if frames else None)
        if owner is not None and owner.date is None:
            owner.date = d
    for i, f in enumerate(frames):
        if f.date is None and len(frames) > 1:
            neighbour = frames[i + 1] if i + 1 < len(frames) else None
            f.date = neighbour.date if neighbour else None
        f.back_then = bool(BACK_THEN.search(text))
    return frames


MONTH_WORD = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
              r"sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)")
SINCE_OPENING = re.compile(r"^\W*since\s+(?:(?:early|late|mid-?)\s*)?(?:(?:the\s+)?(?:start|beginning|end|middle)\s+of\s+)?"
                           r"(?:\d{1,2}\s+)?(?:" + MONTH_WORD + r"(?=[\s,])|monday|tuesday|wednesday|thursday|friday|"
                           r"saturday|sunday|last\s+(?:week|month|year)|\d{4}\b)", re.I)
RECALLED_BEFORE = re.compile(r"\b(?:(?:hours|days|a day|weeks|shortly|just|soon)\s+)*(?:after|following|in the wake of)\s+"
                             r"(?:an?|the|another)\s+(?:[\w-]+\s+){0,2}$", re.I)


def days_apart(a: DateFound, b: DateFound) -> int:
    a_end, b_end = a.end or a.start, b.end or b.start
    if a.start <= b_end and b.start <= a_end:
        return 0
    return min(abs((a.start - b_end).days), abs((b.start - a_end).days))


def group_frames(frames: list[Frame], base: dt.date | None) -> list[Group]:
    main = Group(main=True)
    background: list[Group] = []
    last_background: Group | None = None
    for frame in frames:
        main_date = main.date
        if frame.recalled:
            # a background event of its own where it gives its own day; else only kept out of the news event
            if frame.date is not None and (main_date is None or days_apart(frame.date, main_date) >= 1):
                background.append(Group())
                background[-1].add(frame)
                last_background = background[-1]
            continue
        if frame.back_then and last_background is not None and frame.date is None:
            last_background.add(frame)
            continue
        if frame.date is None:
            main.add(frame)
            continue
        recent = base is None or frame.date.start >= shift_days(base, -10)
        if main_date is None and recent:
            main.add(frame)
            continue
        if main_date is not None and (days_apart(frame.date, main_date) <= 1 or (
                main_date.statement and not frame.date.statement and frame.date.precision == 1
                and before_statement(frame.date, main_date))):
            main.add(frame)
            continue
        if not any(t.rule.specific for t in frame.triggers) and frame.date.precision > 1:
            continue  # "attacks ... in 2013": too vague to be an event of its own
        if frame.date.end and (frame.date.end - frame.date.start).days > 31:
            continue  # "in 2015", "last year": ACLED codes nothing vaguer than a month
        same = next((g for g in background if g.date and days_apart(g.date, frame.date) == 0
                     and frame.sentence_index not in g.sentence_set), None)
        target = same or Group()
        if same is None:
            background.append(target)
        target.add(frame)
        last_background = target
    if not main.frames and background and min(background[0].sentences) < LEAD_FRAMES:
        # Rule seg-old-news: a report whose lead tells only an event more than ten days old ("On July 5,
        # intelligence officials in Juba arrested ..." in a report of July 23) is about that event: it is the news
        main = background.pop(0)
        main.main = True
    groups = ([main] if main.frames else []) + background
    return groups


# Capitals that news uses for governments ("Moscow, which holds a veto, defended its Damascus ally"):
# a place of the event only where the wording locates something there ("in Damascus", "near Moscow").
CAPITALS = frozenset({"moscow", "washington", "damascus", "ankara", "tehran", "beirut", "riyadh", "doha", "amman",
                      "london", "paris", "brussels", "geneva", "cairo", "baghdad", "jerusalem", "astana",
                      "lausanne", "vienna", "new york", "kremlin"})
LOCATED = re.compile(r"\b(?:in|at|near|outside|into|from|to|around|toward|towards|on|of|across|over|"
                     r"targeted|targeting|hit|struck|shelled|bombed)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)


@cache
def capital_keys() -> frozenset[str]:
    """Name keys of every national capital (GeoNames' country table) and of CAPITALS."""
    from eventwatch.gazetteer import countries, name_key

    return frozenset({name_key(c["capital"]) for c in countries().values() if c.get("capital")} |
                     {name_key(c) for c in CAPITALS})


def locates(p: PlaceMention, text: str) -> bool:
    """Rule ev-capital: a country's capital stands for its government ("Bamako said", "talks in Manila's
    palace" aside) and is a place of the event only where the wording locates something there."""
    if p.relation != "in" or (p.name.lower() not in CAPITALS and name_key(p.name) not in capital_keys()):
        return True
    before = text[max(0, p.span.start - 40):p.span.start]
    return bool(LOCATED.search(before) or CAPITAL_APPOSITION.search(before))


# Rule ev-capital-apposition: "Protests have broken out in Uganda's capital, Kampala": the capital named after the
# word for it, in apposition to a place the wording locates something at, is located there too.
CAPITAL_APPOSITION = re.compile(r"\b(?:in|at|near|outside|into|across|around)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}"
                                r"(?:capital|capital city|city)\s*,\s*$", re.I)


OTHER_TOLL = re.compile(r"\b(?:other|another|also|separately)\b", re.I)
def places_of(frame: Frame, facts: list[SentenceFacts], text: str) -> list[PlaceMention]:
    """The places the frame's clause locates something at."""
    return [p for p in facts[frame.sentence_index].places if frame.start <= p.span.start < frame.end
            and locates(p, text)]


TURN = re.compile(r"^\W*(?:in\b|meanwhile|elsewhere|separately|also on|in another|at the same time|"
                  r"in a separate|earlier|later)|\b(?:also|another|separately)\b", re.I)
LEAD_FRAMES = 2  # sentences that open the news: they sum the day up and split nothing


def place_key(name: str) -> str:
    return re.sub(r"^(?:al|el|as|ash|ad|ar|at|az)[- ]", "", name.lower()).replace("-", " ").strip()


def split_main(groups: list[Group], facts: list[SentenceFacts], text: str) -> list[Group]:
    """The news of one day at several places ("rocket shells on al-Hamadaniya killed a woman ... three
    were injured by a shell on al-Hader ... In Daraa province, shells hit ...") is several events.

    Past the lead, a frame of the news event starts an event of its own when it has a specific event
    word, names places that no event so far holds, does not point back ("the attack", "the blast"), and
    either gives figures of its own or turns to the new place ("In Daraa province, ...", "Meanwhile").
    The lead's first place belongs to the news event; a later frame naming a place an event holds joins it.
    At the news event's own place, another kind of violence with its own dead ("two children were killed by
    regime bombs" beside a battle), or another toll by other arms ("Nine other civilians were killed in rebel
    shelling"), is an event of its own; so is a placeless "also" sentence with other arms and dead right
    after an event, which it takes its place and day from.
    """
    if not groups or not groups[0].main:
        return groups
    main = groups[0]
    news_day = main.date
    lead = sorted(dict.fromkeys(f.sentence_index for f in main.frames))[:LEAD_FRAMES]
    events = [Group(main=True)]
    owned: list[set[str]] = [set()]
    # the provinces each event's places are in, where the text says (seg-other-province); the news event's: also
    # those of every place its lead sentences name ("Syria: raids on Idlib and Aleppo" names both)
    provinces: list[set[str]] = [provinces_named([p for i in lead for p in facts[i].places], text)]
    has_figures = [False]  # the news event must have its figures before another event of the day can split off
    main_values: set[tuple[str, int]] = set()  # the news event's figures, as (killed or injured, value)
    main_kinds: set[str] = set()  # the event types the lead gives the news event
    main_subs: set[str] = set()  # and their sub-types
    previous: int | None = None  # the event the last frame went to
    for frame in main.frames:
        sentence = facts[frame.sentence_index]
        mentions = places_of(frame, facts, text)
        places = [place_key(p.name) for p in mentions]
        own = [n for n in sentence.numbers if frame.start <= n.span.start < frame.end]
        own_figures = bool(own)
        # a figure is the same as another only of the same kind: "two more were wounded" is not "two were killed"
        own_values = {(n.kind, n.value) for n in own if n.value}
        clause = text[frame.start:frame.end]
        # the most specific places decide: "al-Hader town in Aleppos southern countryside" is not "Aleppo"
        specific = [place_key(p.name) for p in mentions if not p.names_province] or places
        holder = next((i for i, o in enumerate(owned) if o & set(specific)), None)
        if frame.part and holder is None and places:
            # rule seg-toll-split: "... and three in Chikun", in the lead as anywhere
            events.append(Group(main=True, kind_from=events[previous] if previous is not None else None))
            owned.append(set(specific))
            provinces.append(provinces_named(mentions, text))
            events[-1].add(frame)
            previous = len(events) - 1
            continue
        turn_in_lead = (frame.sentence_index in lead and frame.sentence_index != lead[0] and holder is None
                        and places and has_figures[0] and owned[0] and own_figures and TURN.match(clause))
        if (frame.sentence_index in lead or not events[0].frames) and not turn_in_lead:
            events[0].add(frame)
            main_values |= own_values
            has_figures[0] = has_figures[0] or own_figures
            listed = listed_places(mentions, text)  # "attacks on Aleppo and Deir Ezzor" sums the day up
            # a province named in the lead ("in Aleppo province") is the setting, not the news event's place
            unlisted = [place_key(p.name) for p in mentions
                        if p.relation not in ("province", "countryside") and p.span.start not in listed]
            if unlisted and not owned[0]:
                owned[0].add(unlisted[0])
            provinces[0] |= provinces_named(mentions, text)
            main_kinds.update(kind_of(t) for t in frame.triggers if t.rule.specific)
            main_subs.update(t.rule.sub_event_type for t in frame.triggers if t.rule.specific)
            previous = 0
            continue
        # its own day, other than the news day ("On Saturday ..." in Sunday's news)
        other_day = frame.date is not None and news_day is not None and days_apart(frame.date, news_day) >= 1
        # a section that opens with its place ("Aleppo Eight civilians were injured ...")
        heading = bool(mentions) and frame.start <= mentions[0].span.start <= frame.start + 2
        again = {v for v in own_values & main_values if v[1] != 1}
        if holder is None and again and not (own_values - main_values or other_day or heading
                                             or TURN.search(clause) or ANOTHER_INCIDENT.search(clause)):
            # the news event's own toll told again ("killed at least 72 people"); rule seg-toll-one: a toll of
            # one ("a village guard", "a police officer") is too common to say which event it is. Rule
            # seg-toll-coincident (session 8, from SANA's Aleppo-and-Homs report, 1926479024): a clause with a place no
            # event holds that shares a figure with the news event but also tells other figures ("Two other people
            # were reported killed and 4 others injured in a similar attack on al-Zahraa"), gives another day, opens
            # with its place or turns ("Homs Meanwhile two civilians were killed") tells a toll of its own
            holder = 0
        frame_kinds = {kind_of(t) for t in frame.triggers if t.rule.specific}
        if (holder is None and places and not owned[0] and not TURN.match(clause) and main_kinds
                and frame_kinds <= main_kinds and not own_values - main_values):
            # Rule seg-lead-place: a lead that names no place ("an airstrike killed ten civilians in a
            # village"), then the same kind of event at a named place without other figures: that place is
            # the news event's, not a second event's.
            holder = 0
        figures = any(frame.start <= n.span.start < frame.end and n.value is not None for n in sentence.numbers)
        # Arrests, raids and protests have no toll to tell them apart: their own place and day, or a turn
        # ("Another team then arrested ..."), is enough (rule seg-no-toll)
        untolled = bool(main_kinds) and main_kinds <= UNTOLLED_KINDS and bool(frame_kinds) and \
            frame_kinds <= UNTOLLED_KINDS and bool(owned[0]) and (other_day or bool(TURN.search(clause)))
        # Rule seg-other-province (session 8, from FA-KES fresh-tuning articles: "Russian warplanes struck
        # Maaret-al-Numan a city south of Idlib" after Aleppo's dead, "airstrikes on ISIL-controlled areas in Aleppo
        # province" after Raqqa's): once the news event has its figures, a specific event word at a new place more
        # precise than a province, in a province the text names and no event so far is in, is an event of its own,
        # figures or not; its word comes before the place or the clause opens with it ("prayers were called off in
        # Idlib because of the airstrikes" tells no strike there), and it tells no past ("in the past", "several
        # days before", "these clashes")
        named = provinces_named(mentions, text, strict=True)
        first_named = next((p.span.start for p in mentions if provinces_named([p], text, strict=True)), frame.end)
        elsewhere = (holder is None and bool(places) and bool(named) and bool(provinces[0]) and has_figures[0]
                     and not any(named & o for o in provinces) and not REFERS_BACK.search(clause)
                     and any(not p.names_province for p in mentions)
                     and not NOT_NEWS.search(clause)
                     and any(t.rule.specific and (t.span.start < first_named or TURN.match(clause))
                             for t in frame.triggers))
        if elsewhere or (holder is None and places and (has_figures[0] or untolled) and not REFERS_BACK.search(clause)
                         and (any(t.rule.specific for t in frame.triggers)
                              or (figures and (other_day or heading or bool(ANOTHER_INCIDENT.search(clause)))))
                         and (figures or other_day or TURN.search(clause))):
            events.append(Group(main=True))
            owned.append(set(places))
            provinces.append(provinces_named(mentions, text))
            events[-1].add(frame)
            previous = len(events) - 1
            continue
        # Another kind of violence at the news event's place, with its own dead ("... 70 fighters killed in
        # battles around al-Maleh ... two children were killed by regime bombs in a rebel-held area of Aleppo")
        subs = {t.rule.sub_event_type for t in frame.triggers if t.rule.specific}
        other_kind = bool(frame_kinds) and bool(main_kinds) and not frame_kinds & main_kinds
        # ... or other arms of the same kind with a toll said to be another ("Nine other civilians were killed
        # in rebel shelling" beside the day's air strikes)
        other_toll = bool(subs) and not subs & main_subs and bool(OTHER_TOLL.search(clause))
        if (holder == 0 and (other_kind or other_toll) and own_values
                and not own_values & main_values and not REFERS_BACK.search(clause)):
            events.append(Group(main=True))
            owned.append(set())
            provinces.append(set())
            events[-1].add(frame)
            previous = len(events) - 1
            continue
        if (holder is None and not places and previous not in (None, 0) and frame.date is None
                and frame.sentence_index == events[previous].sentences[-1] + 1):
            # no place of its own: it goes on about the event just told ("Six people were also reported killed
            # in rebel shelling of regime-held areas of the city"), or, with other arms and dead, is a new one there
            before = {t.rule.sub_event_type for f in events[previous].frames for t in f.triggers if t.rule.specific}
            if (subs and not subs & before and own_values and TURN.search(clause)
                    and not REFERS_BACK.search(clause)):
                events.append(Group(main=True, place_from=events[previous]))
                owned.append(set())
                provinces.append(set())
                events[-1].add(frame)
                previous = len(events) - 1
                continue
            if not own_values or REFERS_BACK.search(clause) or FOLLOWS_ON.search(clause):
                holder = previous  # its own figures count only where it points back ("the toll rose to 9")
        target = holder if holder is not None else 0
        events[target].add(frame)
        previous = target
        if own_figures or REFERS_BACK.search(clause) or not owned[target]:
            owned[target] |= set(places)  # context ("an offensive east of Aleppo") claims no place
            provinces[target] |= provinces_named(mentions, text)
        if target == 0:
            has_figures[0] = has_figures[0] or own_figures
            main_values |= own_values
    return [g for g in events if g.frames] + groups[1:]


def provinces_named(mentions: list[PlaceMention], text: str, strict: bool = False) -> set[str]:
    """The provinces (admin1) the text puts these places in: a province named with a place ("X in Daraa
    countryside"), or a place that is itself a province's name ("Aleppo", "near Idlib"); not a bearing ("west of
    Aleppo") nor where a force is heading. A town named alone is in no province the text says. `strict`: only where
    the wording puts something there ("in", "near", "south of"; a capital only right after "in", "at", ...)."""
    out: set[str] = set()
    for p in mentions:
        if heading_for(p, text) or POSSESSIVE.match(text, p.span.start + len(p.name)):
            continue  # "Ankaras offensive", "Raqqa's military court": an owner, not a place of the event
        if strict and not EVENT_AT.search(text, max(0, p.span.start - 40), p.span.start):
            continue  # "aid delivered to Aleppo", "fled from Homs": not where the event was
        if strict and name_key(p.name) in capital_keys() and not CAPITAL_IN.search(
                text, max(0, p.span.start - 12), p.span.start):
            continue  # "a message to Pristina": the government
        if p.admin1_hint and not p.admin1_hint_soft:
            out.add(p.admin1_hint)
        if p.names_province:
            # a city is hardly another province than its countryside ("Damascus" and "the Damascus suburbs")
            out |= set(province_names(name_key(p.name)))
    return out


EVENT_AT = re.compile(r"\b(?:in|at|near|outside|around|on|of|across|over|inside)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.I)
CAPITAL_IN = re.compile(r"\b(?:in|at|near|outside|around|into|across)\s+(?:the\s+)?$", re.I)
POSSESSIVE = re.compile(r"(?:'|’)?s\b")
# a clause about the past or the setting: "used sarin in attacks in the past", "the fifth anniversary of the revolution"
NOT_NEWS = re.compile(r"\b(?:in the past|anniversary|(?:several|a few|some|few) (?:days|weeks|months) (?:before|earlier|ago)|"
                      r"(?:these|those) (?:[\w-]+ )?(?:attacks?|clashes|strikes?|raids?|battles?|fighting|bombings?|"
                      r"killings?|incidents?))\b", re.I)


@cache
def province_names(key: str) -> tuple[str, ...]:
    """The admin1 names a place name key names ("daraa" -> "Dar'a"), and the countryside around a city that names
    one ("damascus" -> Damascus, Rural Damascus)."""
    from eventwatch.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    return tuple(dict.fromkeys(n for country, name in gaz.admin1_of_key(key)
                               for n in (name, gaz.countryside_admin1(country, name))))


UNTOLLED_KINDS = frozenset({"Strategic developments", "Protests"})
# Rule seg-second-incident: a clause that says it tells another incident ("In a second incident, herders killed two
# farmers in Guma", "in another attack", "in the second incident") is another event where it has a place and a toll
# of its own, even when its only event word is "killed".
ANOTHER_INCIDENT = re.compile(r"\b(?:in|during)\s+(?:an?\s+(?:second|third|fourth|separate|further|similar|unrelated|"
                              r"related|later|earlier)|the\s+(?:second|third|fourth|other|next)|another)\s+"
                              r"(?:incident|attack|episode|raid|ambush|clash|assault)\b", re.I)
# Rule seg-follows-on: a placeless clause that goes on from the event just told ("one militant had been killed
# in a subsequent operation in the region", "two more died in the ensuing gunfight") adds its dead to that event.
FOLLOWS_ON = re.compile(r"\b(?:subsequent|ensuing|follow-up|resulting|same)\s+(?:[\w-]+\s+)?(?:operation|firefight|"
                        r"gunfight|fighting|clash(?:es)?|exchange|battle|raid|encounter|attack|pursuit)\b|"
                        r"\bin the (?:same\s+)?(?:area|region|vicinity)\b", re.I)


def kind_of(trigger: Trigger) -> str:
    """The ACLED event type a trigger names (taking territory is a battle's outcome)."""
    sub = trigger.rule.sub_event_type
    return "Battles" if sub == "territory" else taxonomy().get(sub, {}).get("event_type", sub)


def setting_places(groups: list[Group], facts: list[SentenceFacts], text: str) -> list[PlaceMention]:
    """Where the news happened when its own sentences name no place ("... guidance to overwhelmed health
    workers in Idlib"): places located in sentences of no other event and no other time, as the province
    around the event, never as its exact place."""
    news_day = groups[0].date
    elsewhere = {i for g in groups[1:] for i in g.sentences}
    out = []
    for s in facts:
        if s.index in elsewhere:
            continue
        if any(news_day is None or days_apart(d, news_day) > 1 for d in s.dates):
            continue  # "in Aleppo last year", "in Ghouta ... in August 2013"
        out.extend(p.model_copy(update={"relation": "province"}) for p in s.places
                   if p.relation in ("in", "province", "countryside") and locates(p, text))
    return out


# FA-KES drops commas: "in Homs Aleppo", "in Aleppo Damascus Countryside and Quneitra"
PLACE_LIST_GAP = re.compile(r"^\s*(?:(?:countryside|province|governorate|city)\s*)?(?:,|and|&|,\s*and)?\s*$", re.I)


def listed_places(places: list[PlaceMention], text: str) -> set[int]:
    """Starts of the places named in a list: 'in Damascus & Aleppo', 'on Aleppo and Deir Ezzor'."""
    ordered = sorted(places, key=lambda p: p.span.start)
    out: set[int] = set()
    for a, b in zip(ordered, ordered[1:], strict=False):
        if PLACE_LIST_GAP.match(text[a.span.end:b.span.start]) and place_key(a.name) != place_key(b.name):
            out |= {a.span.start, b.span.start}
    return out


# Places an event only passes by: where a force is going, where people come from.
TOWARD = re.compile(r"\b(?:towards?|to reach|heading (?:to|for)|push(?:ing|ed)? (?:on|into)|advanc(?:e|ed|ing) on|"
                    r"march(?:ed|ing)? on|route to|road to|way to|"
                    r"(?:evacuated|evacuees|evacuation|displaced|fled|fleeing|residents|people) (?:from|of)|out of)"
                    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$", re.I)


def heading_for(p: PlaceMention, text: str) -> bool:
    """'towards the Daesh terror groups Raqqa stronghold', 'buses carrying residents evacuated from the northern
    towns of Fuaa and Kafraya': not where anything happened."""
    before = text[max(0, p.span.start - 60):p.span.start]
    if TOWARD.search(before):
        return True
    # the second of a pair: "from the towns of Fuaa and Kafraya"
    pair = re.search(r"\b(?:and|&)\s+$", before)
    return bool(pair) and bool(TOWARD.search(before[:pair.start()].rstrip().rsplit(" ", 1)[0] + " "))


def best_trigger(group: Group) -> Trigger | None:
    """ACLED's precedence: a suicide or chemical attack anywhere decides; else the lead's specific word."""
    triggers = [t for f in group.frames for t in f.triggers]
    specific = [t for t in triggers if t.rule.specific]
    lead_sentence = min(f.sentence_index for f in group.frames)
    lead = [t for f in group.frames if f.sentence_index <= max(lead_sentence, LEAD_SENTENCES - 1)
            for t in f.triggers if t.rule.specific]
    # ACLED: a suicide attack is a Suicide bomb whatever else the sources say of it.
    # Only where the text ties it to this event: in the lead, or in a sentence dated like the event.
    tied = [f for f in group.frames if f.sentence_index < lead_sentence + LEAD_SENTENCES or f.date is not None]
    decisive = [t for f in tied for t in f.triggers if t.rule.sub_event_type == "Suicide bomb"]
    if decisive:
        return decisive[0]
    pool = lead or specific
    if pool:
        return min(pool, key=lambda t: (t.rule.rank, t.span.start))
    return triggers[0] if triggers else None


def hits_in(group: Group, facts: list[SentenceFacts]) -> list[ActorHit]:
    hits: list[ActorHit] = []
    seen: set[int] = set()  # by identity: a hit is one object, found once per sentence
    for f in group.frames:
        s = facts[f.sentence_index]
        if s.generic:
            continue
        for h in s.actors:
            if f.start <= h.span.start < f.end and id(h) not in seen:
                seen.add(id(h))
                hits.append(h)
        if f.part:
            # the words a toll part leaves out ("Gunmen killed five villagers in Kajuru and three in Chikun") are
            # those of the clause before it: its actors count after the part's own
            for h in s.actors:
                if f.shared_from <= h.span.start < f.start and id(h) not in seen:
                    seen.add(id(h))
                    hits.append(h)
    return hits


DOER_FIRST = frozenset({"Change to group/activity", "Headquarters or base established", "Agreement"})
TAKING = frozenset({"territory", "Non-violent transfer of territory"})


def group_trigger_start(group: Group) -> int:
    """Where the group's first event word starts."""
    return min(t.span.start for f in group.frames for t in f.triggers)


def same_force(h: ActorHit, other: ActorHit | None) -> bool:
    """Both names are state forces of one country (or one of them names no country: "the troops")."""
    return (other is not None and h.entry.inter == 1 and other.entry.inter == 1 and (
        h.entry.country is None or other.entry.country is None or h.entry.country == other.entry.country))


# Rule ac-clash-sides (session 7): the words of a fight between two armed sides ("a clash between security forces and
# gunmen", "a gunbattle", "exchanged fire") leave no room for civilians as the other side: the people they killed are
# its dead, not a party to it.
TWO_SIDED = re.compile(r"^(?:clash|fight|fought|battle|exchange|gun|fire ?fight|shoot|skirmish|trad|return|"
                       r"confront)", re.I)
# Rule ac-arrested-demonstrators (session 7, from the AP's Portland report; tested on others): people the police
# arrested at a demonstration are its demonstrators, not its actor2 (the police is, where named).
ARRESTED_BEFORE = re.compile(r"\b(?:arrested|arresting|arrests? of|detained|detaining|rounded up|apprehended)\s+"
                             r"(?:[\w-]+\s+){0,3}?$", re.I)
DEMONSTRATION_SUBS = frozenset({"Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                                "Violent demonstration", "Mob violence"})
ARMED = frozenset({1, 2, 3, 4, 8})


def other_side(h: ActorHit, actor1: ActorHit | None) -> bool:
    """`h` is an armed actor that can be the other side of `actor1` in a fight."""
    if h.entry.inter not in ARMED or actor1 is None:
        return h.entry.inter in ARMED
    if h.entry.canonical == actor1.entry.canonical or same_force(h, actor1):
        return False
    state1, state2 = actor1.entry.inter in (1, 8), h.entry.inter in (1, 8)
    return state1 != state2 or not (h.entry.generic and actor1.entry.generic)


def choose_actors(group: Group, facts: list[SentenceFacts], text: str, sub_event_type: str | None = None,
                  trigger: Trigger | None = None):
    hits = hits_in(group, facts)
    actors = [h for h in hits if h.entry.kind == "actor"]
    if sub_event_type in DEMONSTRATION_SUBS:
        actors = [h for h in actors if not (h.entry.inter == 7 and ARRESTED_BEFORE.search(
            text, max(0, h.span.start - 50), h.span.start))]
    if sub_event_type == "Mob violence":
        # Rule ac-mob-victims (session 7, from the Jharkhand lynching report; tested on others): a mob's actor2 is whom it
        # attacked; the police that detained its members afterwards ("Police have detained eight people") is not
        actors = [h for h in actors if not (h.entry.inter == 1 and h.role != "target")]
    two_sided = sub_event_type == "Armed clash" and trigger is not None and bool(TWO_SIDED.match(trigger.span.text))
    claimed = next((h for h in actors if claims_responsibility(h, text)), None)
    perps = [h for h in actors if h.role == "perpetrator" and h.entry.inter != 7]
    # Rule ac-local-named (session 7, from CBS's Turmus Ayya report): a word that a country's profile gives a group's
    # meaning ("Israeli settlers", "Maoists") names that group, as a named group does, not a generic word
    named = [h for h in perps if not h.entry.generic or any(
        not actor.startswith("Unidentified") for _country, actor, _inter in h.entry.local)]
    actor1 = claimed or (named[0] if named else (perps[0] if perps else None))
    if actor1 is not None and actor1.entry.generic:
        actor1 = next((h for h in named), actor1)
    a1_name = actor1.entry.canonical if actor1 else None
    targets = [h for h in actors if h.role == "target" and h.entry.canonical != a1_name]
    # the same state force named again ("The troops of the 21 Armoured Brigade, Operation Hadin Kai of the Nigerian
    # Army") is no other side
    others = [h for h in actors if h.role == "unknown" and h.entry.canonical != a1_name and not h.entry.generic
              and not same_force(h, actor1)]
    taker: list[ActorHit] = []
    if (actor1 is None or actor1.entry.generic) and sub_event_type in TAKING:
        # only the force named before the word in its own sentence takes the place
        # (the word of taking: "recaptured"; "withdrew from" names the side that left)
        at = min((t.span.start for f in group.frames for t in f.triggers if t.rule.sub_event_type == "territory"),
                 default=None)
        sentence = next((f.sentence for f in group.frames if at is not None and f.sentence.start <= at < f.sentence.end),
                        None)
        taker = [h for h in others if sentence is not None and sentence.start <= h.span.start < at][-1:]
    if taker:
        actor1, others = taker[0], [h for h in others if h is not taker[0]]
        a1_name = actor1.entry.canonical
        targets = [h for h in targets if h.entry.canonical != a1_name]
    elif (actor1 is None or actor1.entry.generic) and sub_event_type in DOER_FIRST and others and (
            sub_event_type == "Agreement" or others[0].span.start < group_trigger_start(group)):
        # Rule ac-sd-subject: a group that changed or set up a base is named before the word that says so ("Seventeen
        # Taliban militants, including a key commander, laid down their arms"), however far: it is actor1; so is the
        # first party named to an agreement ("a peace deal has been reached between the government and ...").
        # Session 7: a named group beats a generic word for its own fighters ("TTP ends ceasefire ... ordered its
        # militants"). Rule ac-taker (session 7, from the BBC's Rutshuru report; tested on others), above: the force named
        # before the word of taking in its sentence ("The army ... claims to have recaptured two eastern towns") took it
        actor1 = others[0]
        a1_name = actor1.entry.canonical
        # the same party named again is no other party (session 7: "Renamo leader ... the former rebel group Renamo")
        others = [h for h in others[1:] if h.entry.canonical != a1_name]
        targets = [h for h in targets if h.entry.canonical != a1_name]
        if sub_event_type == "Agreement" and actor1.entry.inter not in (1, 8) and not targets:
            # Rule ac-agreement-state-first (session 7, from the SCMP's Maputo accord report; tested on others): of a
            # state and an armed group that agree, ACLED names the state (its government or forces) first
            state = next((h for h in others if h.entry.inter in (1, 8)), None)
            if state is not None:
                others = [actor1] + [h for h in others if h is not state]
                actor1, a1_name = state, state.entry.canonical
    actor2 = targets[0] if targets else (others[0] if others else None)
    if (actor1 is None or actor1.entry.generic) and sub_event_type in ("Armed clash", "generic"):
        # Rule ac-two-sides: in a clash no side said to strike, but state forces hit and an armed group named beside them
        # ("four soldiers were killed in clashes with PKK militants"): the group fought them.
        sides = targets + others
        state = next((h for h in sides if h.entry.inter in (1, 8)), None)
        group = next((h for h in sides if h.entry.inter in (2, 3, 4) and not h.entry.generic), None)
        if group is None and two_sided:
            # rule ac-clash-sides: "a clash between security forces and gunmen": the generic word is the other side
            group = next((h for h in actors if h.entry.inter in (2, 3, 4) and h.role != "claimant"), None)
        if state is not None and group is not None:
            actor1, actor2 = group, state
            a1_name = actor1.entry.canonical
    if two_sided and (actor2 is None or actor2.entry.inter == 7):
        # rule ac-clash-sides: the other armed side named in the event, else none (resolve: an unidentified group)
        actor2 = next((h for h in actors if h is not actor1 and h.role != "claimant" and other_side(h, actor1)), None)
    if sub_event_type == "Disrupted weapons use" and actor1 is not None:
        # Rule ac-disrupted-launcher (session 7, from Al Arabiya's Abha report; tested on others): who launched the
        # drone or missile that was stopped ("two drones launched by the Houthi militia") is actor2, the side that
        # stopped it actor1
        launcher = next((h for h in perps if h is not actor1 and other_side(h, actor1)), None)
        if launcher is not None:
            actor2 = launcher
    assoc2 = [h for h in actors if actor2 and h.entry.canonical == actor2.entry.canonical and h is not actor2
              and h.mention().unit]
    assoc1 = [h for h in actors if actor1 and h.entry.canonical == actor1.entry.canonical and h is not actor1
              and h.mention().unit]
    return actor1, actor2, claimed, assoc1, assoc2


def extract_events(article: Article) -> list[EventMention]:
    """The extract stage for one cleaned article."""
    text = article.text
    base, _, inferred, month = base_date(article)
    dateline = find_dateline(text)
    # where the report was filed from ("ABUJA, Nigeria (AP) —") is no place of its events
    places = share_place_hints([p for p in find_place_mentions(text) if not tagged(p, text) and not (
        dateline is not None and dateline.start <= p.span.start < dateline.end)])
    facts: list[SentenceFacts] = []
    attribution: Attribution | None = None
    # one pass over the article, shared out by sentence
    all_dates = find_dates(text, base) if month is None else find_dates_in_month(text, month)
    all_triggers = find_triggers(Span(start=0, end=len(text), text=text))  # likewise
    trigger_starts = [t.span.start for t in all_triggers]
    dates_at = SpanIndex([d.span.start for d in all_dates])  # all_dates and places: which fall in a sentence
    date_line = opening_date_line(text, article.title, all_dates)
    places_at = SpanIndex([p.span.start for p in places])
    for i, sentence in enumerate(split_sentences(text)):
        # A photo caption glued into the text ("... runs near destroyed buildings in Hasakeh on Monday (AFP
        # photo) BEIRUT Thirteen civilians ...") shows another day and place: only what follows it counts.
        caption = CAPTION_END.search(sentence.text) if ")" in sentence.text else None
        after = sentence.start + caption.end() if caption else sentence.start
        in_sentence = [all_dates[j] for j in dates_at.between(after, sentence.end)]
        if dateline is not None:
            # "KYIV, Ukraine, Oct 19, 2023 (AFP) -", "BUENOS AIRES, Dec 1:": the day the report was filed
            in_sentence = [d for d in in_sentence if not filed_on(d, dateline, text)]
        if date_line is not None:
            in_sentence = [d for d in in_sentence if d is not date_line]
        actors = [a for a in find_actors(text, sentence) if a.span.start >= after]
        attribution_here = sentence_attribution(sentence, actors, attribution)
        if attribution_here is not None:
            attribution = attribution_here
        numbers = [n.model_copy(update={"claimant": attribution_here.claimant if attribution_here else None,
                                        "quote": sentence.text})
                   for n in find_casualties(sentence) if n.span.start >= after]
        in_places = [places[j] for j in places_at.between(after, sentence.end)]
        parts, elided = toll_parts(text, numbers, in_places)
        facts.append(SentenceFacts(
            index=i, span=sentence, generic=is_generic(sentence.text),
            triggers=[t for t in all_triggers[bisect.bisect_left(trigger_starts, after):
                                              bisect.bisect_left(trigger_starts, sentence.end)]
                      if t.span.end <= sentence.end],
            dates=event_dates(sentence, base, in_sentence), actors=actors,
            numbers=sorted(numbers + elided, key=lambda n: n.span.start), attribution=attribution_here,
            places=in_places, parts=parts,
        ))
    frames = [f for s in facts if not s.generic for f in split_frames(s)]
    for f in frames:
        # Rule seg-since-period (session 7, from Reuters' Rudare report; tested on others): a sentence that opens with
        # "Since <a day>," sums up a period up to the news ("Since Dec. 10 local Serbs have erected nine roadblocks
        # and exchanged fire with police"): its events are the setting, kept out of the news event
        if SINCE_OPENING.match(f.sentence.text):
            f.recalled = True
    groups = split_main(group_frames(frames, base or month), facts, text)
    totals = part_totals(facts)
    mentions: list[EventMention] = []
    typed: dict[int, tuple[Trigger, str]] = {}  # each group's event word and sub-event type, by id
    for index, group in enumerate(groups):
        trigger = best_trigger(group)
        if trigger is None:
            continue
        group_triggers = [t for f in group.frames for t in f.triggers]
        own_sentences = sorted({f.sentence_index for f in group.frames})
        sub_event_type = demonstration_type(trigger, group_triggers, " ".join(
            facts[i].span.text for i in own_sentences)) or disrupted_type(
            trigger, group_triggers, text) or (trigger.rule.sub_event_type == "territory" and transfer_type(
                trigger, group_triggers, " ".join(facts[i].span.text for i in sorted(
                    {j for i in own_sentences for j in range(i, i + 3) if j < len(facts)})))) or \
            trigger.rule.sub_event_type
        if group.kind_from is not None and id(group.kind_from) in typed:
            # a toll part ("and 11 in nearby Thala") leaves out the words of the clause it continues: it is of the
            # kind of the event that clause went to
            trigger, sub_event_type = typed[id(group.kind_from)]
        typed[id(group)] = (trigger, sub_event_type)
        numbers = [n for f in group.frames for n in facts[f.sentence_index].numbers
                   if f.start <= n.span.start < f.end and (f.sentence_index, n.kind, n.value) not in totals]
        sub_event_type = destruction_with_deaths(sub_event_type, group_triggers, any(
            n.kind == "killed" and n.value for n in numbers)) or sub_event_type
        actor1, actor2, claimed, assoc1, assoc2 = choose_actors(group, facts, text, sub_event_type, trigger)
        if group is groups[0] and group.main:
            # Figures in sentences with no event word ("The toll rose to 12") belong to the news event.
            numbers += [n for s in facts if not s.triggers and not s.generic for n in s.numbers
                        if (s.index, n.kind, n.value) not in totals]
            # Past the lead, a figure counts only where the sentence points back at this event.
            lead_end = min(f.sentence_index for f in group.frames) + LEAD_SENTENCES
            sentence_starts = [s.span.start for s in facts]
            numbers = [n for n in numbers if sentence_of(n, facts, sentence_starts) < lead_end
                       or REFERS_BACK.search(facts[sentence_of(n, facts, sentence_starts)].span.text)]
        frame_places = [p for f in group.frames for p in places_of(f, facts, text)]
        if not frame_places and group is groups[0] and group.main:
            frame_places = setting_places(groups, facts, text)
        if not frame_places and group.place_from is not None:
            frame_places = [p for f in group.place_from.frames for p in places_of(f, facts, text)]
        # a lead that sums up the day ("attacks in Aleppo, Damascus and Quneitra") places nothing first,
        # nor does the goal of an advance ("as fighters advanced in their push towards the Raqqa stronghold")
        listed = listed_places(facts[min(f.sentence_index for f in group.frames)].places, text)
        frame_places = sorted(frame_places, key=lambda p: (p.span.start in listed, heading_for(p, text)))
        weapon_trigger = trigger if trigger.rule.weapon else next(
            (t for f in group.frames for t in f.triggers if t.rule.weapon and t.rule.rank <= trigger.rule.rank + 1),
            None)
        # a sibling shares the day of the event it continues, else the news day
        date = group.date or (group.place_from.date if group.place_from else None) or (
            groups[0].date if group.main else None)
        if date is None and group is groups[0] and group.main:
            date = day_it_happened(facts, min(group.sentences))
        mentions.append(EventMention(
            article_id=article.article_id,
            index=index,
            event_type="",  # decided with the actors in resolve (territory, attacks on civilians)
            sub_event_type=sub_event_type,
            trigger=trigger.span,
            date=to_mention(date, inferred_base=inferred) if date else None,
            actor1=actor1.mention() if actor1 else None,
            actor2=actor2.mention() if actor2 else None,
            assoc_actor_1=[h.mention() for h in assoc1],
            assoc_actor_2=[h.mention() for h in assoc2],
            places=frame_places,
            numbers=sorted(set_by_span(numbers), key=lambda n: n.span.start),
            weapon=weapon_trigger.rule.weapon if weapon_trigger else None,
            weapon_span=weapon_trigger.span if weapon_trigger else None,
            claimed_by=claimed.mention() if claimed else None,
            background=not group.main,
            # the lead event is surer than the other events of its day
            confidence=confidence(group, trigger, date, actor1) - (0.1 if group.main and group is not groups[0] else 0.0),
        ))
    return mentions


# "the incident occurred on Sunday night", "the attack took place Thursday": a sentence with no event word
# of its own that dates the news event.
HAPPENED = re.compile(r"\b(?:occurred|happened|took place|was carried out|were carried out|broke out|erupted)\b", re.I)


def day_it_happened(facts: list[SentenceFacts], first: int) -> DateFound | None:
    """Rule dt-happened: for a news event whose own sentences give no day, the day of the first sentence of
    the lead (the event's first sentence and the LEAD_SENTENCES after it) that says when "it" happened."""
    for s in facts[first:first + LEAD_SENTENCES + 1]:
        if s.generic or not HAPPENED.search(s.span.text):
            continue
        day = next((d for d in s.dates if d.precision == 1 and not d.statement), None)
        if day is not None:
            return day
    return None


def sentence_of(n: NumberMention, facts: list[SentenceFacts], starts: list[int] | None = None) -> int:
    """Index of the sentence holding a number (`starts`: the sentences' start offsets, for a bisect)."""
    if starts is None:
        return next(s.index for s in facts if s.span.start <= n.span.start < s.span.end)
    j = bisect.bisect_right(starts, n.span.start) - 1
    while j >= 0 and not facts[j].span.start <= n.span.start < facts[j].span.end:
        j -= 1  # sentences do not overlap: the holder is the last one starting at or before the number
    if j < 0:
        raise StopIteration  # as the linear search did: a number outside every sentence
    return facts[j].index


class SpanIndex:
    """Which items of a list fall in [start, end) by their offsets, in the list's own order: a bisect
    over the sorted offsets instead of a scan of the whole list for every sentence (linear time)."""

    def __init__(self, offsets: list[int]):
        self.order = sorted(range(len(offsets)), key=offsets.__getitem__)
        self.sorted = [offsets[i] for i in self.order]

    def between(self, start: int, end: int) -> list[int]:
        lo, hi = bisect.bisect_left(self.sorted, start), bisect.bisect_left(self.sorted, end)
        return sorted(self.order[lo:hi])


def set_by_span(numbers: list[NumberMention]) -> list[NumberMention]:
    seen: dict[tuple[int, int, str], NumberMention] = {}
    for n in numbers:
        seen.setdefault((n.span.start, n.span.end, n.kind), n)
    return list(seen.values())


def confidence(group: Group, trigger: Trigger, date: DateFound | None, actor1: ActorHit | None) -> float:
    score = 0.4
    score += 0.2 if trigger.rule.specific else 0.0
    score += 0.15 if date is not None or group.main else 0.0
    score += 0.1 if actor1 is not None else 0.0
    score += 0.05 * min(len(group.frames), 3)
    return round(min(score, 0.95), 2)


def base_date(article: Article) -> tuple[dt.date | None, Span | None, bool, dt.date | None]:
    """The date relative expressions are resolved against, where it came from, whether inferred, and (when
    only the month of publication is known) that month's first day.

    A publication date outside the plausible range (stored before it was checked) is no base. Without one,
    the latest full date the text states is the base; where the month of publication is known (from the
    page's address), only a date of that month: an older one is an event's, not the day of the report
    (rule dt-month-base), and then the month itself is the base."""
    if article.published and date_in_range(article.published):
        return article.published, None, False, None
    month = article.published_month if date_in_range(article.published_month) else None
    found = infer_base_date(article.text)
    if found and (month is None or (found[0].year, found[0].month) == (month.year, month.month)):
        return found[0], found[1], True, None
    return None, None, False, month

