"""The evaluation protocol of shared/design/evaluation.md.

Per article, predicted events are paired one to one with gold events by maximum total agreement
(Hungarian assignment, scipy's linear_sum_assignment). A pair is allowed only when the dates are at most
7 days apart (or the gold date is a period containing the predicted date) and the admin1 regions agree
(or one is unknown). Agreement counts date, place, event type and actors.

Figures:
- detection precision, recall and F1 over non-optional gold events (a prediction paired with an optional
  gold event counts neither way), and recall over main (non-background) events;
- per field, the share right over matched non-optional pairs: event_type, sub_event_type, event_date (exact;
  and within one day), admin1, place (point within tolerance_km, or the same location name), actor1,
  actor2, fatalities (inside fatalities_range), claimed_by, weapon, background;
- row accuracy: main gold events whose date, admin1, event type, sub-event type, actor1, actor2 and
  fatalities are all right, over all main gold events (missed ones count as wrong);
- clusters (cross-source fusion): gold events that share an `event_key` across articles are one real
  event. Over the matched (article, gold event) items, a predicted cluster is the predicted event's
  event_id (a fused event listing several sources is one cluster). B-cubed precision of an item is the
  share of its predicted cluster that is in its gold cluster, recall the share of its gold cluster that is
  in its predicted cluster, averaged over items; pairwise precision/recall count the item pairs placed
  together. A bad merge is a predicted cluster joining gold events more than a day apart or in
  different admin1 regions.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eventwatch.records import Event

FIELDS = ["event_type", "sub_event_type", "event_date", "event_date_1day", "country", "admin1", "place", "actor1",
          "actor2", "inter1", "inter2", "fatalities", "claimed_by", "weapon", "background"]
ROW_FIELDS = ["event_date", "admin1", "event_type", "sub_event_type", "actor1", "actor2", "fatalities"]
FAKES_ADMIN1 = {
    "aleppo": {"Aleppo"}, "damascus": {"Damascus", "Rural Damascus"}, "idlib": {"Idleb"},
    "deir ezzor": {"Deir-ez-Zor"}, "raqqa": {"Ar-Raqqa"}, "homs": {"Homs"}, "hasakeh": {"Al Hasakeh"},
    "hama": {"Hama"}, "daraa": {"Dar'a"}, "lattakia": {"Lattakia"}, "quneitra": {"Quneitra"},
    "tartous": {"Tartous"},
}


class GoldArticle(BaseModel):
    article_id: str
    outlet: str | None = None
    published: dt.date | None = None
    country: str | None = None  # the country of the article's main event, for the per-country rows
    events: list[dict[str, Any]] = []


def load_gold(path: str | Path) -> list[GoldArticle]:
    with open(path, encoding="utf-8") as fh:
        return [GoldArticle.model_validate_json(line) for line in fh if line.strip()]


def load_predictions(path: str | Path) -> list[Event]:
    with open(path, encoding="utf-8") as fh:
        return [Event.model_validate_json(line) for line in fh if line.strip()]


# --- comparing values -----------------------------------------------------------------------------

def norm(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.casefold() if c.isalnum())


def options(gold_value: Any) -> list[Any]:
    return gold_value if isinstance(gold_value, list) else [gold_value]


def same(pred: Any, gold_value: Any) -> bool:
    """A predicted value against a gold value or list of acceptable values ([] means: none)."""
    if isinstance(gold_value, list) and not gold_value:
        return pred in (None, "")
    return any((pred in (None, "") and g in (None, "")) or (pred is not None and g is not None
                                                            and norm(pred) == norm(g)) for g in options(gold_value))


PERIOD = re.compile(r"^((?:Military|Police) Forces of .+?|Government of .+?) \(\d{4}-(?:\d{4})?\)")


ADMIN_SUFFIX = re.compile(r"\s+(?:region|province|state|governorate|oblast|department|district|division)$", re.I)


@cache
def admin1_spellings() -> dict[str, str]:
    """Every spelling the country profiles give a province (its ACLED name and its aliases: "Jawa Timur" for
    "East Java") -> its ACLED name, normalised; a spelling two provinces share is left out."""
    from eventwatch.profiles import load_profiles

    out: dict[str, str] = {}
    shared: set[str] = set()
    for profile in load_profiles().by_iso2.values():
        for row in profile.admin1:
            acled = norm(row.get("acled") or "")
            for name in [row.get("acled"), *(row.get("aliases") or [])]:
                key = norm(name or "")
                if not key:
                    continue
                if out.get(key, acled) != acled:
                    shared.add(key)
                out[key] = acled
    return {k: v for k, v in out.items() if k not in shared}


def same_admin1(pred: Any, gold_value: Any) -> bool:
    """admin1 compared as `same`, with or without its generic word ("Central Region" is "Central"), and in any
    spelling the country profiles give the province (gold written with "Jawa Timur" for ACLED's "East Java")."""
    def bare(v: Any) -> Any:
        if not isinstance(v, str):
            return v
        v = ADMIN_SUFFIX.sub("", v)
        return admin1_spellings().get(norm(v), v)

    gold = [bare(g) for g in gold_value] if isinstance(gold_value, list) else bare(gold_value)
    return same(bare(pred), gold)


# Names the gold was written with before the dictionaries took ACLED's own (the same actor): compared as one.
RENAMED_ACTORS = {"SDF: Syrian Democratic Forces": "QSD: Syrian Democratic Forces",
                  "Hayat Tahrir al Sham": "HTS: Hayat Tahrir al Sham", "Ahrar al Sham": "AAS: Ahrar al Sham",
                  "YPG: People's Protection Units": "YPG: Peoples Protection Units"}


def same_actor(pred: Any, gold_value: Any) -> bool:
    """Actors compared as `same`, with a state's forces compared without their government period: gold
    written before the country profiles gave every force one name whatever the year, and ACLED renames
    "(2000-)" to "(2000-2024)" when a period ends. The period itself is tested in tests/resolve. A name the
    dictionaries no longer give (RENAMED_ACTORS) counts as the one they give now."""
    def no_period(v: Any) -> Any:
        return PERIOD.sub(r"\1", RENAMED_ACTORS.get(v, v)) if isinstance(v, str) else v

    gold = [no_period(g) for g in gold_value] if isinstance(gold_value, list) else no_period(gold_value)
    return same(no_period(pred), gold)


def day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def gold_period(g: dict) -> tuple[dt.date | None, dt.date | None]:
    start = day(g.get("event_date"))
    return start, day(g.get("date_end")) or start


def date_right(pred: dt.date | None, g: dict, tolerance: int) -> bool:
    start, end = gold_period(g)
    if pred is None or start is None:
        return False
    if g.get("date_end") and start <= pred <= end:
        return True
    return abs((pred - start).days) <= tolerance


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def place_right(e: Event, g: dict) -> bool | None:
    """None when the gold gives no place to check against."""
    names = [n for n in options(g.get("location") or []) if n]
    has_point = g.get("latitude") is not None and g.get("longitude") is not None
    if not names and not has_point:
        return None
    if has_point and e.latitude is not None and e.longitude is not None and haversine_km(
            e.latitude, e.longitude, g["latitude"], g["longitude"]) <= (g.get("tolerance_km") or 10):
        return True
    return bool(e.location) and any(norm(e.location) == norm(n) for n in names)


def fatalities_right(e: Event, g: dict) -> bool:
    rng = g.get("fatalities_range")
    if rng:
        return rng[0] <= e.fatalities <= rng[1]
    return e.fatalities == g.get("fatalities", 0)


def field_checks(e: Event, g: dict) -> dict[str, bool | None]:
    return {
        "event_type": same(e.event_type, g.get("event_type")),
        "sub_event_type": same(e.sub_event_type, g.get("sub_event_type")),
        "event_date": date_right(e.event_date, g, 0),
        "event_date_1day": date_right(e.event_date, g, 1),
        "country": same(e.country, g.get("country")) if g.get("country") else None,
        "admin1": same_admin1(e.admin1, g.get("admin1")) if g.get("admin1") else None,
        "place": place_right(e, g),
        "actor1": same_actor(e.actor1, g.get("actor1", [])),
        "actor2": same_actor(e.actor2, g.get("actor2", [])),
        "inter1": same(e.inter1, g.get("inter1")) if "inter1" in g else None,
        "inter2": same(e.inter2, g.get("inter2")) if "inter2" in g else None,
        "fatalities": fatalities_right(e, g),
        "claimed_by": same_actor(e.claimed_by, g.get("claimed_by")) if "claimed_by" in g else None,
        "weapon": same(e.weapon, g.get("weapon")) if "weapon" in g else None,
        "background": bool(e.background) == bool(g.get("background", False)),
    }


def allowed(e: Event, g: dict) -> bool:
    start, end = gold_period(g)
    if e.event_date is None or start is None:
        return False
    in_period = bool(g.get("date_end")) and start <= e.event_date <= end
    if not in_period and abs((e.event_date - start).days) > 7:
        return False
    gold_admin1 = [a for a in options(g.get("admin1")) if a]
    return not (e.admin1 and gold_admin1 and not same_admin1(e.admin1, gold_admin1))


def agreement(e: Event, g: dict) -> float:
    checks = field_checks(e, g)
    score = 2.0 * checks["event_date_1day"] + 1.0 * checks["event_date"]
    score += 1.0 * bool(checks["admin1"]) + 1.0 * bool(checks["place"])
    score += 1.5 * checks["event_type"] + 1.0 * checks["sub_event_type"]
    score += 1.0 * checks["actor1"] + 0.5 * checks["actor2"] + 0.25 * checks["background"]
    # The toll only breaks ties: two shellings of one city on one day are told apart by their dead.
    score += 0.25 * checks["fatalities"]
    return score + 0.1  # an allowed pair always beats no pair


# --- the report -------------------------------------------------------------------------------------

@dataclass
class Pair:
    article_id: str
    gold_index: int
    gold: dict
    predicted: Event


@dataclass
class Report:
    n_articles: int = 0
    n_gold: int = 0
    n_main: int = 0
    n_predicted: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    main_found: int = 0
    rows_right: int = 0
    ignored_predictions: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    field_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clusters: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    # ("country" | "event_type") -> value -> counts of GROUP_COUNTS, over non-optional gold events
    groups: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: {"country": defaultdict(lambda: dict.fromkeys(GROUP_COUNTS, 0)),
                                 "event_type": defaultdict(lambda: dict.fromkeys(GROUP_COUNTS, 0))})

    def count_group(self, g: dict, article: GoldArticle, checks: dict[str, bool | None] | None,
                    row_right: bool) -> None:
        """Tally one non-optional gold event (checks None: missed) under its country and event type."""
        keys = {"country": str(options(g.get("country") or article.country or "unknown")[0]),
                "event_type": str(options(g.get("event_type") or "unknown")[0])}
        for group, value in keys.items():
            c = self.groups[group][value]
            c["gold"] += 1
            c["main"] += int(not g.get("background"))
            c["rows_right"] += int(row_right)
            if checks is not None:
                c["found"] += 1
                for name in ("event_type", "sub_event_type", "actor1", "country"):
                    c[name] += int(bool(checks.get(name)))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_share(self, name: str) -> float | None:
        total = self.field_total.get(name, 0)
        return self.field_right.get(name, 0) / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.n_articles, "gold_events": self.n_gold, "main_events": self.n_main,
            "predicted_events": self.n_predicted, "ignored_predictions": self.ignored_predictions,
            "detection": {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                          "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                          "main_recall": round(self.main_found / self.n_main, 4) if self.n_main else None},
            "fields": {name: {"share": None if (s := self.field_share(name)) is None else round(s, 4),
                              "pairs": self.field_total.get(name, 0)} for name in FIELDS},
            "row_accuracy": round(self.rows_right / self.n_main, 4) if self.n_main else None,
            "clusters": self.clusters,
            "by_country": group_rows(self, "country"),
            "by_event_type": group_rows(self, "event_type"),
        }

    def render(self, console) -> None:
        from rich.table import Table

        d = self.to_dict()
        det = Table(title=f"Detection ({self.n_articles} articles, {self.n_gold} gold events, "
                          f"{self.n_predicted} predicted)")
        for col in ("precision", "recall", "F1", "main recall", "row accuracy"):
            det.add_column(col, justify="right")
        fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
        det.add_row(fmt(d["detection"]["precision"]), fmt(d["detection"]["recall"]), fmt(d["detection"]["f1"]),
                    fmt(d["detection"]["main_recall"]), fmt(d["row_accuracy"]))
        console.print(det)
        fields = Table(title="Fields of matched events")
        fields.add_column("field")
        fields.add_column("share right", justify="right")
        fields.add_column("pairs", justify="right")
        for name, v in d["fields"].items():
            fields.add_row(name, fmt(v["share"]), str(v["pairs"]))
        console.print(fields)
        if self.clusters:
            clusters = Table(title="Clusters of reports (fused events against gold event_keys)")
            for key in self.clusters:
                clusters.add_column(CLUSTER_LABELS.get(key, key), justify="right")
            clusters.add_row(*(fmt(v) if isinstance(v, float) else str(v) for v in self.clusters.values()))
            console.print(clusters)
        if self.ignored_predictions:
            console.print(f"{self.ignored_predictions} predicted events belong to articles not in the gold file.")


