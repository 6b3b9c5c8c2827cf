"""Geocoding on FA-KES: admin1 accuracy of the main-place rule vs a naive baseline, and speed.

    .venv/bin/python benchmarks/geocode.py [--fakes PATH] [--home DIR]
    .venv/bin/python benchmarks/geocode.py --thresholds     # validate the fuzzy-match thresholds

FA-KES's `location` column is the governorate of each article's main event. The main-place rule resolves
the place mentions of the title and the first two sentences (resolve_place) and falls back to the
governorate the whole text names most (admin1_from_text). The baseline takes, for the first capitalised
phrase that is a gazetteer name, its most populous place. Scores are printed for the development half (even
unit_id) and the held-out half (odd unit_id) separately; nothing about individual held-out rows is printed.

--thresholds validates SKELETON_MIN_SCORE and FUZZY_MIN_SCORE on GeoNames itself: each Syrian place's
alternate spellings are held out one at a time and matched against the place's other names (a right match)
and against every other Syrian place's names (a wrong match), tier by tier.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from eventwatch.extract.places import find_place_mentions
from eventwatch.gazetteer import (
    FUZZY_MIN_SCORE,
    SKELETON_MIN_SCORE,
    Gazetteer,
    phonetic_key,
    skeleton_key,
)
from eventwatch.resolve.places import admin1_from_text, resolve_place

FAKES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"
GOLD = {
    "aleppo": {"Aleppo"}, "damascus": {"Damascus", "Rural Damascus"}, "idlib": {"Idleb"},
    "deir ezzor": {"Deir-ez-Zor"}, "raqqa": {"Ar-Raqqa"}, "homs": {"Homs"}, "hasakeh": {"Al Hasakeh"},
    "hama": {"Hama"}, "daraa": {"Dar'a"}, "lattakia": {"Lattakia"}, "quneitra": {"Quneitra"},
    "tartous": {"Tartous"},
}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9])")
CAPITALISED = re.compile(r"[A-Z][\w'’‘-]*(?:\s+(?:al-|el-)?[A-Z][\w'’‘-]*)*")


def head_end(title: str, content: str) -> int:
    """Offset (in title + blank line + content) where the content's second sentence ends."""
    base = len(title) + 2
    ends = [m.start() for m in SENTENCE_END.finditer(content)]
    return base + (ends[1] if len(ends) > 1 else len(content))


def main_place_admin1(text: str, head: int, gaz: Gazetteer) -> tuple[str | None, int]:
    mentions = find_place_mentions(text, gazetteer=gaz)
    first = [m for m in mentions if m.span.start < head]
    place = resolve_place(first, text=text, country="SY", gazetteer=gaz) if first else None
    admin1 = place.admin1 if place is not None and place.iso3 == "SYR" else None
    return admin1 or admin1_from_text(text, country="SY", gazetteer=gaz), len(mentions)


def baseline_admin1(text: str, gaz: Gazetteer) -> str | None:
    for m in CAPITALISED.finditer(text):
        candidates = gaz.lookup(m.group(), fuzzy=False)
        if candidates:
            top = max(candidates, key=lambda c: c.place.population)
            return gaz.admin1_name(top.place.country, top.place.admin1_code)
    return None


