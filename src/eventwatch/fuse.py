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
fatality figure (the lowest credible report, as ACLED does; a toll far below the others of three or more
reports counts part of the dead and is not credible as the whole: `credible_tolls`) with the range over
the sources, and says in neutral words where the sources disagree.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from eventwatch.records import Claim, Event, Evidence, Source, month_end, stable_id
from eventwatch.resources import load_yaml

THRESHOLD = 0.50  # mean pair score to join a cluster: validated on the development gold (benchmarks/fuse.py --validate)
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
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}): 0.75,
    frozenset({"Suicide bomb", "Remote explosive/landmine/IED"}): 0.95,
    frozenset({"Armed clash", "Government regains territory"}): 0.9,
    frozenset({"Armed clash", "Non-state actor overtakes territory"}): 0.9,
    frozenset({"Chemical weapon", "Air/drone strike"}): 0.75,
}


# --- pairs -------------------------------------------------------------------------------------------

def name_key(name: str) -> str:
    """'Idlib' and 'Idleb', 'Dar'a' and 'Daraa': the same key."""
    folded = "".join(c for c in name.casefold() if c.isalnum())
    return folded.replace("ee", "i").replace("e", "i").replace("aa", "a")


def specific(actor: str | None) -> str | None:
    return None if actor is None or actor.startswith(UNSPECIFIC) else actor


def article_of(report: Event) -> str:
    return report.sources[0].article_id if report.sources else report.event_id


def date_range(report: Event) -> tuple[dt.date, dt.date] | None:
    if report.event_date is None:
        return None
    start = report.event_date
    end = report.date_end or start
    if report.time_precision == 3 and report.date_end is None:  # a month: its last day
        end = month_end(start)
    return start, max(start, end)


class Traits:
    """What pair scoring reads of a report, computed once (reports are compared many times)."""

    __slots__ = ("article", "start", "end", "country", "admin1", "geonameid", "location", "lat", "lon",
                 "precision", "sub", "etype", "actor1", "named", "has_figure", "fatalities")

    def __init__(self, r: Event):
        span = date_range(r)
        self.article = article_of(r)
        self.start, self.end = (span[0].toordinal(), span[1].toordinal()) if span else (None, None)
        self.country, self.admin1, self.geonameid = r.country, r.admin1, r.geonameid
        self.location = r.location.casefold() if r.location else None
        has_point = r.latitude is not None and r.longitude is not None
        self.lat = math.radians(r.latitude) if has_point else None
        self.lon = math.radians(r.longitude) if has_point else None
        self.precision = r.geo_precision or 3
        self.sub, self.etype = r.sub_event_type, r.event_type
        self.actor1 = specific(r.actor1)
        self.named = frozenset(x for x in (self.actor1, specific(r.actor2)) if x)
        self.has_figure = r.fatalities_low is not None
        self.fatalities = r.fatalities


def days_apart(a: Traits, b: Traits) -> int | None:
    if a.start is None or b.start is None:
        return None
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def km_between(a: Traits, b: Traits) -> float | None:
    if a.lat is None or b.lat is None:
        return None
    # Equirectangular: within the few tens of km that matter here it is as good as the haversine.
    dx = (b.lon - a.lon) * math.cos((a.lat + b.lat) / 2)
    return 6371.0 * math.hypot(dx, b.lat - a.lat)


# Governorates one of which encloses the other: "near Damascus" is often in Rural Damascus (the Ghouta).
ENCLOSING = {frozenset({"Damascus", "Rural Damascus"})}
# Kinds of event so rare that two reports of one in the same governorate within the date window, one of
# them placed only at the governorate (or its namesake city), are nearly always the same event.
RARE_SUBS = frozenset({"Chemical weapon"})


def at_namesake(t: Traits) -> bool:
    """Placed at the governorate's namesake city ("Aleppo" in Aleppo)."""
    return bool(t.location and t.admin1 and name_key(t.location) == name_key(t.admin1))


def coarsely_placed(t: Traits) -> bool:
    """Placed only at its governorate, or at the governorate's namesake city ("in Idlib")."""
    return t.precision == 3 or at_namesake(t)


def regions_agree(x: str, y: str) -> bool:
    """Two governorates' names that may hold one event: the same, or a city and the one around it."""
    return x == y or frozenset({x, y}) in ENCLOSING


