"""Build the type model's training data from the TUNING gold, train it, cross-validate it (make train).

    .venv/bin/python scripts/train_type_model.py data    # data/training/event_types.jsonl
    .venv/bin/python scripts/train_type_model.py train   # src/eventwatch/data/models/event_type.json
    .venv/bin/python scripts/train_type_model.py cv      # cross-validated figures only, nothing written

`data` codes the tuning articles with the rules (the even-numbered articles of gold/world/articles.jsonl and
the FA-KES articles of tests/data/gold/fakes-dev.jsonl, every one with an even unit_id), pairs the predicted
events with the gold events exactly as `eventwatch evaluate` does (evaluate.match_article), and writes one
example per predicted event: the evidence the model reads (eventwatch.typemodel.TypeEvidence) and, for an
event paired with a non-optional gold event, the gold sub-event type (the rules' own answer where the gold
accepts it, else the gold's first). Only the tuning halves are opened: the odd-numbered world articles and
the odd FA-KES rows are skipped by their id before their text is read.

`train` fits a multinomial logistic regression (scikit-learn, lbfgs, fixed seed) on the
labelled examples, chooses the threshold of mode `both` by grouped cross-validation (folds by article) and
writes the weights as JSON, rounded, keys sorted: the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORLD_ARTICLES = ROOT / "gold" / "world" / "articles.jsonl"
WORLD_TUNING = ROOT / "gold" / "world" / "tuning.jsonl"
FAKES_DEV = ROOT / "tests" / "data" / "gold" / "fakes-dev.jsonl"
FAKES_CSV = ROOT.parent / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"
EXAMPLES = ROOT / "data" / "training" / "event_types.jsonl"
SEED = 0
C = 3.0  # inverse regularisation strength (1, 3 and 10 cross-validated within 0.01 of each other)
FOLDS = 5
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
EVEN_WORLD_ID = re.compile(r'^\{"id": "w(\d+)"')


def tuning_world_lines() -> list[str]:
    """The lines of the even-numbered world articles (the id, the line's first key, is read first)."""
    out = []
    with open(WORLD_ARTICLES, encoding="utf-8") as fh:
        for line in fh:
            m = EVEN_WORLD_ID.match(line)
            if m and int(m.group(1)) % 2 == 0:
                out.append(line)
    return out


def tuning_fakes_rows(ids: set[str], fakes_csv: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the FA-KES rows of the development gold (even unit_id), by unit_id only."""
    with open(fakes_csv, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col = header.index("unit_id")
        rows = [r for r in reader if r[col][-1:] in "02468" and r[col] in ids]
    return header, rows


def build_examples(fakes_csv: Path = FAKES_CSV) -> list[dict]:
    from eventwatch.clean import clean_article
    from eventwatch.context import build_context
    from eventwatch.evaluate import load_gold, match_article, options
    from eventwatch.extract.events import extract_events
    from eventwatch.ingest import read_sources
    from eventwatch.records import Article, Span
    from eventwatch.resolve.events import resolve_events
    from eventwatch.typemodel import sentence_bounds, type_evidence

    context = build_context(type_model="rules")  # the model learns from the rules' answers, never its own
    gold = {"world": load_gold(WORLD_TUNING), "fakes": load_gold(FAKES_DEV)}
    assert all(int(a.article_id[1:]) % 2 == 0 for a in gold["world"]), "world tuning gold: even ids only"
    assert all(a.article_id[-1] in "02468" for a in gold["fakes"]), "FA-KES development gold: even ids only"
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world-tuning.jsonl"
        world.write_text("".join(tuning_world_lines()), encoding="utf-8")
        fakes = Path(tmp) / "fakes-dev.csv"
        header, rows = tuning_fakes_rows({a.article_id for a in gold["fakes"]}, fakes_csv)
        with open(fakes, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        articles = {a.article_id: a for a in read_sources([world, fakes]) if isinstance(a, Article)}
    examples = []
    for corpus, articles_gold in gold.items():
        for g in articles_gold:
            article = articles.get(g.article_id)
            if article is None:
                print(f"{g.article_id}: not in the corpus, skipped", file=sys.stderr)
                continue
            cleaned = clean_article(article) if not article.text else article
            events = resolve_events(cleaned, extract_events(cleaned), context=context) if cleaned.text.strip() else []
            sentences = sentence_bounds(cleaned.text)
            matched = dict(match_article(events, g.events))
            for i, e in enumerate(events):
                trig = next((ev for ev in e.evidence if ev.field == "sub_event_type"), None)
                if trig is None:
                    continue
                evidence = type_evidence(cleaned.text, sentences, Span(start=trig.start, end=trig.end, text=trig.text),
                                         e.sub_event_type, e.weapon, e.inter1, e.inter2)
                gi = matched.get(i)
                gold_event = g.events[gi] if gi is not None else None
                label = None
                accepted: list[str] = []
                if gold_event is not None and not gold_event.get("optional"):
                    accepted = [str(x) for x in options(gold_event.get("sub_event_type")) if x]
                    label = e.sub_event_type if e.sub_event_type in accepted else (accepted[0] if accepted else None)
                examples.append({
                    "article_id": g.article_id, "corpus": corpus, "index": i, "source": "pipeline",
                    "sentence": evidence.sentence, "trigger": evidence.trigger, "rule_sub": evidence.rule_sub,
                    "inter1": evidence.inter1, "inter2": evidence.inter2, "weapon": evidence.weapon,
                    "paired": gold_event is not None,
                    "optional": bool(gold_event and gold_event.get("optional")),
                    "gold_background": bool(gold_event and gold_event.get("background")),
                    "label": label, "accepted": accepted,
                })
    examples.extend(note_examples(gold, context))
    return examples


def note_examples(gold: dict, context) -> list[dict]:
    """One example per non-optional tuning gold event from its annotator's note ("Police dispersed a small
    group of protesters with tear gas ..."), read by the rules as a one-sentence article: what the model
    reads is then what the pipeline would give it for that sentence, and the label is the gold's."""
    from eventwatch.evaluate import options
    from eventwatch.extract.events import extract_events
    from eventwatch.records import Article, Span
    from eventwatch.resolve.events import resolve_events
    from eventwatch.typemodel import sentence_bounds, type_evidence

    out = []
    for corpus, articles_gold in gold.items():
        for g in articles_gold:
            for gi, ge in enumerate(g.events):
                note = (ge.get("note") or "").strip()
                accepted = [str(x) for x in options(ge.get("sub_event_type")) if x]
                if ge.get("optional") or not note or not accepted:
                    continue
                article = Article(article_id=f"{g.article_id}-note{gi}", outlet=g.outlet, published=g.published,
                                  raw_text=note, text=note, language="en")
                events = resolve_events(article, extract_events(article), context=context)
                e = events[0] if events else None
                trig = next((ev for ev in e.evidence if ev.field == "sub_event_type"), None) if e else None
                if e is None or trig is None:
                    continue  # the rules find no event in it: nothing the model would be asked about
                evidence = type_evidence(note, sentence_bounds(note), Span(start=trig.start, end=trig.end,
                                                                          text=trig.text),
                                         e.sub_event_type, e.weapon, e.inter1, e.inter2)
                label = e.sub_event_type if e.sub_event_type in accepted else accepted[0]
                out.append({"article_id": g.article_id, "corpus": corpus, "index": gi, "source": "note",
                            "sentence": evidence.sentence, "trigger": evidence.trigger,
                            "rule_sub": evidence.rule_sub, "inter1": evidence.inter1, "inter2": evidence.inter2,
                            "weapon": evidence.weapon, "paired": True, "optional": False,
                            "gold_background": bool(ge.get("background")), "label": label, "accepted": accepted})
    return out


def write_examples(examples: list[dict], path: Path = EXAMPLES) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for ex in examples:
            fh.write(json.dumps(ex, ensure_ascii=False, sort_keys=True) + "\n")


def read_examples(path: Path = EXAMPLES) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evidence_of(ex: dict):
    from eventwatch.typemodel import TypeEvidence

    return TypeEvidence(sentence=ex["sentence"], trigger=ex["trigger"], rule_sub=ex["rule_sub"],
                        inter1=ex["inter1"], inter2=ex["inter2"], weapon=ex["weapon"])


def fit(examples: list[dict], threshold: float = 0.6) -> dict:
    """A model (as the JSON dict eventwatch.typemodel reads) fitted on the labelled examples."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from eventwatch.typemodel import features

    labelled = [ex for ex in examples if ex["label"]]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([features(evidence_of(ex)) for ex in labelled])
    y = [ex["label"] for ex in labelled]
    clf = LogisticRegression(C=C, max_iter=2000, random_state=SEED)
    clf.fit(x, y)
    classes = [str(c) for c in clf.classes_]
    coef = clf.coef_ if len(classes) > 2 else [[-w for w in clf.coef_[0]], list(clf.coef_[0])]
    intercept = clf.intercept_ if len(classes) > 2 else [-clf.intercept_[0], clf.intercept_[0]]
    names, weights = [], []
    for j, name in enumerate(vec.get_feature_names_out()):
        row = [round(float(coef[k][j]), 4) for k in range(len(classes))]
        if any(abs(w) >= 1e-3 for w in row):  # a feature that moves no class is left out
            names.append(str(name))
            weights.extend(row)
    return {"about": "eventwatch type model: sub-event type from an event's evidence (eventwatch.typemodel); "
                     "trained by scripts/train_type_model.py on data/training/event_types.jsonl",
            "classes": classes, "intercept": [round(float(b), 5) for b in intercept],
            "features": names, "weights": weights, "threshold": threshold, "examples": len(labelled), "C": C, "seed": SEED}


def cross_validate(examples: list[dict]) -> dict:
    """Out-of-fold sub-event type accuracy of the rules, the model, and `both` at each threshold, over the
    labelled examples, folds grouped by article (an article's events are never split between folds)."""
    from sklearn.model_selection import GroupKFold

    from eventwatch.typemodel import model_from_dict

    labelled = [ex for ex in examples if ex["label"]]
    groups = [ex["article_id"] for ex in labelled]
    right = {"rules": 0, "model": 0, **{f"both@{t}": 0 for t in THRESHOLDS}}
    type_right = dict.fromkeys(right, 0)
    by_corpus = {c: dict.fromkeys(right, 0) for c in ("world", "fakes")}
    counts = {"world": 0, "fakes": 0}
    from eventwatch.extract.triggers import taxonomy

    tax = taxonomy()

    def ev_type(sub: str) -> str | None:
        return tax.get(sub, {}).get("event_type")

    for train_idx, test_idx in GroupKFold(n_splits=FOLDS).split(labelled, groups=groups):
        model = model_from_dict(fit([labelled[i] for i in train_idx]))
        for i in test_idx:
            ex = labelled[i]
            if ex.get("source") == "note":
                continue  # trained on, never scored: the figures are over the pipeline's own events
            e = evidence_of(ex)
            sub, p = model.predict(e)
            answers = {"rules": ex["rule_sub"], "model": sub,
                       **{f"both@{t}": (sub if p >= t else ex["rule_sub"]) for t in THRESHOLDS}}
            accepted_types = {ev_type(a) for a in ex["accepted"]}
            counts[ex["corpus"]] += 1
            for k, a in answers.items():
                ok = a in ex["accepted"]
                right[k] += ok
                by_corpus[ex["corpus"]][k] += ok
                type_right[k] += ev_type(a) in accepted_types
    n = sum(counts.values())
    return {"pairs": n, "sub_event_type": {k: round(v / n, 3) for k, v in right.items()},
            "event_type": {k: round(v / n, 3) for k, v in type_right.items()},
            **{f"sub_event_type_{c}": {k: round(v / counts[c], 3) for k, v in by_corpus[c].items()}
               for c in by_corpus if counts[c]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["data", "train", "cv"])
    parser.add_argument("--fakes", type=Path, default=FAKES_CSV)
    parser.add_argument("--out", type=Path, default=None, help="where `train` writes the model")
    args = parser.parse_args()
    if args.step == "data":
        examples = build_examples(args.fakes)
        write_examples(examples)
        labelled = [ex for ex in examples if ex["label"]]
        print(f"{EXAMPLES.relative_to(ROOT)}: {len(examples)} predicted events, {len(labelled)} paired with gold")
        return
    examples = read_examples()
    cv = cross_validate(examples)
    print(json.dumps(cv, indent=1))
    if args.step == "cv":
        return
    both = {t: cv["sub_event_type"][f"both@{t}"] for t in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda t: (both[t], t))  # the surest of the best, on a tie
    model = fit(examples, threshold)
    model["cross_validation"] = cv
    from eventwatch.typemodel import MODEL_PATH

    out = args.out or MODEL_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(model['classes'])} classes, {len(model['features'])} features, threshold {threshold}, "
          f"{out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