def benchmark(path: Path, gaz: Gazetteer) -> None:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scores: dict[str, dict[str, list[int]]] = {"even": defaultdict(list), "odd": defaultdict(list)}
    mention_count = 0
    started = time.perf_counter()
    for r in rows:
        half = "odd" if int(r["unit_id"][-1]) % 2 else "even"
        title, content = r["article_title"].strip(), r["article_content"].strip()
        text = f"{title}\n\n{content}"
        gold = GOLD[r["location"].strip().lower()]
        predicted, n = main_place_admin1(text, head_end(title, content), gaz)
        mention_count += n
        scores[half]["main place rule"].append(predicted in gold)
        scores[half]["baseline"].append(baseline_admin1(text, gaz) in gold)
    elapsed = time.perf_counter() - started

    # speed of extraction + resolution alone (caches warm, as in a long run)
    texts = [f"{r['article_title']}\n\n{r['article_content']}" for r in rows]
    started = time.perf_counter()
    total = 0
    for text in texts:
        mentions = find_place_mentions(text, gazetteer=gaz)
        for m in mentions:
            resolve_place([m], country="SY", gazetteer=gaz)
        total += len(mentions)
    speed_elapsed = time.perf_counter() - started

    print(f"FA-KES admin1 accuracy ({len(rows)} articles)")
    for half in ("even", "odd"):
        for rule, hits in scores[half].items():
            print(f"  {half:4} half  {rule:16} {sum(hits) / len(hits):.3f}  ({sum(hits)}/{len(hits)})")
    print(f"benchmark pass: {elapsed:.1f} s for {len(rows)} articles")
    print(f"speed: {total} mentions found and resolved in {speed_elapsed:.2f} s: {total / speed_elapsed:,.0f} mentions/s, "
          f"{len(texts) / speed_elapsed:,.0f} articles/s (one core)")


def validate_thresholds(gaz: Gazetteer) -> None:
    """Leave-one-spelling-out on Syria's GeoNames names."""
    from rapidfuzz import fuzz, process

    keys_by_place: dict[int, set[str]] = defaultdict(set)
    for key, pid in gaz.db.execute(
            "SELECT n.key, p.place_id FROM name n JOIN place p ON p.place_id=n.place_id "
            "WHERE p.country='SY' AND p.source='cities500'"):
        keys_by_place[pid].add(key)
    owner: dict[str, set[int]] = defaultdict(set)
    for pid, keys in keys_by_place.items():
        for k in keys:
            owner[phonetic_key(k)].add(pid)
    phons = list(owner)
    trials = []  # (tier, right score, best wrong score)
    for pid, keys in keys_by_place.items():
        if len(keys) < 2:
            continue
        for held in keys:
            phon, skel = phonetic_key(held), skeleton_key(phonetic_key(held))
            others = {phonetic_key(k) for k in keys if k != held}
            if phon in others:
                continue  # the spelling differs only in what the keys fold: an exact match, not a test
            right = max(fuzz.ratio(phon, o) for o in others)
            right_skel = max((fuzz.ratio(phon, o) for o in others if skeleton_key(o) == skel), default=0)
            wrong = wrong_skel = 0.0
            for cand, score, _ in process.extract(phon, phons, scorer=fuzz.ratio, limit=15):
                if pid in owner[cand] and len(owner[cand]) == 1:
                    continue
                if owner[cand] - {pid}:
                    wrong = max(wrong, score)
                    if skeleton_key(cand) == skel:
                        wrong_skel = max(wrong_skel, score)
            trials.append(("skeleton", right_skel, wrong_skel))
            trials.append(("fuzzy", right, wrong))
    for tier, current in (("skeleton", SKELETON_MIN_SCORE), ("fuzzy", FUZZY_MIN_SCORE)):
        rows = [t for t in trials if t[0] == tier]
        print(f"{tier} tier: {len(rows)} held-out spellings of Syrian places (current threshold {current:.0f})")
        print("  threshold  right place  wrong place  nothing")
        for threshold in range(60, 100, 4):
            right = sum(r >= threshold and r >= w for _, r, w in rows)
            wrong = sum(w >= threshold and w > r for _, r, w in rows)
            print(f"  {threshold:9}  {right / len(rows):11.3f}  {wrong / len(rows):11.3f}  "
                  f"{1 - (right + wrong) / len(rows):7.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fakes", type=Path, default=FAKES)
    parser.add_argument("--home", type=Path, default=None, help="eventwatch home holding the gazetteer index")
    parser.add_argument("--thresholds", action="store_true", help="validate the fuzzy thresholds instead")
    args = parser.parse_args()
    started = time.perf_counter()
    gaz = Gazetteer(home=args.home)
    gaz.matcher()
    print(f"gazetteer opened in {time.perf_counter() - started:.2f} s ({gaz.path})")
    if args.thresholds:
        validate_thresholds(gaz)
    else:
        benchmark(args.fakes, gaz)
    return 0


if __name__ == "__main__":
    sys.exit(main())
