"""Who says what: the claimant of a sentence's figures, and claims of responsibility.

A figure belongs to whoever the sentence attributes it to ("the Amaq agency said", "according to
SANA", "the Observatory reported"); "The Agency added" refers back to the last agency named. A
figure nobody is credited with is the outlet's own report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventwatch.extract.actors import ActorHit
from eventwatch.extract.lookahead import behind_lookahead
from eventwatch.records import Span

SPEECH = re.compile(
    r"\b(?:said|says|say|reported|reports|report|added|adds|quoted|quoting|according to|told|tells|stated|states|"
    r"announced|announces|claimed|claims|confirmed|confirms|documented|cited|citing|counted|put the (?:death )?toll|"
    r"as saying|published|posted|showed|shows|affirmed)\b", re.I)
# Cheap test first: a sentence without any of these has no speech verb.
SPEECH_STEMS = ("sa", "report", "add", "quot", "accord", "told", "tell", "stat", "announc", "claim", "confirm",
                "document", "cit", "count", "toll", "publish", "post", "show", "affirm")
SPEECH = behind_lookahead(SPEECH)  # the same matches, found twice as fast
BACK_REFERENCE = re.compile(r"\b(?:the|this|that)\s+(?:[A-Z]\w+\s+)?(?:agency|monitor|observatory|group's agency|"
                            r"news agency|outlet|officer|official|spokesman|spokesperson|statement|center|centre)\b",
                            re.I)
RESPONSIBILITY = re.compile(
    r"^\W{0,3}(?:\([^)]{1,12}\)\s*)?(?:has |have |had |later |also |officially )?(?:claimed|claims|adopted|adopts|"
    r"announced|announces|took|takes)\s+(?:responsibility|the (?:attack|bombing|operation|explosion)|"
    r"(?:an? |the )?(?:attack|bombing|operation)|targeting|that)", re.I)


@dataclass(frozen=True)
class Attribution:
    claimant: str  # display name of who said it ("Amaq", "SANA", "Syrian Observatory for Human Rights")
    speaks_for: str | None  # the canonical actor whose own outlet it is (Amaq -> Islamic State (Syria))
    span: Span


def sentence_attribution(sentence: Span, hits: list[ActorHit], previous: Attribution | None) -> Attribution | None:
    """The source a sentence's statements come from, if it names one."""
    lower = sentence.text.lower()
    if not any(stem in lower for stem in SPEECH_STEMS) or not SPEECH.search(sentence.text):
        return None
    claimants = [h for h in hits if h.role == "claimant"]
    if claimants:
        # "Amaq has quoted a security source": the agency, not its source, is who publishes the figure.
        best = claimants[0]
        return Attribution(claimant=best.entry.canonical, speaks_for=best.entry.speaks_for, span=best.span)
    if previous and (m := BACK_REFERENCE.search(sentence.text)):
        start = sentence.start + m.start()
        return Attribution(claimant=previous.claimant, speaks_for=previous.speaks_for,
                           span=Span(start=start, end=start + len(m.group()), text=m.group()))
    return None


def claims_responsibility(hit: ActorHit, text: str) -> bool:
    """'IS claimed responsibility', 'IS adopts attack', 'IS announced targeting' (not negated)."""
    if hit.role != "perpetrator" or hit.negated or hit.entry.generic:
        return False
    after = text[hit.span.end:hit.span.end + 60]
    return bool(RESPONSIBILITY.match(after))