def same_region(a: Traits, b: Traits) -> bool:
    return bool(a.admin1) and regions_agree(a.admin1, b.admin1)


def place_score(a: Traits, b: Traits) -> float | None:
    if a.country and b.country and a.country != b.country:
        return None
    if a.admin1 and b.admin1 and not same_region(a, b):
        return None
    if a.sub == b.sub and a.sub in RARE_SUBS and same_region(a, b) and (coarsely_placed(a) or coarsely_placed(b)):
        return 1.0
    if (a.geonameid and a.geonameid == b.geonameid) or (a.location and a.location == b.location):
        # A governorate's namesake city ("Aleppo") locates little: strikes "on Aleppo" are many a day.
        return 0.4 if at_namesake(a) else 1.0
    km = km_between(a, b)
    if km is None:
        return 0.4 if a.admin1 and a.admin1 == b.admin1 else 0.2
    coarse = max(a.precision, b.precision)
    if coarse == 3:  # one report names only the governorate: its point is the governorate's seat
        return 0.5 if km <= PLACE_TOLERANCE_KM[3] else (0.2 if a.admin1 and a.admin1 == b.admin1 else 0.0)
    if km > FAR_APART_KM:
        return None
    if km <= 2.0:
        return 1.0
    if km <= PLACE_TOLERANCE_KM[coarse]:
        return 0.4 if coarse == 1 else 0.75  # two villages close by; "near" a village
    return 0.2 if a.admin1 and a.admin1 == b.admin1 else 0.0


@cache
def type_factor(sub_a: str, type_a: str, sub_b: str, type_b: str) -> float | None:
    if sub_a == sub_b:
        return 1.0
    sub = SUB_COMPAT.get(frozenset({sub_a, sub_b}))
    if sub is not None:
        return sub
    if type_a == type_b:
        return 0.8
    if "Strategic developments" in (type_a, type_b):
        return 0.1
    return TYPE_COMPAT.get(frozenset({type_a, type_b}))  # None: e.g. a protest and a bombing


# Event types whose reports can reach the threshold together (factor x 1.0 >= THRESHOLD): blocking keeps
# each family apart, which loses no link (tests check the table against the threshold).
TYPE_FAMILY = {"Explosions/Remote violence": "violence", "Violence against civilians": "violence",
               "Battles": "battles", "Protests": "protests", "Riots": "protests",
               "Strategic developments": "strategic"}


def actor_score(a: Traits, b: Traits) -> float:
    if a.actor1 and a.actor1 == b.actor1:
        return 1.0
    if a.named & b.named:
        return 0.7
    if not a.actor1 or not b.actor1:  # one side does not name the perpetrator: neither for nor against
        return 0.5
    return 0.1


def figure_score(a: Traits, b: Traits) -> float:
    if not a.has_figure or not b.has_figure:
        return 0.5
    x, y = a.fatalities, b.fatalities
    if x == y:
        return 1.0
    lo, hi = (x, y) if x < y else (y, x)
    return 0.6 if lo > 0 and hi <= 2 * lo + 2 else 0.2


def traits_score(a: Traits, b: Traits) -> float | None:
    if a.article == b.article:
        return None  # an article's events were told apart by its own text
    gap = days_apart(a, b)
    if gap is None or gap > DATE_WINDOW:
        return None
    kind = type_factor(a.sub, a.etype, b.sub, b.etype)
    if kind is None:
        return None
    place = place_score(a, b)
    if place is None:
        return None
    figures = figure_score(a, b)
    if gap >= 1 and figures <= 0.2 and place < 1.0:
        # Other days, other tolls, no place in common: two events (a shelling of Aleppo killing one on Friday,
        # another killing nine on Saturday), whatever else they share.
        return None
    if kind < 1.0 and max(a.precision, b.precision) == 3:
        # A report placed only at its governorate links to an event of another kind only on much firmer
        # ground than this: same-day attacks of several kinds in one governorate are common.
        kind *= 0.85
    return kind * (WEIGHTS["date"] * DATE_SCORE[gap] + WEIGHTS["place"] * place
                   + WEIGHTS["actors"] * actor_score(a, b) + WEIGHTS["figures"] * figures)


