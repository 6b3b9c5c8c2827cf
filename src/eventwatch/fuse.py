"""Fuse reports of the same real event, from several articles, into one event with several sources.

Record linkage in three steps, as in the field's practice:

1. Blocking: a report is only compared with reports of the same country and governorate (or an
   unknown one) whose dates lie within a small window, so work grows with the number of reports,
   not with its square.
2. Pairwise scoring (`pair_score`): date distance, place distance scaled by geo precision, actor
   overlap and agreement of casualty figures, each in [0, 1], weighted and multiplied by the
   compatibility of the two event types; some
   pairs can never link (same article, different governorates, dates too far apart, two exact
   villages far apart, a protest against a bombing).
3. Clustering (`fuse_reports`): each report, in a fixed order, joins the candidate cluster it fits
   best, or starts a new one. To stop chaining (A~B, B~C, but A!~C) a report joins a cluster only when
   its mean score over the members passes the threshold and no member forbids the link. Later
   reports join existing clusters the same way, so fusing is incremental and deterministic.

Why a documented scorer and not Splink: the decisive rules here are hard constraints (two events of
one article are two events; different governorates never fuse) and type compatibilities that an
unsupervised EM estimate cannot learn from a few hundred reports; incremental joining of late
reports and a 1-million-report run in bounded memory are simpler without a DuckDB round trip. The
weights and the threshold are validated on the annotated clusters in tests/data/gold
(`benchmarks/fuse.py --validate`).

The fused record keeps every report's figures as claims (the claims ledger), takes the conservative
fatality figure (the lowest credible report, as ACLED does) with the range over the sources, and
says in neutral words where the sources disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from eventwatch.records import Claim, Event, Evidence, Source, stable_id
from eventwatch.resources import load_yaml

THRESHOLD = 0.62  # mean pair score needed to join a cluster: see benchmarks/fuse.py --validate
DATE_WINDOW = 2  # days between the nearest ends of two reports' date ranges
# Agreement on date, place, actors and tolls adds up; the type compatibility multiplies it, so that two
# different kinds of event on the same day in the same town stay apart.
WEIGHTS = {"date": 0.35, "place": 0.35, "actors": 0.20, "figures": 0.10}
DATE_SCORE = {0: 1.0, 1: 0.7, 2: 0.3}
# A precise point is a village (precision 1), near a village (2), a province centroid (3).
PLACE_TOLERANCE_KM = {1: 10.0, 2: 25.0, 3: 80.0}
FAR_APART_KM = 30.0  # two precisely placed reports further apart than this are different events

UNSPECIFIC = ("Unidentified Armed Group", "Civilians", "Protesters")

# Event types whose reports can describe one event: an air strike that kills civilians is coded
# "Attack" by one outlet and "Air/drone strike" by another; a bombing followed by a clash likewise.
TYPE_COMPAT = {
    frozenset({"Explosions/Remote violence", "Battles"}): 0.4,
    frozenset({"Explosions/Remote violence", "Violence against civilians"}): 0.75,
    frozenset({"Battles", "Violence against civilians"}): 0.4,
    frozenset({"Protests", "Riots"}): 0.8,
}
SUB_COMPAT = {
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}): 0.9,
    frozenset({"Suicide bomb", "Remote explosive/landmine/IED"}): 0.95,
    frozenset({"Armed clash", "Government regains territory"}): 0.9,
    frozenset({"Armed clash", "Non-state actor overtakes territory"}): 0.9,
    frozenset({"Chemical weapon", "Air/drone strike"}): 0.9,
}


# --- pairs -------------------------------------------------------------------------------------------

def article_of(report: Event) -> str:
    return report.sources[0].article_id if report.sources else report.event_id


def date_range(report: Event) -> tuple[dt.date, dt.date] | None:
    if report.event_date is None:
        return None
    start = report.event_date
    end = report.date_end or start
    if report.time_precision == 3 and report.date_end is None:  # a month: its last day
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
    return start, max(start, end)


def days_apart(a: Event, b: Event) -> int | None:
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None:
        return None
    return max(0, (max(ra[0], rb[0]) - min(ra[1], rb[1])).days)


def km_between(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def place_score(a: Event, b: Event) -> float | None:
    if a.country and b.country and a.country != b.country:
        return None
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return None
    if a.geonameid and a.geonameid == b.geonameid:
        return 1.0
    if a.location and b.location and a.location.casefold() == b.location.casefold():
        return 1.0
    km = km_between(a, b)
    pa, pb = a.geo_precision or 3, b.geo_precision or 3
    if km is None:
        return 0.4 if a.admin1 and a.admin1 == b.admin1 else 0.2
    if pa <= 2 and pb <= 2 and km > FAR_APART_KM:
        return None
    if km <= 2.0:
        return 1.0
    tolerance = PLACE_TOLERANCE_KM[max(pa, pb)]
    if km <= tolerance:
        return 0.75 if max(pa, pb) < 3 else 0.5
    return 0.2 if a.admin1 and a.admin1 == b.admin1 else 0.0


def type_score(a: Event, b: Event) -> float | None:
    if a.sub_event_type == b.sub_event_type:
        return 1.0
    sub = SUB_COMPAT.get(frozenset({a.sub_event_type, b.sub_event_type}))
    if sub is not None:
        return sub
    if a.event_type == b.event_type:
        return 0.8
    if "Strategic developments" in (a.event_type, b.event_type):
        return 0.1
    return TYPE_COMPAT.get(frozenset({a.event_type, b.event_type}))  # None: e.g. a protest and a bombing


def specific(actor: str | None) -> str | None:
    return None if actor is None or actor.startswith(UNSPECIFIC) else actor


def actor_score(a: Event, b: Event) -> float:
    a1, b1 = specific(a.actor1), specific(b.actor1)
    named_a = {x for x in (a1, specific(a.actor2)) if x}
    named_b = {x for x in (b1, specific(b.actor2)) if x}
    if a1 and b1 and a1 == b1:
        return 1.0
    if named_a & named_b:
        return 0.7
    if not a1 or not b1:  # one side does not name the perpetrator: neither evidence for nor against
        return 0.5
    return 0.1


def figure_score(a: Event, b: Event) -> float:
    if a.fatalities_low is None or b.fatalities_low is None:
        return 0.5
    x, y = a.fatalities, b.fatalities
    if x == y:
        return 1.0
    lo, hi = sorted((x, y))
    return 0.6 if lo > 0 and hi <= 2 * lo + 2 else 0.2


def pair_score(a: Event, b: Event) -> float | None:
    """How likely two reports describe one real event, in [0, 1]; None when they cannot."""
    if article_of(a) == article_of(b):
        return None  # an article's events were told apart by its own text
    gap = days_apart(a, b)
    if gap is None or gap > DATE_WINDOW:
        return None
    place = place_score(a, b)
    if place is None:
        return None
    kind = type_score(a, b)
    if kind is None:
        return None
    parts = {"date": DATE_SCORE[gap], "place": place, "actors": actor_score(a, b), "figures": figure_score(a, b)}
    return kind * sum(WEIGHTS[k] * v for k, v in parts.items())


# --- clusters ----------------------------------------------------------------------------------------

@dataclass
class Cluster:
    """The reports of one real event; the first report founded it and names it."""

    reports: list[Event]
    fused_id: str = ""
    changed: bool = True  # must be (re)written to the store
    lost_reports: bool = False  # some of its stored reports no longer exist (their article was re-coded)
    articles: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.fused_id:
            self.fused_id = fused_id_for(self.reports[0])
        self.articles = {article_of(r) for r in self.reports}


def fused_id_for(founder: Event) -> str:
    return stable_id("fused", founder.event_id)


def block_keys(report: Event) -> list[tuple[str, str, int]]:
    """(country, governorate, day ordinal) cells covering the report's date range (+/- the window)."""
    span = date_range(report)
    if span is None:
        return []
    start, end = span
    first, last = start.toordinal() - DATE_WINDOW, min(end.toordinal(), start.toordinal() + 40) + DATE_WINDOW
    country = report.country or ""
    return [(country, report.admin1 or "", day) for day in range(first, last + 1)]


