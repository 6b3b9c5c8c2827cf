"""Fusion of a whole database as a stream (fuse.fuse_stream, used by `eventwatch fuse` / refuse_all): the
same clusters as fusing every report at once, with memory that follows a few days of reports. Reports are
coded from real FA-KES articles (tests/data/inputs), and copied onto other days to make a long record."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.fuse import Fuser, fuse_stream
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article, fuse_pending, refuse_all
from eventwatch.records import Article, Source
from eventwatch.store import open_store

INPUTS = ("fakes-khan-shaykhun.csv", "fakes-ghouta-shelling.csv", "fakes-qamishli.csv")


@pytest.fixture(scope="module")
def coded(data_dir):
    """(article, its reports) for every article of the three FA-KES samples."""
    out = []
    for name in INPUTS:
        for item in read_sources([str(data_dir / "inputs" / name)]):
            assert isinstance(item, Article)
            out.append(code_article(item))
    return out


def moved(reports, days: int, tag: str):
    """The reports as if another article had reported them `days` later (new ids, same texts)."""
    out = []
    for r in reports:
        if r.event_date is None:
            continue
        shift = dt.timedelta(days=days)
        out.append(r.model_copy(update={
            "event_id": f"{r.event_id}-{tag}", "event_date": r.event_date + shift,
            "date_end": r.date_end + shift if r.date_end else None,
            "sources": [Source(article_id=f"{s.article_id}-{tag}", outlet=s.outlet) for s in r.sources]}))
    return out


def in_date_order(reports):
    dated = sorted((r for r in reports if r.event_date), key=lambda r: (r.event_date, r.event_id))
    return dated + sorted((r for r in reports if not r.event_date), key=lambda r: r.event_id)


def all_at_once(reports):
    fuser = Fuser()
    fuser.add_all(reports)
    return [[r.event_id for r in c.reports] for c in fuser.clusters]


def test_streamed_fusion_finds_the_clusters_of_fusing_everything_at_once(coded):
    reports = [r for _a, events in coded for r in events]
    # the same reports again one and three days later, as other outlets' reports would be
    reports += moved(reports, 1, "b") + moved(reports, 3, "c")
    streamed = [[r.event_id for r in c.reports] for c in fuse_stream(in_date_order(reports))]
    assert streamed == all_at_once(reports)
    assert any(len(c) > 2 for c in streamed)  # real fusion happened, not only singletons


def test_streamed_fusion_holds_a_few_days_of_reports_not_the_whole_record(coded):
    base = [r for _a, events in coded for r in events if r.event_date]
    # about three years of reports: a copy of every report each week, in date order
    record = in_date_order([r for week in range(150) for r in moved(base, 7 * week, f"w{week}")])
    held: list[int] = []
    read = done = 0

    def reading():
        nonlocal read
        for r in record:
            read += 1
            yield r

    for cluster in fuse_stream(reading()):
        done += len(cluster.reports)
        held.append(read - done)
    assert done == len(record)
    # what is read but not yet written stays within the reports of a few days, however long the record
    assert max(held) < len(record) / 50


def test_streamed_fusion_refuses_reports_out_of_date_order(coded):
    reports = in_date_order([r for _a, events in coded for r in events if r.event_date])
    with pytest.raises(ValueError, match="date order"):
        list(fuse_stream(reversed(reports)))


def test_refusing_a_database_gives_the_events_its_runs_fused(tmp_path, coded):
    store = open_store(str(tmp_path / "ew.db"))
    for article, events in coded:
        store.save_article(article, events)
    fuse_pending(store)
    before = sorted(e.model_dump_json() for e in store.iter_events("fused"))
    summary = refuse_all(store)
    assert sorted(e.model_dump_json() for e in store.iter_events("fused")) == before
    assert summary.fused_written == len(before) and summary.reports == sum(len(ev) for _a, ev in coded)
    assert store.count_pending() == 0