def pair_score(a: Event, b: Event) -> float | None:
    """How likely two reports describe one real event, in [0, 1]; None when they cannot."""
    return traits_score(Traits(a), Traits(b))


# --- clusters ----------------------------------------------------------------------------------------

@dataclass
class Cluster:
    """The reports of one real event; the first report founded it and names it."""

    reports: list[Event]
    fused_id: str = ""
    changed: bool = True  # must be (re)written to the store
    lost_reports: bool = False  # some of its stored reports no longer exist (their article was re-coded)
    articles: set[str] = field(default_factory=set)
    # the governorates its members name: a report naming another one never joins (every member counts,
    # not only the first MEMBERS_SCORED, nor only pairs: a member without one cannot bridge two)
    regions: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.fused_id:
            self.fused_id = fused_id_for(self.reports[0])
        self.articles = {article_of(r) for r in self.reports}
        self.regions = {r.admin1 for r in self.reports if r.admin1}


def fused_id_for(founder: Event) -> str:
    return stable_id("fused", founder.event_id)


GRID_DEGREES = 0.5  # spatial blocking cell: a 3x3 neighbourhood spans more than FAR_APART_KM up to ~55°N
MEMBERS_SCORED = 8  # a cluster is judged on its first members: bounded work for big clusters
PREFILTER_MARGIN = 0.2  # skip a cluster whose founder scores this far below the threshold


def days_of(report: Event, window: int = 0) -> range:
    """Day ordinals of the report's date range (capped at 40 days), widened by `window` each side."""
    span = date_range(report)
    if span is None:
        return range(0)
    start = span[0].toordinal()
    return range(start - window, min(span[1].toordinal(), start + 40) + window + 1)


def is_precise(report: Event) -> bool:
    return report.latitude is not None and report.longitude is not None and (report.geo_precision or 3) <= 2


def grid_cell(report: Event) -> tuple[int, int]:
    return int(math.floor(report.latitude / GRID_DEGREES)), int(math.floor(report.longitude / GRID_DEGREES))


def order_key(report: Event) -> tuple:
    # Precise, news (not background) reports found clusters first; ties by id keep runs identical.
    return (report.event_date or dt.date.max, report.background, report.time_precision, report.event_id)