def home_keys(report: Event) -> list[tuple[str, str, int]]:
    """The cells a report is filed under (its own dates, without the window)."""
    span = date_range(report)
    if span is None:
        return []
    start, end = span
    country = report.country or ""
    last = min(end.toordinal(), start.toordinal() + 40)
    return [(country, report.admin1 or "", day) for day in range(start.toordinal(), last + 1)]


def order_key(report: Event) -> tuple:
    # Precise, news (not background) reports found clusters first; ties by id keep runs identical.
    return (report.event_date or dt.date.max, report.background, report.time_precision, report.event_id)


class Fuser:
    """Clusters of reports with a blocking index; add reports in any number of batches."""

    def __init__(self, clusters: Iterable[Cluster] = (), threshold: float = THRESHOLD):
        self.threshold = threshold
        self.clusters: list[Cluster] = []
        self.index: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.any_region: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.by_report: dict[str, int] = {}
        for c in clusters:
            c.changed = False
            self._file(c)

    def _file(self, cluster: Cluster) -> int:
        i = len(self.clusters)
        self.clusters.append(cluster)
        for r in cluster.reports:
            self._file_report(i, r)
        return i

    def _file_report(self, i: int, report: Event) -> None:
        self.by_report[report.event_id] = i
        for country, admin1, day in home_keys(report):
            for cell in (self.index[(country, admin1, day)], self.any_region[(country, day)]):
                if not cell or cell[-1] != i:
                    cell.append(i)

    def candidates(self, report: Event) -> list[int]:
        """Clusters filed in the report's cells: its governorate or none; any, for a report without one."""
        seen: dict[int, None] = {}
        for country, admin1, day in block_keys(report):
            cells = [self.index.get((country, admin1, day), ()), self.index.get((country, "", day), ())] \
                if admin1 else [self.any_region.get((country, day), ())]
            for cell in cells:
                for i in cell:
                    seen[i] = None
        return list(seen)

    def score(self, report: Event, cluster: Cluster) -> float | None:
        if article_of(report) in cluster.articles:
            return None
        scores = []
        for member in cluster.reports:
            s = pair_score(report, member)
            if s is None:
                return None
            scores.append(s)
        return sum(scores) / len(scores)

    def add(self, report: Event) -> str:
        """File one report; returns the id of the fused event it now belongs to."""
        if report.event_id in self.by_report:
            return self.clusters[self.by_report[report.event_id]].fused_id
        best, best_score = None, self.threshold
        for i in self.candidates(report):
            s = self.score(report, self.clusters[i])
            if s is not None and (s > best_score or (s == best_score and best is not None and i < best)):
                best, best_score = i, s
        if best is None:
            return self.clusters[self._file(Cluster([report]))].fused_id
        cluster = self.clusters[best]
        cluster.reports.append(report)
        cluster.articles.add(article_of(report))
        cluster.changed = True
        self._file_report(best, report)
        return cluster.fused_id

    def add_all(self, reports: Iterable[Event]) -> None:
        for r in sorted(reports, key=order_key):
            self.add(r)


