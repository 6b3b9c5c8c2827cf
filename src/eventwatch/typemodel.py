"""A small learned model of an event's sub-event type (and so its event type), trained on our tuning gold.

The rules give every event frame a sub-event type from its best trigger word (extract) and the actors
(resolve: an attack on civilians, territory taken by the state). The model reads the same evidence — the
sentence of the trigger, the trigger word and the weapon named — and says which ACLED sub-event type the frame is. It is a multinomial logistic regression trained with
scikit-learn by `make train` (scripts/train_type_model.py) on `data/training/event_types.jsonl`, and shipped
as plain JSON (`data/models/event_type.json`: feature weights per class), so that predicting needs neither
scikit-learn nor a pickle: a sum of a few dozen weights per class.

Which answer is used is the context's `type_model` setting: `rules` (the rules alone), `model` (the model
alone) or `both` (the rules, unless the model disagrees with a probability of at least its `threshold`).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eventwatch.records import Span

MODES = ("rules", "model", "both")
MODEL_PATH = Path(__file__).parent / "data" / "models" / "event_type.json"
WORD = re.compile(r"[a-z][a-z'-]+|\d+")
# Words too common to say anything about the kind of event.
STOP = frozenset(re.findall(r"\w+", "the a an of in on at to and or by for with from was were is are be been has have "
                                    "had that this which who it its as said says also after while into their they "
                                    "he she his her"))


@dataclass(frozen=True)
class TypeEvidence:
    """What the model reads of one event: its trigger sentence and word, the rules' sub-event type (after
    the actors decided attacks and territory) and the categories (ACLED inter codes) of its actors."""

    sentence: str
    trigger: str
    rule_sub: str
    inter1: int | None = None
    inter2: int | None = None
    weapon: str | None = None


def features(e: TypeEvidence) -> dict[str, float]:
    """Feature name -> value: the sentence's words and word pairs (binary, scaled so that a long sentence
    weighs as much as a short one), the trigger's words and the weapon the rules named."""
    words = [w for w in WORD.findall(e.sentence.lower()) if w not in STOP]
    bag = {f"w:{w}" for w in words} | {f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False)}
    scale = 1.0 / math.sqrt(len(bag)) if bag else 0.0
    out = dict.fromkeys(sorted(bag), scale)
    for w in WORD.findall(e.trigger.lower()):
        out[f"t:{w}"] = 1.0
    # Neither the rules' answer nor the actors' categories are features: with them, the model learnt to copy
    # the rules (cross-validated on the tuning half, it then never overruled them where they were wrong); the
    # model is a second opinion read from the words alone.
    if e.weapon:
        out[f"wp:{e.weapon}"] = 1.0
    return out


@dataclass(frozen=True)
class TypeModel:
    """A linear model over `features`: row `index[name]` of `weights` holds a feature's weight per class."""

    classes: tuple[str, ...]
    intercept: np.ndarray  # (classes,)
    index: dict[str, int]
    weights: np.ndarray  # (features, classes)
    threshold: float = 0.8  # mode `both`: how sure the model must be to overrule the rules

    def probabilities(self, e: TypeEvidence) -> dict[str, float]:
        """Class -> probability (softmax of the linear scores)."""
        found = [(self.index[name], value) for name, value in features(e).items() if name in self.index]
        scores = self.intercept.copy()
        if found:
            rows, values = zip(*found, strict=True)
            scores += np.asarray(values) @ self.weights[list(rows)]
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    def predict(self, e: TypeEvidence) -> tuple[str, float]:
        """The most probable sub-event type and its probability (the first class on a tie)."""
        probs = self.probabilities(e)
        best = max(self.classes, key=lambda c: probs[c])
        return best, probs[best]

    def decide(self, e: TypeEvidence, mode: str) -> str:
        """The sub-event type the setting `mode` gives: the rules' (`e.rule_sub`), the model's, or the
        rules' unless the model disagrees with a probability of at least `threshold`."""
        if mode == "rules":
            return e.rule_sub
        sub, p = self.predict(e)
        if mode == "model" or p >= self.threshold:
            return sub
        return e.rule_sub


def model_from_dict(d: dict) -> TypeModel:
    """A TypeModel from the JSON that scripts/train_type_model.py writes."""
    names = d["features"]
    return TypeModel(classes=tuple(d["classes"]), intercept=np.asarray(d["intercept"], dtype=float),
                     index={n: k for k, n in enumerate(names)},
                     weights=np.asarray(d["weights"], dtype=float).reshape(len(names), len(d["classes"])),
                     threshold=float(d.get("threshold", 0.8)))


def load_type_model(path: Path | str = MODEL_PATH) -> TypeModel:
    """The shipped model (or the one at `path`). Raises FileNotFoundError naming the file when it is missing."""
    with open(path, encoding="utf-8") as fh:
        return model_from_dict(json.load(fh))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the cleaned text, in order (the extract stage's splitter)."""
    from eventwatch.extract.sentences import split_sentences

    return [(s.start, s.end) for s in split_sentences(text)]


def type_evidence(text: str, sentences: list[tuple[int, int]], trigger: Span, rule_sub: str, weapon: str | None,
                  inter1: int | None, inter2: int | None) -> TypeEvidence:
    """The model's evidence for an event whose best trigger word is `trigger` (a span of `text`):
    the sentence holding it (`sentences` from sentence_bounds; a window of text when none does)."""
    at = trigger.start
    j = bisect.bisect_right(sentences, (at, math.inf)) - 1
    if j >= 0 and sentences[j][0] <= at < sentences[j][1]:
        sentence = text[sentences[j][0]:sentences[j][1]]
    else:
        sentence = text[max(0, at - 150):at + 150]
    return TypeEvidence(sentence=sentence, trigger=trigger.text, rule_sub=rule_sub, inter1=inter1, inter2=inter2,
                        weapon=weapon)