class Fuser:
    """Clusters of reports with blocking indexes; add reports in any number of batches.

    Indexes, by type family and day: every report under its governorate (and its country); precisely placed reports
    also under a grid cell. A precisely placed report looks at the grid cells around it and at the
    governorate's imprecise reports; an imprecise one at its whole governorate; one without a
    governorate at its country.
    """

    def __init__(self, clusters: Iterable[Cluster] = (), threshold: float = THRESHOLD):
        self.threshold = threshold
        self.clusters: list[Cluster] = []
        # keys start with the type family (TYPE_FAMILY) and end with the day ordinal
        self.by_region: dict[tuple, list[int]] = defaultdict(list)  # (family, country, admin1, day)
        self.by_country: dict[tuple, list[int]] = defaultdict(list)  # (family, country, day)
        self.imprecise: dict[tuple, list[int]] = defaultdict(list)  # (family, country, admin1, day)
        self.by_grid: dict[tuple, list[int]] = defaultdict(list)  # (family, country, lat cell, lon cell, day)
        self.by_report: dict[str, int] = {}
        self.traits: dict[str, Traits] = {}
        # streaming only (fuse_stream): the index keys filed under each day, so that old days can be dropped
        self.keys_of_day: dict[int, set[tuple[int, tuple]]] | None = None
        for c in clusters:
            c.changed = False
            self._file(c)

    def traits_of(self, report: Event) -> Traits:
        t = self.traits.get(report.event_id)
        if t is None:
            t = self.traits[report.event_id] = Traits(report)
        return t

    def _file(self, cluster: Cluster) -> int:
        i = len(self.clusters)
        self.clusters.append(cluster)
        for r in cluster.reports:
            self._file_report(i, r)
        return i

    def _file_report(self, i: int, report: Event) -> None:
        self.by_report[report.event_id] = i
        family = TYPE_FAMILY.get(report.event_type, report.event_type)
        country, admin1 = report.country or "", report.admin1 or ""
        precise = is_precise(report)
        gy, gx = grid_cell(report) if precise else (0, 0)
        for day in days_of(report):
            cells = [self.by_region[(family, country, admin1, day)], self.by_country[(family, country, day)]]
            cells.append(self.by_grid[(family, country, gy, gx, day)] if precise
                         else self.imprecise[(family, country, admin1, day)])
            for cell in cells:
                if not cell or cell[-1] != i:
                    cell.append(i)
            if self.keys_of_day is not None:
                self.keys_of_day.setdefault(day, set()).update(
                    ((0, (family, country, admin1, day)), (1, (family, country, day)),
                     (2, (family, country, gy, gx, day)) if precise else (3, (family, country, admin1, day))))

    def forget_days(self, before: int) -> None:
        """Drop the index cells of the days before `before` (day ordinal): no report added from now on
        looks at them (fuse_stream)."""
        indexes = (self.by_region, self.by_country, self.by_grid, self.imprecise)
        for day in [d for d in self.keys_of_day or () if d < before]:
            for which, key in self.keys_of_day.pop(day):
                indexes[which].pop(key, None)

    def forget(self, i: int) -> None:
        """Let go of a finished cluster and its reports' traits (fuse_stream); its index stays taken."""
        for r in self.clusters[i].reports:
            self.by_report.pop(r.event_id, None)
            self.traits.pop(r.event_id, None)
        self.clusters[i] = None  # type: ignore[call-overload]  # indexes keep their positions

    def candidates(self, report: Event) -> list[int]:
        seen: dict[int, None] = {}
        f = TYPE_FAMILY.get(report.event_type, report.event_type)
        country, admin1 = report.country or "", report.admin1 or ""
        precise = is_precise(report)
        gy, gx = grid_cell(report) if precise else (0, 0)
        for day in days_of(report, DATE_WINDOW):
            if not admin1:
                cells = [self.by_country.get((f, country, day), ())]
            elif precise:
                cells = [self.by_grid.get((f, country, gy + dy, gx + dx, day), ()) for dy in (-1, 0, 1)
                         for dx in (-1, 0, 1)]
                cells += [self.imprecise.get((f, country, admin1, day), ()),
                          self.by_region.get((f, country, "", day), ())]
            else:
                cells = [self.by_region.get((f, country, admin1, day), ()),
                         self.by_region.get((f, country, "", day), ())]
            for cell in cells:
                for i in cell:
                    seen[i] = None
        return list(seen)

    def score(self, report: Event, cluster: Cluster) -> float | None:
        """Mean pair score over the cluster's (first) members; None if any of them forbids the link."""
        mine = self.traits_of(report)
        if mine.article in cluster.articles:
            return None
        if mine.admin1 and any(not regions_agree(mine.admin1, r) for r in cluster.regions):
            return None  # a report in another governorate never joins the event
        first = traits_score(mine, self.traits_of(cluster.reports[0]))
        if first is None or first < self.threshold - PREFILTER_MARGIN:
            return None
        scores = [first]
        for member in cluster.reports[1:MEMBERS_SCORED]:
            s = traits_score(mine, self.traits_of(member))
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
        if report.admin1:
            cluster.regions.add(report.admin1)
        cluster.changed = True
        self._file_report(best, report)
        return cluster.fused_id

    def add_all(self, reports: Iterable[Event]) -> None:
        for r in sorted(reports, key=order_key):
            self.add(r)


def last_day(report: Event) -> int | None:
    """The last day ordinal a report is filed under in the Fuser's indexes (days_of); None if undated."""
    days = days_of(report)
    return days[-1] if days else None


