"""The watcher: poll every source on its schedule, fetch each new article page, code, store and fuse it
with the same pipeline as `run`, then queue and deliver the alerts the new events call for.

Everything it knows is in the database (store/watch_schema.py): a source's validators, next poll and
failures; every URL seen, with its canonical URL and content hash; the alerts queued. Each item is
stored in its own transactions and marked after, so a watcher stopped at any point (Ctrl-C, SIGTERM,
kill -9) starts again where it was: an item stored but not yet marked is found again by its text hash
(nothing is coded twice), reports not yet fused are fused next time, articles whose events were not yet
checked by the alert rules are checked next time.

Fetching (I/O) runs in a pool of threads, one source per task; coding and storing run in the calling
thread as each source's pages arrive.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from eventwatch.alerts import deliver_due, queue_alerts, stored_rules
from eventwatch.ingest.decode import UnreadableInput
from eventwatch.ingest.feed import ListedItem
from eventwatch.ingest.url import (
    SUMMARY_MIN_WORDS,
    Fetcher,
    FetchError,
    HostLimiter,
    Page,
    article_from_page,
    article_from_summary,
    read_listing,
)
from eventwatch.records import Problem
from eventwatch.store import watch_store as ws

MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index per poll
MAX_BACKOFF = 24 * 3600  # seconds: a failing source is still tried once a day


@dataclass
class WatchSettings:
    workers: int = 8  # sources fetched at once
    rate: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    respect_robots: bool = True
    fuse_batch: int = 200  # fuse (and alert) at least every this many stored articles within a poll round
    alert_retries: int = 2
    alert_backoff: float = 1.0
    alert_retry_after: float = 60.0

    def fetcher(self) -> Fetcher:
        return Fetcher(timeout=self.timeout, retries=self.retries, backoff=self.backoff,
                       rate=HostLimiter(self.rate), respect_robots=self.respect_robots)


@dataclass
class RoundReport:
    """What one round of polling did, for the log line and the tests."""

    polled: int = 0
    not_modified: int = 0
    source_errors: list[Problem] = field(default_factory=list)
    new_items: int = 0
    stored: int = 0
    duplicates: int = 0
    not_english: int = 0
    events: int = 0
    skipped: list[Problem] = field(default_factory=list)
    retrying: int = 0
    alerts_queued: int = 0
    alerts_delivered: int = 0
    alerts_pending: int = 0

    def line(self) -> str:
        return (f"{self.polled} sources polled ({self.not_modified} unchanged, {len(self.source_errors)} failing), "
                f"{self.new_items} new items: {self.stored} stored ({self.events} events, {self.not_english} not "
                f"English), {self.duplicates} duplicates, {len(self.skipped)} skipped, {self.retrying} to retry; "
                f"alerts: {self.alerts_queued} queued, {self.alerts_delivered} delivered, "
                f"{self.alerts_pending} pending")


# --- fetching (threads) ---------------------------------------------------------------------------------

@dataclass
class Fetched:
    """A source's poll, done by a worker: what to record, and each pending item's page or failure."""

    source: ws.SourceRow
    error: str | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    new_items: int = 0
    pages: list[tuple[ws.ItemRow, Page | FetchError | UnreadableInput]] = field(default_factory=list)


def poll_source(fetcher: Fetcher, store, source: ws.SourceRow, now: dt.datetime,
                stop: threading.Event | None = None) -> Fetched:
    """GET the source (conditionally), record what it lists, and fetch every pending item's page.
    Never raises for what the network or the source does: errors are returned."""
    out = Fetched(source=source)
    try:
        got = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
        if got.status == 304:
            out.not_modified = True
        else:
            out.etag, out.last_modified = got.etag, got.last_modified
            out.kind, listing = read_listing(got, source.kind)
            items = list(listing.items)
            for child in listing.sitemaps[:MAX_SITEMAPS]:
                try:
                    items += read_listing(fetcher.get(child), "sitemap")[1].items
                except (FetchError, UnreadableInput) as exc:
                    out.error = f"child sitemap {child}: {exc}"
            if not items and not listing.sitemaps:
                out.error = f"the {out.kind} lists no articles"
            out.new_items = ws.add_listed(store, source.source_id, items, now)
    except (FetchError, UnreadableInput) as exc:
        out.error = str(exc)
    # Items left pending by an earlier poll (or a killed watcher) are fetched too, even if no longer listed.
    for item in ws.pending_items(store, source.source_id):
        if stop is not None and stop.is_set():
            break
        try:
            out.pages.append((item, article_from_page(
                fetcher.get(item.url, etag=None), item.listed())))
        except (FetchError, UnreadableInput) as exc:
            out.pages.append((item, exc))
    return out


# --- storing (the calling thread) ------------------------------------------------------------------------

def store_page(store, item: ws.ItemRow, page: Page, now: dt.datetime, report: RoundReport) -> None:
    """Code and store one article page, unless it is already stored under another URL or with the same
    text; an edited article (same URL, new text) replaces its earlier version."""
    from eventwatch.pipeline import code_article

    article = page.article
    key = page.canonical or page.final_url
    common = dict(now=now, final_url=page.final_url, canonical_url=key, content_hash=article.content_hash)
    other = ws.stored_item_for(store, ws.url_key(key), item.item_id)
    if other is not None and other.article_id:
        ws.finish_item(store, item, status="duplicate", reason=f"the article of {other.url}",
                       article_id=other.article_id, **common)
        report.duplicates += 1
        return
    stored_hash = ws.article_hash(store, article.article_id)
    if stored_hash == article.content_hash:  # stored already (a watcher killed before it marked the item)
        ws.finish_item(store, item, status="stored", article_id=article.article_id, alert=True, **common)
        return
    if stored_hash is not None:
        if item.article_id != article.article_id:
            ws.finish_item(store, item, status="duplicate", reason="another URL's article (same canonical URL)",
                           article_id=article.article_id, **common)
            report.duplicates += 1
            return
        ws.delete_article(store, article.article_id)  # edited: its new version replaces it, reports and all
    elif store.has_article(content_hash=article.content_hash):
        store.add_alias(article.article_id, article.content_hash)
        ws.finish_item(store, item, status="duplicate", reason="the same text is stored under another URL",
                       **common)
        report.duplicates += 1
        return
    cleaned, events = code_article(article)
    store.save_article(cleaned, events)
    reason = None
    if cleaned.language not in (None, "en"):
        reason = f"not English ({cleaned.language}): stored, not coded"
        report.not_english += 1
    ws.finish_item(store, item, status="stored", reason=reason, article_id=cleaned.article_id,
                   alert=bool(events), **common)
    report.stored += 1
    report.events += len(events)


def fallback_or_skip(store, item: ws.ItemRow, reason: str, now: dt.datetime, report: RoundReport,
                     source_name: str) -> None:
    """A page that cannot be read: its listing's summary stands in if it is long enough, else skipped."""
    listed: ListedItem = item.listed()
    if listed.summary and len(listed.summary.split()) >= SUMMARY_MIN_WORDS:
        page = Page(article=article_from_summary(listed, reason), final_url=item.url, canonical=None)
        store_page(store, item, page, now, report)
        return
    ws.finish_item(store, item, status="skipped", reason=reason, now=now)
    report.skipped.append(Problem(path=item.url, reason=f"{reason} (source: {source_name})"))


