"""Fusion in independent parts (the Ray engine's distributed fusion) gives exactly the fused events of the
single-process fuser: on the reports coded from the seeds and the bundled FA-KES sample, on the same reports
moved about in time and space (so that blocking keys and date windows overlap at many boundaries), and
incrementally (new reports joining stored clusters)."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path

import pytest

from eventwatch.fuse import Cluster, Part, fuse_part, partition
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article, fuse_pending
from eventwatch.records import Article
from eventwatch.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample" / "fakes-dev-sample.csv"
REGIONS = ["Aleppo", "Idleb", "Damascus", "Rural Damascus", "Homs", None]


@pytest.fixture(scope="module")
def coded(seeds_dir, data_dir):
    items = read_sources([str(seeds_dir), str(SAMPLE), str(data_dir / "inputs" / "fakes-khan-shaykhun.csv")])
    texts = set()  # as the store keeps them: one article per text (the Khan Shaykhun file repeats some)
    return [code_article(a) for a in items
            if isinstance(a, Article) and not (a.content_hash in texts or texts.add(a.content_hash))]


@pytest.fixture(scope="module")
def reports(coded):
    return [e for _, events in coded for e in events]


def moved(reports, seed: int, copies: int = 4):
    """Copies of the reports on other days (within a month) and in other governorates (or none), with ids
    of their own: many reports close together, across every kind of blocking boundary."""
    rng = random.Random(seed)
    out = []
    for k in range(copies):
        for r in reports:
            shift = dt.timedelta(days=rng.randint(0, 30))
            update = {"event_id": f"{r.event_id}-{k}", "admin1": rng.choice(REGIONS),
                      "sources": [s.model_copy(update={"article_id": f"{s.article_id}-{k}-{rng.randint(0, 2)}"})
                                  for s in r.sources]}
            if r.event_date is not None:
                update["event_date"] = r.event_date + shift
                if r.date_end is not None:
                    update["date_end"] = r.date_end + shift
            out.append(r.model_copy(update=update))
    return out


def single(pending, clusters):
    return fuse_part(Part(copy.deepcopy(clusters), list(pending)))


def in_parts(pending, clusters, n):
    parts = partition(list(pending), copy.deepcopy(clusters), n)
    return sorted((e for p in parts for e in fuse_part(p)), key=lambda e: e.event_id), len(parts)


def dumped(events):
    return sorted(e.model_dump_json() for e in events)


def test_the_reports_fused_in_parts_are_the_reports_fused_at_once(reports):
    expected = single(reports, [])
    got, n = in_parts(reports, [], 4)
    assert n > 1  # it was really split
    assert dumped(got) == dumped(expected)
    assert any(len(e.sources) > 1 for e in expected)  # and there were several-source events to get right


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_crowded_boundaries_fuse_the_same_in_parts(reports, seed):
    crowd = moved(reports, seed)
    expected = single(crowd, [])
    assert sum(len(e.report_ids) > 1 for e in expected) > 20
    for n in (2, 3, 8):
        got, _ = in_parts(crowd, [], n)
        assert dumped(got) == dumped(expected)


def test_new_reports_join_stored_clusters_the_same_in_parts(reports):
    crowd = moved(reports, 7)
    random.Random(7).shuffle(crowd)
    old, new = crowd[: len(crowd) // 2], crowd[len(crowd) // 2:]
    # the stored clusters, as fuse_pending rebuilds them: each fused event's reports, founder first
    by_id = {r.event_id: r for r in old}
    clusters = [Cluster(reports=[by_id[i] for i in f.report_ids], fused_id=f.event_id) for f in single(old, [])]
    expected = single(new, clusters)
    got, _ = in_parts(new, clusters, 4)
    assert dumped(got) == dumped(expected)
    assert any(e.event_id in {c.fused_id for c in clusters} for e in expected)  # some joined stored ones


def test_fuse_pending_in_parts_writes_what_the_single_fuser_writes(coded, tmp_path):
    """Through the store, as `run --engine ray` fuses (the parts fused here in turn, there in Ray tasks)."""
    half = len(coded) // 2
    dbs = []
    for name, options in (("single", {}), ("parts", {"parts": 3, "run_parts": lambda ps: map(fuse_part, ps)})):
        store = open_store(str(tmp_path / f"{name}.db"))
        for chunk in (coded[:half], coded[half:]):
            for article, events in chunk:
                store.save_article(article, events)
            fuse_pending(store, **options)
        dbs.append(dumped(store.iter_events("fused")))
    assert dbs[0] == dbs[1] and len(dbs[0]) > 10