GROUP_COUNTS = ("gold", "main", "found", "event_type", "sub_event_type", "actor1", "country", "rows_right")


def group_rows(report: Report, group: str) -> list[dict[str, Any]]:
    """Per country or per event type: recall, and the shares right of the events found."""
    rows = []
    for value, c in sorted(report.groups[group].items(), key=lambda kv: (-kv[1]["gold"], kv[0])):
        def share(k: str, c: dict[str, int] = c) -> float | None:
            return round(c[k] / c["found"], 4) if c["found"] else None

        rows.append({"name": value, "gold": c["gold"], "recall": round(c["found"] / c["gold"], 4),
                     "event_type": share("event_type"), "sub_event_type": share("sub_event_type"),
                     "actor1": share("actor1"), "country": share("country"),
                     "row_accuracy": round(c["rows_right"] / c["main"], 4) if c["main"] else None})
    return rows


def render_groups(report: Report, console, title: str = "") -> None:
    from rich.table import Table

    for group in ("country", "event_type"):
        rows = group_rows(report, group)
        if len(rows) < 2:
            continue
        table = Table(title=f"{title}By {group.replace('_', ' ')}")
        for col in rows[0]:
            table.add_column(group.replace("_", " ") if col == "name" else col.replace("_", " "),
                             justify="left" if col == "name" else "right")
        for r in rows:
            table.add_row(*("-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in r.values()))
        console.print(table)


SIDE_BY_SIDE = [("detection precision", lambda d: d["detection"]["precision"]),
                ("detection recall", lambda d: d["detection"]["recall"]),
                ("detection F1", lambda d: d["detection"]["f1"]),
                ("main-event recall", lambda d: d["detection"]["main_recall"]),
                ("row accuracy", lambda d: d["row_accuracy"]),
                *[(name, (lambda n: lambda d: d["fields"][n]["share"])(name)) for name in FIELDS],
                ("B-cubed F1", lambda d: d["clusters"].get("bcubed_f1")),
                ("bad merges", lambda d: d["clusters"].get("bad_merges"))]


def render_side_by_side(reports: dict[str, Report], console) -> None:
    """One column per gold file (e.g. the tuning and the held-out half), one row per figure."""
    from rich.table import Table

    dicts = {label: r.to_dict() for label, r in reports.items()}
    table = Table(title="Side by side: " + " | ".join(f"{k} ({r.n_articles} articles, {r.n_gold} events)"
                                                      for k, r in reports.items()))
    table.add_column("figure")
    for label in dicts:
        table.add_column(label, justify="right")
    for name, get in SIDE_BY_SIDE:
        values = [get(d) for d in dicts.values()]
        if all(v is None for v in values):
            continue
        table.add_row(name, *("-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in values))
    console.print(table)


CLUSTER_LABELS = {"items": "n", "gold_clusters_multi_source": "multi", "bcubed_precision": "B3 P",
                  "bcubed_recall": "B3 R", "bcubed_f1": "B3 F1", "pairwise_precision": "pair P",
                  "pairwise_recall": "pair R", "pairwise_f1": "pair F1", "bad_merges": "bad"}


def by_article(predictions: Iterable[Event]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = defaultdict(list)
    for e in predictions:
        for article_id in dict.fromkeys(s.article_id for s in e.sources):
            out[article_id].append(e)
    return out


def match_article(preds: list[Event], golds: list[dict]) -> list[tuple[int, int]]:
    from scipy.optimize import linear_sum_assignment

    if not preds or not golds:
        return []
    scores = [[agreement(p, g) if allowed(p, g) else -1e6 for g in golds] for p in preds]
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(r, c) for r, c in zip(rows, cols, strict=True) if scores[r][c] > 0]


def evaluate(gold: list[GoldArticle], predictions: Iterable[Event], fused_of: dict[str, str] | None = None) -> Report:
    """Detection and fields on the given events; clusters by `fused_of` (report id -> fused id) when given,
    else by the events' own ids (fused events listing several sources)."""
    report = Report()
    predicted = by_article(predictions)
    gold_ids = {a.article_id for a in gold}
    report.ignored_predictions = sum(len(v) for k, v in predicted.items() if k not in gold_ids)
    pairs: list[Pair] = []
    for article in gold:
        report.n_articles += 1
        golds = article.events
        preds = predicted.get(article.article_id, [])
        report.n_predicted += len(preds)
        matched = match_article(preds, golds)
        matched_gold = {c: r for r, c in matched}
        matched_pred = {r for r, _ in matched}
        report.fp += sum(1 for i in range(len(preds)) if i not in matched_pred)
        for gi, g in enumerate(golds):
            optional = bool(g.get("optional"))
            main = not optional and not g.get("background")
            if not optional:
                report.n_gold += 1
            if main:
                report.n_main += 1
            if gi not in matched_gold:
                if not optional:
                    report.count_group(g, article, None, False)
                    report.fn += 1
                    report.misses.append(f"{article.article_id}: {g.get('event_date')} {g.get('sub_event_type')}")
                continue
            e = preds[matched_gold[gi]]
            if optional:
                continue  # costs nothing, earns nothing
            report.tp += 1
            pairs.append(Pair(article.article_id, gi, g, e))
            checks = field_checks(e, g)
            for name, ok in checks.items():
                if ok is not None:
                    report.field_total[name] += 1
                    report.field_right[name] += int(ok)
            row_right = main and all(checks[f] for f in ROW_FIELDS if checks[f] is not None) and \
                checks["admin1"] is not False
            report.count_group(g, article, checks, row_right)
            if main:
                report.main_found += 1
                report.rows_right += int(row_right)
    report.clusters = cluster_scores(pairs, fused_of)
    return report


def far_apart(a: dict, b: dict) -> bool:
    """Two gold events that no fused event may join: different dates (periods that do not overlap), other
    governorates, or places with no name in common."""
    (a0, a1), (b0, b1) = gold_period(a), gold_period(b)
    if a0 and b0 and (max(a0, b0) - min(a1, b1)).days > 0:
        return True
    admin_a = {norm(x) for x in options(a.get("admin1")) if x}
    admin_b = {norm(x) for x in options(b.get("admin1")) if x}
    if admin_a and admin_b and not admin_a & admin_b:
        return True
    place_a = {norm(x) for x in options(a.get("location") or []) if x}
    place_b = {norm(x) for x in options(b.get("location") or []) if x}
    return bool(place_a and place_b and not place_a & place_b)


def cluster_scores(pairs: list[Pair], fused_of: dict[str, str] | None = None) -> dict[str, float]:
    items = [p for p in pairs if p.gold.get("event_key")]
    if not items:
        return {}
    gold_of = [p.gold["event_key"] for p in items]
    pred_of = [(fused_of or {}).get(p.predicted.event_id, p.predicted.event_id) for p in items]
    n = len(items)
    gold_members: dict[str, set[int]] = defaultdict(set)
    pred_members: dict[str, set[int]] = defaultdict(set)
    for i in range(n):
        gold_members[gold_of[i]].add(i)
        pred_members[pred_of[i]].add(i)
    b3_p = sum(len(pred_members[pred_of[i]] & gold_members[gold_of[i]]) / len(pred_members[pred_of[i]])
               for i in range(n)) / n
    b3_r = sum(len(pred_members[pred_of[i]] & gold_members[gold_of[i]]) / len(gold_members[gold_of[i]])
               for i in range(n)) / n
    together_pred = together_gold = together_both = 0
    for i in range(n):
        for j in range(i + 1, n):
            sp, sg = pred_of[i] == pred_of[j], gold_of[i] == gold_of[j]
            together_pred += sp
            together_gold += sg
            together_both += sp and sg
    pw_p = together_both / together_pred if together_pred else 1.0
    pw_r = together_both / together_gold if together_gold else 1.0
    bad = 0
    for members in pred_members.values():
        golds = list({items[i].gold["event_key"]: items[i].gold for i in members}.values())
        if any(far_apart(a, b) for n, a in enumerate(golds) for b in golds[n + 1:]):
            bad += 1
    multi = sum(1 for m in gold_members.values() if len({items[i].article_id for i in m}) > 1)
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"items": n, "gold_clusters_multi_source": multi, "bcubed_precision": round(b3_p, 4),
            "bcubed_recall": round(b3_r, 4), "bcubed_f1": round(f(b3_p, b3_r), 4),
            "pairwise_precision": round(pw_p, 4), "pairwise_recall": round(pw_r, 4),
            "pairwise_f1": round(f(pw_p, pw_r), 4), "bad_merges": bad}


# --- FA-KES: admin1 of the main event ------------------------------------------------------------------

@dataclass
class FakesAdmin1Report:
    right: dict[str, int] = field(default_factory=lambda: {"development (even)": 0, "held out (odd)": 0})
    total: dict[str, int] = field(default_factory=lambda: {"development (even)": 0, "held out (odd)": 0})
    covered: dict[str, int] = field(default_factory=lambda: {"development (even)": 0, "held out (odd)": 0})

    def to_dict(self) -> dict[str, Any]:
        return {half: {"accuracy": round(self.right[half] / self.total[half], 4) if self.total[half] else None,
                       "articles": self.total[half], "with_a_main_event": self.covered[half]}
                for half in self.total}

    def render(self, console) -> None:
        from rich.table import Table

        table = Table(title="FA-KES: admin1 of each article's main event")
        for col in ("half", "accuracy", "articles", "with a main event"):
            table.add_column(col)
        for half, v in self.to_dict().items():
            table.add_row(half, "-" if v["accuracy"] is None else f"{v['accuracy']:.3f}", str(v["articles"]),
                          str(v["with_a_main_event"]))
        console.print(table)


def told_at(e: Event, article_id: str) -> int:
    """Where the article first tells of the event (its earliest evidence)."""
    # (an article stored once under another id keeps that id in its evidence)
    starts = [ev.start for ev in e.evidence if ev.article_id == article_id] or [ev.start for ev in e.evidence]
    return min(starts, default=1 << 30)


def evaluate_fakes_admin1(events: Iterable[Event], fakes_csv: str | Path) -> FakesAdmin1Report:
    """Each FA-KES article's main event (the surest non-background one, the first told on a tie) against its
    `location` column."""
    main: dict[str, Event] = {}
    for e in events:
        if e.background:
            continue
        for s in e.sources:
            best = main.get(s.article_id)
            if best is None or (e.confidence, -told_at(e, s.article_id)) > (
                    best.confidence, -told_at(best, s.article_id)):
                main[s.article_id] = e
    report = FakesAdmin1Report()
    with open(fakes_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            half = "held out (odd)" if int(row["unit_id"][-1]) % 2 else "development (even)"
            expected = FAKES_ADMIN1.get(" ".join(row["location"].lower().split()), set())
            report.total[half] += 1
            e = main.get(row["unit_id"])
            if e is not None:
                report.covered[half] += 1
                report.right[half] += int(e.admin1 in expected)
    return report


def dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2)