def fuse_stream(reports: Iterable[Event], threshold: float = THRESHOLD) -> Iterator[Cluster]:
    """Cluster reports read in date order (event_date ascending, undated ones after the dated ones, any
    order within a day) and yield each cluster once no later report can join it, in the order the clusters
    were founded: the clusters, and their order, of `Fuser.add_all` over the same reports. A report looks
    for clusters on the days from DATE_WINDOW before its date, so a cluster none of whose members is filed
    on those days is finished: it is yielded and forgotten. Memory follows the reports of the last days
    (DATE_WINDOW, plus the longest date range a report is filed under), not the corpus."""
    fuser = Fuser(threshold=threshold)
    fuser.keys_of_day = {}
    open_until: list[tuple[int, int]] = []  # heap of (last day a cluster is filed under, cluster index)
    last_of: dict[int, int] = {}  # the latest of those days, per open cluster
    finished: set[int] = set()
    emitted = 0
    day: dt.date | None = None
    same_day: list[Event] = []

    def file(group: list[Event]) -> None:
        for r in sorted(group, key=order_key):
            fuser.add(r)
            i = fuser.by_report[r.event_id]
            last = last_day(r)
            if last is None:
                finished.add(i)  # undated: filed nowhere, joined by nothing
            else:
                last_of[i] = max(last_of.get(i, last), last)
                heapq.heappush(open_until, (last, i))

    def finish_before(first_open_day: int) -> Iterator[Cluster]:
        nonlocal emitted
        while open_until and open_until[0][0] < first_open_day:
            last, i = heapq.heappop(open_until)
            if last_of.get(i) == last:  # an entry pushed before the cluster grew further is stale
                del last_of[i]
                finished.add(i)
        fuser.forget_days(first_open_day)
        while emitted < len(fuser.clusters) and emitted in finished:
            cluster = fuser.clusters[emitted]
            fuser.forget(emitted)
            finished.discard(emitted)
            emitted += 1
            yield cluster

    for report in reports:
        if report.event_date != day:
            if day is None and same_day or (day and report.event_date and report.event_date < day):
                raise ValueError(f"fuse_stream: reports must come in date order ({report.event_id} on "
                                 f"{report.event_date} after {day or 'undated reports'})")
            file(same_day)
            same_day = []
            if report.event_date is not None:
                yield from finish_before(report.event_date.toordinal() - DATE_WINDOW)
            day = report.event_date
        same_day.append(report)
    file(same_day)
    finished.update(i for _last, i in open_until)
    yield from finish_before(dt.date.max.toordinal())


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
            key = (c.field, str(c.value).lower(), c.claimed_by, c.article_id)  # a figure repeated in one article counts once
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


def disagreement_note(reports: list[Event], claims: list[Claim]) -> str:
    """One neutral sentence naming who reported which toll when the sources differ."""
    said: dict[str, str] = {}
    for c in claims:
        if c.field != "fatalities" or not isinstance(c.value, int):
            continue  # a word ("dozens") is in the ledger, not in the sentence
        said.setdefault(who_said(c), f"{c.value} killed")
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


def credible_tolls(tolls: list[int]) -> list[int]:
    """The tolls of several reports of one event that can stand as its conservative figure.

    Rule fu-incomplete-count: where at least three reports give a toll, one below a quarter of their
    median counts part of the dead (one hospital's tally, the first hours' count, the deaths of a later
    day) rather than estimating the whole; it stays in the range and the claims ledger but does not set
    the figure. With one or two reports, or tolls of one order, every toll stands. Never empty for a
    non-empty list.
    """
    if len(tolls) < 3:
        return tolls
    middle = statistics.median(tolls)
    kept = [t for t in tolls if t * 4 >= middle]
    return kept or tolls


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
    actor2 = vote((r.actor2 for r in reports if r.actor2 != actor1), prefer=lambda v: bool(specific(v)))
    placed = min(reports, key=lambda r: (r.geo_precision or 4, r.latitude is None, order_key(r)))
    figured = [r for r in reports if r.fatalities_low is not None]
    # The toll is the lowest credible report of the news; a later article's recollection (background)
    # counts in the range but sets the figure only when no news report gives one.
    news = [r for r in figured if not r.background] or figured
    if figured:
        fatalities = min(credible_tolls([r.fatalities for r in news]))
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
                        weapon=weapon, ledger=claims)
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


# --- fusion in parts (the Ray engine) ---------------------------------------------------------------

@dataclass
class Part:
    """An independent piece of one incremental fusion: existing clusters and pending reports (each in the
    relative order the single-process fuser would see them) that no report outside the part can join."""

    clusters: list[Cluster] = field(default_factory=list)
    reports: list[Event] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.reports) + sum(len(c.reports) for c in self.clusters)


def region_of(report: Event) -> str:
    """The report's governorate as the fuser compares them: "" when unknown (it may link to any), and one
    name for a pair of governorates one of which encloses the other (ENCLOSING)."""
    admin1 = report.admin1 or ""
    for pair in ENCLOSING:
        if admin1 in pair:
            return min(pair)
    return admin1