def fuse_reports(reports: Iterable[Event], existing: Iterable[Cluster] = (),
                 threshold: float = THRESHOLD) -> list[Cluster]:
    """Cluster reports (joining existing clusters where they fit); returns every cluster."""
    fuser = Fuser(existing, threshold)
    fuser.add_all(reports)
    return fuser.clusters


# --- the fused record --------------------------------------------------------------------------------

@cache
def outlet_affiliations() -> dict[str, str]:
    return {o["name"]: o.get("affiliation") or "" for o in load_yaml("outlets.yaml")["outlets"]}


def who_said(claim: Claim) -> str:
    """A neutral description of who stated a figure: the claimant, or the outlet and its affiliation."""
    if claim.claimed_by and claim.claimed_by != claim.outlet:
        return claim.claimed_by
    outlet = claim.outlet or "one source"
    affiliation = outlet_affiliations().get(outlet)
    return f"{outlet} ({affiliation})" if affiliation else outlet


def vote(values: Iterable[str | None], prefer=lambda v: 0) -> str | None:
    """The most frequent value (ties: the preferred, then the first seen)."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    order = {v: i for i, v in enumerate(counts)}
    return max(counts, key=lambda v: (counts[v], prefer(v), -order[v]))


def fused_date(reports: list[Event]) -> tuple[dt.date | None, dt.date | None, int]:
    dated = [r for r in reports if r.event_date is not None]
    if not dated:
        return None, None, 2
    best = min(r.time_precision for r in dated)
    precise = [r for r in dated if r.time_precision == best]
    start = min(r.event_date for r in precise)
    end = max(date_range(r)[1] for r in precise)
    if (end - start).days <= 1 and best == 1:
        return start, None, 1
    return start, end, max(best, 2) if (end - start).days > 1 else best


def claims_ledger(reports: list[Event]) -> list[Claim]:
    """Every figure and responsibility claim of every source; a source's own figures count as its claims."""
    out: list[Claim] = []
    seen: set[tuple] = set()
    for r in reports:
        src = r.sources[0] if r.sources else Source(article_id=article_of(r))
        own = list(r.claims)
        if r.fatalities_low is not None and not any(c.field == "fatalities" for c in own):
            own.append(Claim(field="fatalities", value=r.fatalities, claimed_by=src.outlet,
                             article_id=src.article_id, outlet=src.outlet))
        for c in own:
            key = (c.field, str(c.value), c.claimed_by, c.article_id, c.start)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


