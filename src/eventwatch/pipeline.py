"""The stages composed: clean -> extract -> resolve for one article (pure), and the fuse jobs that
read reports from the store and write fused events back (incremental, or a full re-fuse).

The CLI (and the Ray job) read with ingest, call `code_article` on each article, write with store,
then call `fuse_pending`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from eventwatch.bounds import MAX_CODED_CHARS, coded_length
from eventwatch.fuse import (
    DATE_WINDOW,
    ENCLOSING,
    TYPE_FAMILY,
    Cluster,
    Part,
    article_of,
    date_range,
    fuse_cluster,
    fuse_part,
    fuse_stream,
    order_key,
    partition,
    region_of,
)
from eventwatch.records import Article, Event

if TYPE_CHECKING:  # the store package imports SQLAlchemy: a coding worker never needs it
    from eventwatch.store.query import Block

LONGEST_RANGE = 45  # days: kept for callers; fused_between bounds long date ranges itself (store.db.LONGEST_RANGE)


def code_article(article: Article, limit: int | None = MAX_CODED_CHARS) -> tuple[Article, list[Event]]:
    """Clean a raw article and code the events it reports (none for text that is not English).

    Only the first `bounds.coded_length(text, limit)` characters of a cleaned text longer than `limit` are
    coded (None: all); the article returned keeps its whole text, and every evidence span lies in it."""
    # imported here: a process that only writes and fuses (the writer of a multi-worker run) never loads them
    from eventwatch.clean import clean_article
    from eventwatch.extract.events import extract_events
    from eventwatch.resolve.events import resolve_events

    cleaned = clean_article(article) if not article.text else article
    if not cleaned.text.strip():
        return cleaned, []
    if cleaned.language not in (None, "en"):
        return cleaned, []  # stored and marked by language; the extractors read English only
    cut = coded_length(cleaned.text, limit)
    # a prefix of the text: offsets into it are offsets into the whole text (callers warn: coding_cap_warning)
    coded = cleaned if cut == len(cleaned.text) else cleaned.model_copy(update={"text": cleaned.text[:cut]})
    return cleaned, resolve_events(coded, extract_events(coded))


@dataclass
class FuseSummary:
    reports: int = 0  # reports fused in this pass
    fused_written: int = 0  # fused events created or rewritten
    fused_removed: int = 0
    fused_total: int = 0
    multi_source: int = 0  # fused events in the database with two or more sources


class Head(NamedTuple):
    """What fusion keeps of a stored fused event: its id, its reports (founder first), its date for order."""

    event_id: str
    report_ids: list[str]
    date: tuple = ()




def clusters_from(fused: list[Event] | list[Head], store) -> tuple[list[Cluster], list[str]]:
    """Existing fused events (or their Heads) as clusters of their still-stored reports, and the ids of
    those left empty."""
    members = {e.event_id: e for e in store.get_events(r for f in fused for r in f.report_ids)}
    clusters, emptied = [], []
    for f in fused:
        reports = [members[r] for r in f.report_ids if r in members]
        if not reports:
            emptied.append(f.event_id)
            continue
        clusters.append(Cluster(reports=reports, fused_id=f.event_id))
        clusters[-1].lost_reports = len(reports) != len(f.report_ids)
    return clusters, emptied


WINDOW_GAP = 31  # days: windows of pending reports closer than this are read as one (fewer queries)


def date_windows(reports: list[Event]) -> list[tuple[dt.date, dt.date]]:
    """The reports' date ranges widened by DATE_WINDOW each side, merged where they overlap or lie within
    WINDOW_GAP days of each other, in date order."""
    spans = sorted(date_range(r) for r in reports if r.event_date is not None)
    out: list[list[dt.date]] = []
    pad = dt.timedelta(days=DATE_WINDOW)
    for start, end in spans:
        start, end = start - pad, end + pad
        if out and (start - out[-1][1]).days <= WINDOW_GAP:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


NEAR_GAP = 2  # days: windows of one blocking key this close are read by one query (fewer statements)


def family_types(family: str | None) -> tuple[str | None, ...]:
    """Every event type whose type family (fuse.TYPE_FAMILY) is `family`."""
    types = [t for t, f in TYPE_FAMILY.items() if f == family]
    return tuple(types) if family in TYPE_FAMILY.values() else (*types, family)


def blocks_of(pending: list[Event]) -> list[Block]:
    """The blocks (store.query.Block) of stored reports that one of the pending reports can pair with, by
    the blocking rules the Fuser and fuse.partition share: the same type family, the same country (or both
    unknown), an agreeing governorate (the same, one enclosing the other, or an unknown one on either
    side), date ranges at most DATE_WINDOW days apart. Per blocking key, windows closer than NEAR_GAP days
    are merged; undated reports pair with nothing and give no block."""
    from eventwatch.store.query import Block

    spans: dict[tuple, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    pad = dt.timedelta(days=DATE_WINDOW)
    for r in pending:
        span = date_range(r)
        if span is not None:
            key = (TYPE_FAMILY.get(r.event_type, r.event_type), r.country or "", region_of(r))
            spans[key].append((span[0] - pad, span[1] + pad))
    out: list[Block] = []
    for (family, country, region), windows in spans.items():
        if region:  # its governorate, the one it encloses or is enclosed by, or an unknown one
            agree = {region} | {x for pair in ENCLOSING if region in pair for x in pair}
            admin1_in: tuple[str, ...] | None = (*sorted(agree), "")
        else:
            admin1_in = None  # an unknown governorate agrees with every one
        merged: list[list[dt.date]] = []
        for lo, hi in sorted(windows):
            if merged and (lo - merged[-1][1]).days <= NEAR_GAP:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        out += [Block(family_types(family), country, admin1_in, lo, hi) for lo, hi in merged]
    return out


def fuse_pending(store, counts: bool = True, *, articles: set[str] | None = None, parts: int = 1,
                 run_parts: Callable[[list[Part]], Iterable[list[Event]]] | None = None) -> FuseSummary:
    """Fuse the reports no fused event holds yet into the fused events of their dates (incremental).

    Reads the pending reports and only the fused events they can join (blocks_of: their blocking keys and
    date windows; Store.fused_near) or that hold their articles, so that its cost and memory follow what
    is new and its neighbourhood, not what is stored; `counts` adds the database totals to the summary (two index counts).
    `articles`: fuse only the pending reports of these articles (the Ray engine's workers may have stored
    later ones already; the others stay pending). With `run_parts`, the fusion is split into
    up to `parts` independent parts (fuse.partition) that `run_parts` fuses, each with fuse.fuse_part (the
    Ray engine: in tasks); the fused events, and the order they are written in, are exactly the same.
    One fusion at a time on a database (Store.fusion_lock): what it reads is still true when it writes."""
    with store.fusion_lock():
        return _fuse_pending(store, counts, articles=articles, parts=parts, run_parts=run_parts)


def _fuse_pending(store, counts: bool, *, articles: set[str] | None = None, parts: int = 1,
                  run_parts: Callable[[list[Part]], Iterable[list[Event]]] | None = None) -> FuseSummary:
    pending = store.unfused_reports(articles)
    summary = FuseSummary(reports=len(pending))
    if not pending:
        if counts:
            summary.fused_total, summary.multi_source = store.count_kind("fused"), store.count_multi_source()
        return summary
    # Only the fused events that a pending report can join (one of their reports in its block: same type
    # family, country, governorate or an unknown one, dates within DATE_WINDOW), and those that hold or held
    # a report of a pending report's article (re-coded: rewritten), are read: the clusters fused are those
    # a read of every stored fused event would give (tests/test_fuse_scale.py), at the cost of what is new.
    ids = sorted(store.fused_near(blocks_of(pending)) | store.fused_of_articles({article_of(r) for r in pending}))
    # only their ids, dates and report ids are read: a fused record holds every member's claims and
    # evidence, and the members are read anyway
    existing = [Head(event_id, members, (day is None, day or dt.date.min))
                for event_id, day, members in store.fused_heads(ids)]
    # in the order a read by date gives them (ties between clusters go to the first): undated ones last
    existing.sort(key=lambda h: (h.date, h.event_id))
    clusters, removed = clusters_from(existing, store)
    if run_parts is None:
        changed = fuse_part(Part(clusters, pending))
    else:
        changed = [e for done in run_parts(partition(pending, clusters, parts)) for e in done]
        # the single fuser's order: existing clusters as read, then new ones as their founders were added
        position = {c.fused_id: i for i, c in enumerate(clusters)}
        founded = {r.event_id: order_key(r) for r in pending}
        changed.sort(key=lambda e: (0, position[e.event_id], ()) if e.event_id in position
                     else (1, 0, founded[e.report_ids[0]]))
    store.upsert_fused(changed, removed, done=[r.event_id for r in pending])
    summary.fused_written, summary.fused_removed = len(changed), len(removed)
    if counts:
        summary.fused_total = store.count_kind("fused")
        summary.multi_source = store.count_multi_source()
    return summary


def refuse_all(store) -> FuseSummary:
    """Fuse every report from scratch (after a gazetteer import or a dictionary change), in one transaction.
    The reports are read in date order and each fused event is written once no later report can join it
    (fuse.fuse_stream), so that memory follows the reports of a few days, not the database."""
    summary = FuseSummary()

    def reports() -> Iterator[Event]:
        for report in store.reports_in_date_order():
            summary.reports += 1
            yield report

    def fused() -> Iterator[Event]:
        for cluster in fuse_stream(reports()):
            event = fuse_cluster(cluster)
            summary.fused_written += 1
            summary.multi_source += len(event.sources) > 1
            yield event

    with store.fusion_lock():
        store.replace_fused(fused())
    summary.fused_total = summary.fused_written
    return summary
