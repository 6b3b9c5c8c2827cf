"""The stages composed: clean -> extract -> resolve for one article (pure), and the fuse jobs that
read reports from the store and write fused events back (incremental, or a full re-fuse).

The CLI (and the Ray job) read with ingest, call `code_article` on each article, write with store,
then call `fuse_pending`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eventwatch.bounds import MAX_CODED_CHARS, coded_length
from eventwatch.fuse import (
    DATE_WINDOW,
    Cluster,
    Fuser,
    Part,
    article_of,
    date_range,
    fuse_cluster,
    fuse_part,
    order_key,
    partition,
)
from eventwatch.records import Article, Event

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


def clusters_from(fused: list[Event], store) -> tuple[list[Cluster], list[str]]:
    """Existing fused events as clusters of their still-stored reports, and the ids of those left empty."""
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


def fuse_pending(store, counts: bool = True, *, articles: set[str] | None = None, parts: int = 1,
                 run_parts: Callable[[list[Part]], Iterable[list[Event]]] | None = None) -> FuseSummary:
    """Fuse the reports no fused event holds yet into the fused events of their dates (incremental).

    Reads the pending reports and the fused events of their date window only, so that its cost follows
    what is new, not what is stored; `counts` adds the database totals to the summary (two index counts).
    `articles`: fuse only the pending reports of these articles (the Ray engine's workers may have stored
    later ones already; the others stay pending). With `run_parts`, the fusion is split into
    up to `parts` independent parts (fuse.partition) that `run_parts` fuses, each with fuse.fuse_part (the
    Ray engine: in tasks); the fused events, and the order they are written in, are exactly the same.
    One fusion at a time on a database (Store.fusion_lock): what it reads is still true when it writes."""
    with store.fusion_lock():
        return _fuse_pending(store, counts, articles=articles, parts=parts, run_parts=run_parts)


def _fuse_pending(store, counts: bool, *, articles: set[str] | None = None, parts: int = 1,
                  run_parts: Callable[[list[Part]], Iterable[list[Event]]] | None = None) -> FuseSummary:
    pending = store.unfused_reports()
    if articles is not None:
        pending = [r for r in pending if article_of(r) in articles]
    summary = FuseSummary(reports=len(pending))
    if not pending:
        if counts:
            summary.fused_total, summary.multi_source = store.count_kind("fused"), store.count_multi_source()
        return summary
    existing: list[Event] = []
    seen: set[str] = set()
    # a report joins a cluster only if every member is within DATE_WINDOW of it, so only fused events
    # whose date ranges overlap a report's [first - window, last + window] can take one (store.fused_between
    # finds the long ranges that start earlier); windows are read one merged run at a time, so that one
    # report of an old date does not read every fused event stored since
    for since, until in date_windows(pending):
        existing += [e for e in store.fused_between(since, until) if e.event_id not in seen and not seen.add(e.event_id)]
    existing.sort(key=lambda e: (e.event_date, e.event_id))  # as one read of the whole span orders them
    if any(r.event_date is None for r in pending):
        existing += store.fused_undated()
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
    """Fuse every report from scratch (after a gazetteer import or a dictionary change)."""
    with store.fusion_lock():
        reports = list(store.all_reports())
        fuser = Fuser()
        fuser.add_all(reports)
        fused = [fuse_cluster(c) for c in fuser.clusters]
        store.replace_fused(fused)
    return FuseSummary(reports=len(reports), fused_written=len(fused), fused_total=len(fused),
                       multi_source=sum(1 for f in fused if len(f.sources) > 1))
