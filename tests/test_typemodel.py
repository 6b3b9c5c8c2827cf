"""The learned type model (eventwatch.typemodel): shipped in the package, read offline, deterministic to train,
and the same in a fresh process. The sentences below are quoted from tests/extract/test_event_types.py (pages
named there); none of them is in the training data, which the first test checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import eventwatch
from eventwatch.clean import clean_article
from eventwatch.context import TYPE_MODEL_VARIABLE, build_context
from eventwatch.extract.events import extract_events
from eventwatch.records import Article
from eventwatch.resolve.events import resolve_events
from eventwatch.typemodel import MODEL_PATH, TypeEvidence, load_type_model

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "training" / "event_types.jsonl"

UNSEEN = [
    pytest.param("Myanmar's military fired on protesters on Sunday, killing at least 18, the deadliest day since the "
                 "anti-coup protests started this month.", "protesters", "Excessive force against protesters",
                 id="myanmar-excessive-force"),
    pytest.param("Egyptian protesters torched a police station in Port Said on Saturday, as police used tear gas to "
                 "disperse crowds in the province of al-Mansura, reported Al Arabiya.", "torched",
                 "Violent demonstration", id="egypt-violent-demonstration"),
    pytest.param("An angry mob on Wednesday lynched a suspected armed robber in the Modern Market area of Makurdi, "
                 "Benue State.", "lynched", "Mob violence", id="nigeria-mob"),
    pytest.param("On July 18, police in the northern district of Bogura arrested Mohammad Akhtaruzzaman, a district "
                 "correspondent who covers business news for the Dhaka-based Bangla daily newspaper Banijjo "
                 "Pratidin.", "arrested", "Arrests", id="bangladesh-arrest"),
    pytest.param("The Islamist militant group Al Shebab took control of a sizeable town in central Somalia on Sunday "
                 "after African Union forces left the area, the third town the insurgents have seized since Friday, "
                 "militants and local officials said.", "took control", "Non-state actor overtakes territory",
                 id="somalia-town-taken"),
    pytest.param("Gunmen set about 20 houses on fire during an attack on Naka community in the Gwer West Local "
                 "Government Area of Benue State on Thursday.", "set about 20 houses on fire",
                 "Looting/property destruction", id="nigeria-houses-burnt"),
]

ARTICLE = ("NAIROBI: Kenyan police on Tuesday fired tear gas at protesters marching against police brutality in the "
           "capital Nairobi, arresting dozens for defying a ban on large gatherings during the coronavirus pandemic. "
           "Egyptian protesters torched a police station in Port Said on Saturday, as police used tear gas to "
           "disperse crowds in the province of al-Mansura, reported Al Arabiya.")


def training_sentences() -> str:
    return "\n".join(json.loads(line)["sentence"] for line in EXAMPLES.read_text(encoding="utf-8").splitlines())


def test_the_model_ships_in_the_package_and_loads_offline():
    assert MODEL_PATH.parent == Path(eventwatch.__file__).parent / "data" / "models"  # package data
    assert MODEL_PATH.stat().st_size < 3_000_000  # a few MB at most
    model = load_type_model()
    assert {"Attack", "Armed clash", "Peaceful protest", "Arrests"} <= set(model.classes)
    assert build_context(type_model="model").type_classifier.classes == model.classes


@pytest.mark.parametrize("sentence, trigger, expected", UNSEEN)
def test_the_model_types_sentences_it_was_not_trained_on(sentence, trigger, expected):
    assert sentence[:60] not in training_sentences()
    sub, p = load_type_model().predict(TypeEvidence(sentence=sentence, trigger=trigger, rule_sub="Attack"))
    assert sub == expected, f"{sub} ({p:.2f})"


def test_a_setting_that_is_no_mode_is_refused():
    with pytest.raises(ValueError, match="type model setting 'neural'"):
        build_context(type_model="neural")


def test_training_is_deterministic_and_gives_the_shipped_model():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import train_type_model as train
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    examples = train.read_examples(EXAMPLES)
    # the shipped file came from an earlier run of `make train`: fitting again now must give it back exactly
    first = train.fit(examples, shipped["threshold"])
    for key in ("classes", "intercept", "features", "weights", "threshold"):
        assert first[key] == shipped[key], f"{key}: the shipped model is not what `make train` gives (re-run it)"


def code(text: str, mode: str) -> list[dict]:
    article = clean_article(Article(article_id="t", raw_text=text, published=dt.date(2020, 6, 9)))
    events = resolve_events(article, extract_events(article), context=build_context(type_model=mode))
    return [json.loads(e.model_dump_json()) for e in events]


def test_the_pipeline_codes_the_same_with_the_model_in_a_fresh_process():
    here = code(ARTICLE, "model")
    script = ("import json, sys, datetime as dt\n"
              "from eventwatch.pipeline import code_article\n"
              "from eventwatch.records import Article\n"
              "_, events = code_article(Article(article_id='t', raw_text=sys.stdin.read(), "
              "published=dt.date(2020, 6, 9)))\n"
              "print(json.dumps([json.loads(e.model_dump_json()) for e in events]))\n")
    env = {**os.environ, TYPE_MODEL_VARIABLE: "model"}
    out = subprocess.run([sys.executable, "-c", script], input=ARTICLE, capture_output=True, text=True, env=env,
                         check=True, timeout=120)
    assert json.loads(out.stdout) == here
    assert [e["sub_event_type"] for e in here]  # the article is coded at all


def test_both_keeps_the_rules_unless_the_model_is_sure():
    model = load_type_model()
    evidence = TypeEvidence(sentence=UNSEEN[2].values[0], trigger="lynched", rule_sub="Attack")
    sub, p = model.predict(evidence)
    assert sub == "Mob violence" and p < model.threshold
    assert model.decide(evidence, "rules") == "Attack"
    assert model.decide(evidence, "both") == "Attack"  # not sure enough to overrule the rules
    assert model.decide(evidence, "model") == "Mob violence"
    assert dataclasses.replace(model, threshold=p).decide(evidence, "both") == "Mob violence"
