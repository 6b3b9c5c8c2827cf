"""Incremental fusion reads only the stored fused events that pending reports can join (their blocking key
and date window: Store.fused_near, and those of their own articles: Store.fused_of_articles), and writes
exactly what a fusion against every stored fused event writes: on SQLite and PostgreSQL, with reports
crowded across governorates (enclosing pairs, unknown ones), unknown countries, month-long date ranges
without an end date, undated reports, late reports on old days and a re-coded article."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import pytest

from eventwatch.fuse import Part, article_of, fuse_part
from eventwatch.ingest import read_sources
from eventwatch.pipeline import blocks_of, clusters_from, code_article, fuse_pending
from eventwatch.records import Article, Source
from eventwatch.store.rows import prepare

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "fakes-dev-sample.csv"
REGIONS = ["Aleppo", "Idleb", "Damascus", "Rural Damascus", "Homs", None]


@pytest.fixture(scope="module")
def real(seeds_dir):
    items = read_sources([str(seeds_dir), str(SAMPLE)])
    return [e for a in items if isinstance(a, Article) for e in code_article(a)[1]]


def crowd(real, seed: int, copies: int = 6):
    """Copies of the real reports moved over 60 days and across governorates, a few with an unknown
    country, as a month without an end date, or undated; each copy from an article of its own."""
    rng = random.Random(seed)
    out = []
    for k in range(copies):
        for r in real:
            day = dt.date(2016, 3, 1) + dt.timedelta(days=rng.randint(0, 60))
            update = {"event_id": f"{r.event_id}-{k}", "admin1": rng.choice(REGIONS), "event_date": day,
                      "date_end": None, "time_precision": 1,
                      "sources": [s.model_copy(update={"article_id": f"{s.article_id}-{k}-{rng.randint(0, 3)}"})
                                  for s in r.sources]}
            roll = rng.random()
            if roll < 0.05:
                update["country"] = None
            elif roll < 0.12:  # a month: its range ends on the month's last day
                update.update(event_date=day.replace(day=1), time_precision=3)
            elif roll < 0.14:
                update.update(event_date=None, time_precision=2)
            out.append(r.model_copy(update=update))
    return out


def by_article(reports):
    groups = defaultdict(list)
    for r in reports:
        groups[article_of(r)].append(r)
    return groups


def write(store, reports, replace: bool = False) -> None:
    store.save_prepared([prepare(Article(article_id=aid, raw_text=f"synthetic article {aid}"), events)
                         for aid, events in by_article(reports).items()], replace=replace)


def dumped(events):
    return sorted(e.model_dump_json() for e in events)


def fuse_against_everything(store):
    """What an incremental fusion that reads every stored fused event would leave in the database."""
    pending = store.unfused_reports()
    stored = sorted(store.iter_events("fused"), key=lambda e: (e.event_date is None, e.event_date or dt.date.min,
                                                              e.event_id))
    clusters, removed = clusters_from(stored, store)
    changed = fuse_part(Part(clusters, pending))
    gone = set(removed) | {e.event_id for e in changed}
    return dumped([e for e in stored if e.event_id not in gone] + changed)


def test_incremental_fusion_reads_the_neighbourhood_and_fuses_as_a_whole_read(store, real):
    reports = crowd(real, 5)
    random.Random(5).shuffle(reports)
    steps = [reports[i::4] for i in range(4)]  # every step's reports spread over the whole two months
    for step in steps:
        write(store, step)
        expected = fuse_against_everything(store)
        fuse_pending(store)
        assert dumped(store.iter_events("fused")) == expected
    fused = list(store.iter_events("fused"))
    assert sum(len(e.report_ids) > 1 for e in fused) > 20  # many clusters grew across steps
    # a re-coded article: its reports moved to other days and places, under the same ids
    article, old = max(by_article(steps[0]).items(), key=lambda kv: len(kv[1]))
    recoded = [r.model_copy(update={"event_date": dt.date(2016, 4, 20), "admin1": "Homs"}) for r in old]
    write(store, recoded, replace=True)
    expected = fuse_against_everything(store)
    fuse_pending(store)
    assert dumped(store.iter_events("fused")) == expected
    holders = [e for e in store.iter_events("fused") if set(e.report_ids) & {r.event_id for r in old}]
    assert len(holders) == len(old)  # each re-coded report is in one fused event, not two


def test_late_reports_read_only_their_days(store, real):
    reports = crowd(real, 9)
    write(store, [r for r in reports if r.event_date is not None])
    fuse_pending(store)
    late = [r.model_copy(update={"event_id": f"late-{i}", "event_date": dt.date(2016, 3, 10),
                                 "sources": [s.model_copy(update={"article_id": f"late-{i}"}) for s in r.sources]})
            for i, r in enumerate(real)]
    write(store, late)
    near = store.fused_near(blocks_of(store.unfused_reports()))
    total = store.count_kind("fused")
    assert 0 < len(near) < total / 4  # the days around the 10th of March, not two months of events
    expected = fuse_against_everything(store)
    fuse_pending(store)
    assert dumped(store.iter_events("fused")) == expected


def test_a_month_is_found_by_a_report_late_in_that_month(store, real):
    """A month-long report (time_precision 3) stored without an end still carries the month's last day in
    the date_end column, so a report of the 25th finds it without reading any record's JSON."""
    month = real[0].model_copy(update={"event_id": "month-1", "event_date": dt.date(2016, 7, 1), "date_end": None,
                                       "time_precision": 3, "sources": [Source(article_id="month-article")]})
    write(store, [month])
    fuse_pending(store)
    late = month.model_copy(update={"event_id": "late-1", "event_date": dt.date(2016, 7, 25), "time_precision": 1,
                                    "sources": [Source(article_id="late-article")]})
    write(store, [late])
    fuse_pending(store)
    joined = store.fused_of_reports(["month-1", "late-1"])
    assert joined["month-1"] == joined["late-1"]
    # read back, the record says what the column says
    assert store.get_events(["month-1"])[0].date_end == dt.date(2016, 7, 31)


def test_a_fusion_of_some_articles_reads_and_fuses_only_their_pending_reports(store, real):
    """What the Ray engine's driver fuses while its workers write ahead of it: the articles stored since
    the last fusion, read by their articles (not every pending report, parsed and dropped)."""
    reports = crowd(real, 3, copies=2)
    write(store, reports)
    everything = store.unfused_reports()
    some = set(sorted({article_of(r) for r in everything})[::3])
    theirs = store.unfused_reports(some)
    assert {r.event_id for r in theirs} == {r.event_id for r in everything if article_of(r) in some}
    dated = [r.event_date for r in theirs if r.event_date is not None]
    assert dated == sorted(dated) and all(r.event_date is None for r in theirs[len(dated):])
    fuse_pending(store, articles=some)
    assert store.count_pending() == len(everything) - len(theirs)
    assert {r.event_id for r in store.unfused_reports()} == {r.event_id for r in everything} - {
        r.event_id for r in theirs}