def partition(pending: list[Event], clusters: list[Cluster], parts: int) -> list[Part]:
    """Split one incremental fusion (the `pending` reports joining the existing `clusters`) into at most
    `parts` Parts whose fusion, each by `fuse_part`, gives exactly the clusters of one Fuser over all.

    Why it is exact: a report joins a cluster only if its pair score with the cluster's founder (its first
    report) is not None, which needs the same type family (blocking), the same country, date ranges at most
    DATE_WINDOW apart and the same governorate (or an unknown one, or an enclosing pair: `region_of`).
    Reports and existing clusters (by their founders) linked by a chain of such pairs form a component;
    a report's candidates that can score all lie in its component, and inside one the order of reports and
    of clusters (which breaks ties) is the single fuser's. Components are then packed whole into parts,
    largest first. A report that is already a member of an existing cluster (re-coded) goes with it."""
    # nodes: existing clusters 0..len(clusters)-1, then pending reports
    parent = list(range(len(clusters) + len(pending)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    member_of = {r.event_id: i for i, c in enumerate(clusters) for r in c.reports}
    keyed: dict[tuple, list[tuple[int, int, str, int]]] = defaultdict(list)  # (family, country) -> spans
    founders = [(i, c.reports[0]) for i, c in enumerate(clusters)]
    for node, report in founders + [(len(clusters) + j, r) for j, r in enumerate(pending)]:
        if node >= len(clusters) and report.event_id in member_of:
            union(node, member_of[report.event_id])
        span = date_range(report)
        if span is None:  # undated: never a candidate, never finds one
            continue
        family = TYPE_FAMILY.get(report.event_type, report.event_type)
        keyed[(family, report.country or "")].append(
            (span[0].toordinal(), span[1].toordinal(), region_of(report), node))
    for spans in keyed.values():
        spans.sort()
        # per region, the current run of spans no more than DATE_WINDOW apart: (its last end, a node)
        runs: dict[str, tuple[int, int]] = {}
        for start, end, region, node in spans:
            linked = runs.items() if region == "" else [(k, v) for k in (region, "") if (v := runs.get(k))]
            for _, (last_end, other) in list(linked):
                if start - last_end <= DATE_WINDOW:
                    union(node, other)
            run = runs.get(region)
            keep = run is not None and start - run[0] <= DATE_WINDOW
            runs[region] = (max(end, run[0]) if keep else end, node)
    groups: dict[int, Part] = {}
    for i, c in enumerate(clusters):
        groups.setdefault(find(i), Part()).clusters.append(c)
    for j, r in enumerate(pending):
        groups.setdefault(find(len(clusters) + j), Part()).reports.append(r)
    bins = [Part() for _ in range(max(1, parts))]
    # largest first into the lightest bin (ties in the order found: deterministic); then each bin's
    # clusters back in the order the single fuser files them
    for root in sorted(groups, key=lambda g: -groups[g].size):
        target = min(bins, key=lambda b: b.size)
        target.clusters += groups[root].clusters
        target.reports += groups[root].reports
    order = {id(c): i for i, c in enumerate(clusters)}
    for b in bins:
        b.clusters.sort(key=lambda c: order[id(c)])
    return [b for b in bins if b.reports or any(c.lost_reports for c in b.clusters)]


def fuse_part(part: Part) -> list[Event]:
    """Fuse one Part as `pipeline.fuse_pending` fuses everything: its pending reports join its clusters;
    returns the fused events that changed (created, grown, or rewritten after a re-coded member)."""
    fuser = Fuser(part.clusters)  # marks them unchanged
    for c in fuser.clusters:
        c.changed = c.lost_reports
    for report in sorted(part.reports, key=order_key):
        known = fuser.by_report.get(report.event_id)
        if known is not None:  # re-coded with the same id: rewrite the cluster to restore its link
            fuser.clusters[known].reports = [report if m.event_id == report.event_id else m
                                             for m in fuser.clusters[known].reports]
            fuser.clusters[known].changed = True
            continue
        fuser.add(report)
    return [fuse_cluster(c) for c in fuser.clusters if c.changed]