def record(store, got: Fetched, now: dt.datetime, report: RoundReport) -> None:
    """Write a worker's poll into the database: the source's health, then each item."""
    src = got.source
    report.polled += 1
    report.not_modified += int(got.not_modified)
    report.new_items += got.new_items
    if got.error is not None:
        delay = min(src.every_s * 2 ** (src.failures + 1), MAX_BACKOFF)
        ws.record_poll(store, src.source_id, now=now, next_poll=now + dt.timedelta(seconds=delay), error=got.error)
        report.source_errors.append(Problem(path=src.url, reason=got.error))
    else:
        ws.record_poll(store, src.source_id, now=now, next_poll=now + dt.timedelta(seconds=src.every_s),
                       etag=got.etag, last_modified=got.last_modified, detected_kind=got.kind,
                       keep_validators=got.not_modified)
    name = src.name or src.url
    for item, result in got.pages:
        try:
            if isinstance(result, Page):
                store_page(store, item, result, now, report)
            elif isinstance(result, FetchError) and result.transient:
                if ws.retry_item(store, item, str(result), now):
                    fallback_or_skip(store, item, f"gave up: {result}", now, report, name)
                else:
                    report.retrying += 1
            else:
                fallback_or_skip(store, item, str(result), now, report, name)
        except Exception as exc:  # a bug on one article must not stop the watcher: report it, go on
            ws.finish_item(store, item, status="skipped", now=now,
                           reason=f"could not be processed ({type(exc).__name__}: {exc})")
            report.skipped.append(Problem(path=item.url, reason=f"could not be processed ({exc})"))