def disagreement_note(reports: list[Event], claims: list[Claim]) -> str:
    """One neutral sentence naming who reported which toll when the sources differ."""
    said: dict[str, str] = {}
    for c in claims:
        if c.field != "fatalities":
            continue
        words = f"{c.value} killed" if isinstance(c.value, int) else f"'{c.value}' killed"
        said.setdefault(who_said(c), words)
    for r in reports:  # a source that gave injuries only: "reported injuries only"
        if r.fatalities_low is None and r.injuries:
            src = r.sources[0] if r.sources else None
            outlet = src.outlet if src else None
            said.setdefault(who_said(Claim(field="injuries", value=r.injuries, article_id=article_of(r),
                                           outlet=outlet)), "injuries only")
    if len(set(said.values())) < 2:
        return ""
    parts = [f"{who}: {what}" for who, what in list(said.items())[:5]]
    return "Sources differ on the toll (" + "; ".join(parts) + ")."


def fuse_cluster(cluster: Cluster) -> Event:
    """One event from the reports of a cluster."""
    from eventwatch.resolve.notes import write_notes  # formatting only: the same neutral sentence builder

    reports = sorted(cluster.reports, key=order_key)
    founder = cluster.reports[0]
    if len(reports) == 1:
        return founder.model_copy(update={"event_id": cluster.fused_id, "report_ids": [founder.event_id]})
    start, end, precision = fused_date(reports)
    sub = vote((r.sub_event_type for r in reports), prefer=lambda v: v == founder.sub_event_type)
    typed = next(r for r in reports if r.sub_event_type == sub)
    actor1 = vote((r.actor1 for r in reports), prefer=lambda v: bool(specific(v)))
    if not specific(actor1):
        actor1 = vote(specific(r.actor1) for r in reports) or actor1
    actor2 = vote((r.actor2 for r in reports if r.actor2 != actor1), prefer=lambda v: bool(specific(v)))
    placed = min(reports, key=lambda r: (r.geo_precision or 4, r.latitude is None, order_key(r)))
    figured = [r for r in reports if r.fatalities_low is not None]
    if figured:
        fatalities = min(r.fatalities for r in figured)
        low = min(r.fatalities_low for r in figured)
        high = max(r.fatalities_high if r.fatalities_high is not None else r.fatalities for r in figured)
    else:
        fatalities, low, high = 0, None, None
    hurt = [r.injuries for r in reports if r.injuries is not None]
    injuries = min(hurt) if hurt else None
    claims = claims_ledger(reports)
    claimed_by = vote(str(c.value) for c in claims if c.field == "responsibility") or vote(
        r.claimed_by for r in reports)
    weapon = vote(r.weapon for r in reports)
    sources: list[Source] = []
    for r in reports:
        for s in r.sources:
            if all(s.article_id != x.article_id for x in sources):
                sources.append(s)
    sources.sort(key=lambda s: (s.published or dt.date.max, s.article_id))
    evidence: list[Evidence] = [v for r in reports for v in r.evidence]
    notes = write_notes(date=start, precision=precision, sub_event_type=sub, actor1=actor1, actor2=actor2,
                        location=placed.location, admin1=placed.admin1, geo_precision=placed.geo_precision,
                        fatalities=fatalities, injuries=injuries, claimed_by=claimed_by, claims=[],
                        weapon=weapon)
    notes += f" Reported by {len(sources)} sources."
    differ = disagreement_note(reports, claims)
    if differ:
        notes += " " + differ
    confidence = 1.0 - math.prod(1.0 - min(0.99, r.confidence) for r in reports)
    return Event(
        event_id=cluster.fused_id, event_date=start, date_end=end, time_precision=precision,
        disorder_type=typed.disorder_type, event_type=typed.event_type, sub_event_type=sub,
        actor1=actor1, assoc_actor_1=vote(r.assoc_actor_1 for r in reports if r.actor1 == actor1),
        actor2=actor2, assoc_actor_2=vote(r.assoc_actor_2 for r in reports if r.actor2 == actor2),
        inter1=next((r.inter1 for r in reports if r.actor1 == actor1), None),
        inter2=next((r.inter2 for r in reports if r.actor2 == actor2), None),
        country=placed.country, iso3=placed.iso3, admin1=placed.admin1 or vote(r.admin1 for r in reports),
        admin2=placed.admin2, admin3=placed.admin3, location=placed.location, latitude=placed.latitude,
        longitude=placed.longitude, geo_precision=placed.geo_precision, geonameid=placed.geonameid,
        fatalities=fatalities, fatalities_low=low, fatalities_high=high, injuries=injuries, weapon=weapon,
        claimed_by=claimed_by, background=all(r.background for r in reports), notes=notes,
        cameo=typed.cameo, sources=sources, claims=claims, evidence=evidence, confidence=round(confidence, 3),
        report_ids=[founder.event_id] + [r.event_id for r in reports if r.event_id != founder.event_id],
    )
