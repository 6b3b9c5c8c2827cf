"""The watcher: poll every source on its schedule, fetch each new article page, code, store and fuse it
with the same pipeline as `run`, then queue and deliver the alerts the new events call for.

Everything it knows is in the database (store/watch_schema.py): a source's validators, next poll and
failures; every URL seen, with its canonical URL and content hash; the alerts queued. Each item is
stored in its own transactions and marked after, so a watcher stopped at any point (Ctrl-C, SIGTERM,
kill -9) starts again where it was: an item stored but not yet marked is found again by its text hash
(nothing is coded twice), reports not yet fused are fused next time, articles whose events were not yet
checked by the alert rules are checked next time.

Fetching (I/O) runs in a pool of threads, one source per task; coding and storing run in the calling
thread as each page arrives (through a bounded queue).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    fuse_every: float = 5.0  # ... and every this many seconds when something was stored
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
    """A source's poll, done by a worker: what to record of the source."""

    source: ws.SourceRow
    error: str | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    new_items: int = 0


PageResult = Page | FetchError | UnreadableInput


def poll_source(fetcher: Fetcher, store, source: ws.SourceRow, now: dt.datetime,
                emit: Callable[[tuple], None], stop: threading.Event | None = None) -> None:
    """GET the source (conditionally), record what it lists, then fetch every pending item's page,
    handing each result to `emit` as soon as it is read: ("source", Fetched) first, then
    ("page", source, item, Page or the error). Never raises for what the network or the source does."""
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
            if out.kind == "page" and not items:
                out.error = "the page links to no articles"  # an empty feed is news-less, not broken
            out.new_items = ws.add_listed(store, source.source_id, items, now)
    except (FetchError, UnreadableInput) as exc:
        out.error = str(exc)
    emit(("source", out))
    # Items left pending by an earlier poll (or a killed watcher) are fetched too, even if no longer listed.
    for item in ws.pending_items(store, source.source_id):
        if stop is not None and stop.is_set():
            break
        result: PageResult
        try:
            result = article_from_page(fetcher.get(item.url), item.listed())
        except (FetchError, UnreadableInput) as exc:
            result = exc
        emit(("page", source, item, result))


# --- storing (the calling thread) ------------------------------------------------------------------------

def store_page(store, item: ws.ItemRow, page: Page, now: dt.datetime, report: RoundReport) -> None:
    """Code and store one article page, unless it is already stored under another URL or with the same
    text; an edited article (same URL, new text) replaces its earlier version."""
    from eventwatch.bounds import coding_cap_warning
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
    else:
        reason = coding_cap_warning(item.url, cleaned.text)  # stored whole, coded in part: said on the item
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


def record_source(store, got: Fetched, now: dt.datetime, report: RoundReport) -> None:
    """A source's poll into the database: its validators and next poll, or its error and back-off."""
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


def record_page(store, source: ws.SourceRow, item: ws.ItemRow, result: PageResult, now: dt.datetime,
                report: RoundReport) -> None:
    """One item's page (or why it could not be read) into the database."""
    name = source.name or source.url
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


class _Abandoned(Exception):
    pass


def poll_round(store, fetcher: Fetcher, settings: WatchSettings, *, force: bool = False,
               stop: threading.Event | None = None) -> RoundReport:
    """Poll the sources that are due (every source with `force`), in parallel; store each page as it
    arrives; fuse and alert every `fuse_every` seconds (or `fuse_batch` articles) and at the end.
    One call is what `watch --once` does."""
    report = RoundReport()
    now = ws.utcnow()
    sources = ws.list_sources(store) if force else ws.due_sources(store, now)
    # Bounded: fetching waits for coding rather than holding a round's pages in memory.
    results: queue.Queue = queue.Queue(maxsize=max(4, settings.workers * 4))
    abandoned = threading.Event()

    def emit(message: tuple) -> None:
        while True:
            try:
                results.put(message, timeout=0.5)
                return
            except queue.Full:
                if abandoned.is_set():
                    raise _Abandoned() from None

    def work(source: ws.SourceRow) -> None:
        try:
            poll_source(fetcher, store, source, now, emit, stop)
        except _Abandoned:
            return
        except Exception as exc:  # a bug on one source must not stop the others
            emit(("source", Fetched(source=source, error=f"could not be polled ({type(exc).__name__}: {exc})")))
        emit(("done", source))

    since_fuse, last_fuse = 0, time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, settings.workers), thread_name_prefix="watch") as pool:
        for s in sources:
            pool.submit(work, s)
        try:
            remaining = len(sources)
            while remaining:
                message = results.get()
                if message[0] == "done":
                    remaining -= 1
                elif message[0] == "source":
                    record_source(store, message[1], ws.utcnow(), report)
                else:
                    before = report.stored
                    record_page(store, message[1], message[2], message[3], ws.utcnow(), report)
                    since_fuse += report.stored - before
                if since_fuse and (since_fuse >= settings.fuse_batch
                                   or time.monotonic() - last_fuse >= settings.fuse_every):
                    fuse_and_alert(store, settings, report)
                    since_fuse, last_fuse = 0, time.monotonic()
        finally:
            abandoned.set()  # if this thread failed, the workers stop instead of waiting on a full queue
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
