"""The stages composed: clean -> extract -> resolve for one article (pure), and the fuse jobs that
read reports from the store and write fused events back (incremental, or a full re-fuse).

The CLI (and the Ray job) read with ingest, call `code_article` on each article, write with store,
then call `fuse_pending`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from eventwatch.bounds import MAX_CODED_CHARS, coded_length
from eventwatch.fuse import DATE_WINDOW, Cluster, Fuser, date_range, fuse_cluster, order_key
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


def fuse_pending(store, counts: bool = True) -> FuseSummary:
    """Fuse the reports no fused event holds yet into the fused events of their dates (incremental).

    Reads the pending reports and the fused events of their date window only, so that its cost follows
    what is new, not what is stored; `counts` adds the database totals to the summary (two index counts).
    One fusion at a time on a database (Store.fusion_lock): what it reads is still true when it writes."""
    with store.fusion_lock():
        return _fuse_pending(store, counts)


def _fuse_pending(store, counts: bool) -> FuseSummary:
    pending = store.unfused_reports()
    summary = FuseSummary(reports=len(pending))
    if not pending:
        if counts:
            summary.fused_total, summary.multi_source = store.count_kind("fused"), store.count_multi_source()
        return summary
    ranges = [date_range(r) for r in pending if r.event_date is not None]
    existing: list[Event] = []
    if ranges:
        # a report joins a cluster only if every member is within DATE_WINDOW of it, so only fused events
        # whose date ranges overlap [first - window, last + window] can take one (store.fused_between
        # finds the long ranges that start earlier)
        since = min(a for a, _ in ranges) - dt.timedelta(days=DATE_WINDOW)
        until = max(b for _, b in ranges) + dt.timedelta(days=DATE_WINDOW)
        existing = store.fused_between(since, until)
    if any(r.event_date is None for r in pending):
        existing += store.fused_undated()
    clusters, removed = clusters_from(existing, store)
    fuser = Fuser(clusters)  # marks them unchanged
    for c in fuser.clusters:
        c.changed = c.lost_reports
    for report in sorted(pending, key=order_key):
        known = fuser.by_report.get(report.event_id)
        if known is not None:  # re-coded with the same id: rewrite the cluster to restore its link
            fuser.clusters[known].reports = [report if m.event_id == report.event_id else m
                                             for m in fuser.clusters[known].reports]
            fuser.clusters[known].changed = True
            continue
        fuser.add(report)
    changed = [fuse_cluster(c) for c in fuser.clusters if c.changed]
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