def fuse_and_alert(store, settings: WatchSettings, report: RoundReport,
                   sleep: Callable[[float], None] | None = None) -> None:
    """Fuse the new reports, queue the alerts of the fused events they touched, deliver what is due."""
    from eventwatch.pipeline import fuse_pending
    from eventwatch.resolve.actors import canonical_actor_name

    fuse_pending(store)
    rules = stored_rules(store)
    pending_articles = ws.articles_to_alert(store)
    if pending_articles:
        if rules:
            fused = store.get_events(ws.fused_ids_for_articles(store, pending_articles))
            report.alerts_queued += queue_alerts(store, rules, fused, ws.utcnow(), canonical_actor_name)
        ws.alerted(store, pending_articles)
    extra = {"sleep": sleep} if sleep is not None else {}
    delivered, pending = deliver_due(store, rules, retries=settings.alert_retries, backoff=settings.alert_backoff,
                                     retry_after=settings.alert_retry_after, **extra)
    report.alerts_delivered += delivered
    report.alerts_pending = pending


def poll_round(store, fetcher: Fetcher, settings: WatchSettings, *, force: bool = False,
               stop: threading.Event | None = None) -> RoundReport:
    """Poll the sources that are due (every source with `force`), in parallel; store what they bring;
    fuse and alert. One call is what `watch --once` does."""
    report = RoundReport()
    now = ws.utcnow()
    sources = ws.list_sources(store) if force else ws.due_sources(store, now)
    since_fuse = 0
    with ThreadPoolExecutor(max_workers=max(1, settings.workers), thread_name_prefix="watch") as pool:
        futures = [pool.submit(poll_source, fetcher, store, s, now, stop) for s in sources]
        for fut in as_completed(futures):
            got = fut.result()
            before = report.stored
            record(store, got, ws.utcnow(), report)
            since_fuse += report.stored - before
            if since_fuse >= settings.fuse_batch:
                fuse_and_alert(store, settings, report)
                since_fuse = 0
            if stop is not None and stop.is_set():
                for f in futures:
                    f.cancel()
    fuse_and_alert(store, settings, report)
    return report


def watch_forever(store, settings: WatchSettings, stop: threading.Event,
                  on_round: Callable[[RoundReport], None] = lambda r: None, idle_max: float = 60.0) -> None:
    """Poll rounds until `stop` is set, sleeping until the next source is due (or an alert must be
    retried), at most `idle_max` seconds at a time so that new sources are noticed."""
    with settings.fetcher() as fetcher:
        while not stop.is_set():
            on_round(poll_round(store, fetcher, settings, stop=stop))
            nxt = ws.next_due(store)
            wait = idle_max if nxt is None else (nxt - ws.utcnow()).total_seconds()
            stop.wait(min(max(wait, 0.5), idle_max))
