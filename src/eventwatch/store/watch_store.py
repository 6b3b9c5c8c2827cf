"""The monitor's reads and writes (sources, seen items, alert rules, the delivery ledger), each one short
transaction on a Store's engine. Plain functions: the Store stays the articles-and-events store."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from eventwatch.ingest.feed import ListedItem
from eventwatch.sources import SourceSpec
from eventwatch.store.schema import articles, event_sources, events
from eventwatch.store.watch_schema import alert_deliveries, alert_rules, watch_items, watch_sources

MAX_ITEM_ATTEMPTS = 5  # an article page that fails this many polls is given up (status failed)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def url_key(url: str) -> str:
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()


class SourceRow(BaseModel):
    source_id: int
    url: str
    name: str | None
    kind: str
    every_s: int
    country: str | None
    added_at: dt.datetime
    etag: str | None
    last_modified: str | None
    last_poll: dt.datetime | None
    last_success: dt.datetime | None
    next_poll: dt.datetime | None
    failures: int
    last_error: str | None
    detected_kind: str | None
    items_seen: int
    items_stored: int
    items_failed: int

    def health(self) -> str:
        if self.last_poll is None:
            return "not polled yet"
        if self.failures == 0:
            return "ok"
        return f"failing ({self.failures} in a row)"


class ItemRow(BaseModel):
    item_id: int
    source_id: int
    url: str
    status: str
    article_id: str | None
    content_hash: str | None
    version: str | None
    listing: str | None
    etag: str | None
    last_modified: str | None
    attempts: int
    first_seen: dt.datetime

    def listed(self) -> ListedItem:
        data = json.loads(self.listing) if self.listing else {}
        published = data.get("published")
        return ListedItem(url=self.url, title=data.get("title"), summary=data.get("summary"),
                          published=dt.date.fromisoformat(published) if published else None,
                          version=self.version, outlet=data.get("outlet"))


# --- sources -------------------------------------------------------------------------------------------

def add_source(store, spec: SourceSpec) -> tuple[int, bool]:
    """Add a source, or update the name/interval/country/kind of the one with this URL.
    Returns its id and whether it is new."""
    values = dict(name=spec.name, kind=spec.kind, every_s=spec.every, country=spec.country)
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        row = conn.execute(select(watch_sources.c.source_id).where(watch_sources.c.url == spec.url)).first()
        if row is not None:
            conn.execute(update(watch_sources).where(watch_sources.c.source_id == row.source_id).values(**values))
            return row.source_id, False
        result = conn.execute(insert(watch_sources).values(url=spec.url, added_at=utcnow(), failures=0,
                                                           items_seen=0, items_stored=0, items_failed=0,
                                                           **values))
        return result.inserted_primary_key[0], True


def list_sources(store) -> list[SourceRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(watch_sources).order_by(watch_sources.c.source_id))
        return [SourceRow(**r._mapping) for r in rows]


def get_source(store, source_id: int) -> SourceRow | None:
    with store.engine.connect() as conn:
        r = conn.execute(select(watch_sources).where(watch_sources.c.source_id == source_id)).first()
        return SourceRow(**r._mapping) if r else None


def remove_source(store, url_or_id: str) -> bool:
    """Stop watching a source (by URL or id). Its items stay, so that re-adding it codes nothing twice."""
    cond = (watch_sources.c.source_id == int(url_or_id)) if url_or_id.isdigit() else (watch_sources.c.url == url_or_id)
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        return conn.execute(delete(watch_sources).where(cond)).rowcount > 0


def due_sources(store, now: dt.datetime) -> list[SourceRow]:
    """Sources never polled or whose next poll time has come, the most overdue first."""
    c = watch_sources.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(watch_sources).where((c.next_poll.is_(None)) | (c.next_poll <= now))
                            .order_by(c.next_poll.is_not(None), c.next_poll, c.source_id))
        return [SourceRow(**r._mapping) for r in rows]


def next_due(store) -> dt.datetime | None:
    with store.engine.connect() as conn:
        return conn.execute(select(func.min(watch_sources.c.next_poll))).scalar_one()


def record_poll(store, source_id: int, *, now: dt.datetime, next_poll: dt.datetime, error: str | None = None,
                etag: str | None = None, last_modified: str | None = None, detected_kind: str | None = None,
                keep_validators: bool = False) -> None:
    """The outcome of one poll: a success resets the failure count, an error adds to it."""
    c = watch_sources.c
    values: dict = dict(last_poll=now, next_poll=next_poll)
    if error is None:
        values.update(last_success=now, failures=0, last_error=None)
        if not keep_validators:
            values.update(etag=etag, last_modified=last_modified)
        if detected_kind:
            values["detected_kind"] = detected_kind
    else:
        values.update(failures=c.failures + 1, last_error=error[:500])
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        conn.execute(update(watch_sources).where(c.source_id == source_id).values(**values))


# --- items -------------------------------------------------------------------------------------------

def listing_json(item: ListedItem) -> str:
    return json.dumps({"title": item.title, "summary": (item.summary or "")[:20_000] or None,
                       "published": item.published.isoformat() if item.published else None,
                       "outlet": item.outlet})


def add_listed(store, source_id: int, listed: Iterable[ListedItem], now: dt.datetime) -> int:
    """Record what a source lists: new URLs become pending; a URL already stored whose listing version
    changed (an edited article) becomes pending again. Returns how many URLs are new."""
    listed = list({i.url: i for i in listed}.values())
    for attempt in range(3):
        try:
            return _add_listed(store, source_id, listed, now)
        except IntegrityError:  # another source's poll recorded one of these URLs meanwhile: read again
            if attempt == 2:
                raise
    return 0


def _add_listed(store, source_id: int, listed: list[ListedItem], now: dt.datetime) -> int:
    if not listed:
        return 0
    c = watch_items.c
    keys = {url_key(i.url): i for i in listed}
    new = 0
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        known = {}
        key_list = list(keys)
        for i in range(0, len(key_list), 500):
            for r in conn.execute(select(c.item_id, c.url_key, c.version, c.status)
                                  .where(c.url_key.in_(key_list[i:i + 500]))):
                known[r.url_key] = r
        rows = []
        for key, item in keys.items():
            row = known.get(key)
            if row is None:
                rows.append(dict(source_id=source_id, url=item.url, url_key=key, status="pending",
                                 version=item.version, listing=listing_json(item), attempts=0, first_seen=now,
                                 alert_pending=0))
            elif item.version and row.version and item.version != row.version and row.status == "stored":
                conn.execute(update(watch_items).where(c.item_id == row.item_id).values(
                    status="pending", version=item.version, listing=listing_json(item), attempts=0))
        if rows:
            conn.execute(insert(watch_items), rows)
            new = len(rows)
            conn.execute(update(watch_sources).where(watch_sources.c.source_id == source_id).values(
                items_seen=watch_sources.c.items_seen + new))
    return new


def pending_items(store, source_id: int | None = None, limit: int = 1000) -> list[ItemRow]:
    c = watch_items.c
    stmt = select(watch_items).where(c.status == "pending")
    if source_id is not None:
        stmt = stmt.where(c.source_id == source_id)
    with store.engine.connect() as conn:
        return [ItemRow(**r._mapping) for r in conn.execute(stmt.order_by(c.item_id).limit(limit))]


def stored_item_for(store, canonical_key: str, except_item: int) -> ItemRow | None:
    """Another item already stored under this canonical (or final) URL."""
    c = watch_items.c
    with store.engine.connect() as conn:
        r = conn.execute(select(watch_items).where(
            ((c.canonical_key == canonical_key) | (c.url_key == canonical_key)),
            c.item_id != except_item, c.status.in_(("stored", "duplicate")), c.article_id.is_not(None))
            .limit(1)).first()
        return ItemRow(**r._mapping) if r else None


def finish_item(store, item: ItemRow, *, status: str, now: dt.datetime, reason: str | None = None,
                final_url: str | None = None, canonical_url: str | None = None, content_hash: str | None = None,
                article_id: str | None = None, alert: bool = False) -> None:
    """Record what became of an item; counted on its source (stored, or failed for good)."""
    c = watch_items.c
    values = dict(status=status, reason=reason and reason[:500], fetched_at=now, attempts=item.attempts + 1)
    if final_url:
        values["final_url"] = final_url
    if canonical_url or final_url:
        values["canonical_url"] = canonical_url or final_url
        values["canonical_key"] = url_key(canonical_url or final_url)
    if content_hash:
        values["content_hash"] = content_hash
    if article_id:
        values["article_id"] = article_id
    if alert:
        values["alert_pending"] = 1
    s = watch_sources.c
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        conn.execute(update(watch_items).where(c.item_id == item.item_id).values(**values))
        if status == "stored" and item.status == "pending" and item.content_hash is None:
            conn.execute(update(watch_sources).where(s.source_id == item.source_id).values(
                items_stored=s.items_stored + 1))
        elif status in ("failed", "skipped"):
            conn.execute(update(watch_sources).where(s.source_id == item.source_id).values(
                items_failed=s.items_failed + 1))


def retry_item(store, item: ItemRow, reason: str, now: dt.datetime) -> bool:
    """A fetch that failed: the item stays pending for the next poll, until MAX_ITEM_ATTEMPTS. Returns
    True, writing nothing, when it is time to give up (the caller decides what becomes of it)."""
    if item.attempts + 1 >= MAX_ITEM_ATTEMPTS:
        return True
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        conn.execute(update(watch_items).where(watch_items.c.item_id == item.item_id).values(
            attempts=item.attempts + 1, reason=reason[:500], fetched_at=now))
    return False


def item_counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {r.status: r.n for r in conn.execute(
            select(watch_items.c.status, func.count().label("n")).group_by(watch_items.c.status))}


def recent_items(store, source_id: int | None = None, limit: int = 50) -> list[dict]:
    c = watch_items.c
    stmt = select(c.url, c.status, c.reason, c.article_id, c.first_seen, c.fetched_at, c.source_id)
    if source_id is not None:
        stmt = stmt.where(c.source_id == source_id)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt.order_by(c.item_id.desc()).limit(limit))]


def delete_article(store, article_id: str) -> None:
    """Remove an article and its reports (an edited article is stored again in its new version)."""
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        conn.execute(delete(events).where(events.c.article_id == article_id, events.c.kind == "report"))
        conn.execute(delete(articles).where(articles.c.article_id == article_id))


def article_hash(store, article_id: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(articles.c.content_hash).where(articles.c.article_id == article_id)).scalar()


def articles_to_alert(store) -> list[str]:
    """Articles stored by the watcher whose events the alert rules have not looked at yet."""
    c = watch_items.c
    with store.engine.connect() as conn:
        return [r.article_id for r in conn.execute(select(c.article_id).where(
            c.alert_pending == 1, c.article_id.is_not(None)).distinct())]


def alerted(store, article_ids: Iterable[str]) -> None:
    ids = list(article_ids)
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        for i in range(0, len(ids), 500):
            conn.execute(update(watch_items).where(watch_items.c.article_id.in_(ids[i:i + 500]))
                         .values(alert_pending=0))


def fused_ids_for_articles(store, article_ids: Iterable[str]) -> list[str]:
    """Fused events that hold a report of any of these articles."""
    ids = list(article_ids)
    out: list[str] = []
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            out += [r.event_id for r in conn.execute(
                select(event_sources.c.event_id).join(events, events.c.event_id == event_sources.c.event_id)
                .where(event_sources.c.article_id.in_(ids[i:i + 500]), events.c.kind == "fused").distinct())]
    return list(dict.fromkeys(out))


# --- alert rules and deliveries ---------------------------------------------------------------------------

def save_rule(store, name: str, rule_json: str) -> bool:
    """Add or replace a rule by name. True if it is new."""
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        exists = conn.execute(select(alert_rules.c.name).where(alert_rules.c.name == name)).first()
        if exists:
            conn.execute(update(alert_rules).where(alert_rules.c.name == name).values(rule=rule_json))
            return False
        conn.execute(insert(alert_rules).values(name=name, rule=rule_json, created_at=utcnow()))
        return True


def load_rules(store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return [(r.name, r.rule) for r in conn.execute(select(alert_rules).order_by(alert_rules.c.name))]


def remove_rule(store, name: str) -> bool:
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        return conn.execute(delete(alert_rules).where(alert_rules.c.name == name)).rowcount > 0


def alert_state(store, rule: str, event_ids: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """event id -> (highest toll alerted, most sources alerted, most claims alerted) for this rule."""
    ids = list(event_ids)
    c = alert_deliveries.c
    out: dict[str, tuple[int, int, int]] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            for r in conn.execute(select(c.event_id, func.max(c.fatalities).label("f"),
                                         func.max(c.n_sources).label("n"), func.max(c.n_claims).label("k"))
                                  .where(c.rule == rule, c.event_id.in_(ids[i:i + 500])).group_by(c.event_id)):
                out[r.event_id] = (r.f, r.n, r.k)
    return out


def add_delivery(store, *, rule: str, event_id: str, trigger: str, fingerprint: str, fatalities: int,
                 n_sources: int, payload: str, now: dt.datetime, n_claims: int = 0) -> bool:
    """Queue an alert; False (nothing written) if this rule already made it for this event and change."""
    try:
        with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
            conn.execute(insert(alert_deliveries).values(
                rule=rule, event_id=event_id, trigger=trigger, fingerprint=fingerprint, fatalities=fatalities,
                n_sources=n_sources, n_claims=n_claims, payload=payload, status="pending", attempts=0, next_attempt=now,
                created_at=now))
        return True
    except IntegrityError:
        return False


class DeliveryRow(BaseModel):
    delivery_id: int
    rule: str
    event_id: str
    trigger: str
    fingerprint: str
    fatalities: int
    n_sources: int
    n_claims: int
    payload: str
    status: str
    attempts: int
    next_attempt: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


def due_deliveries(store, now: dt.datetime, limit: int = 500) -> list[DeliveryRow]:
    c = alert_deliveries.c
    with store.engine.connect() as conn:
        return [DeliveryRow(**r._mapping) for r in conn.execute(
            select(alert_deliveries).where(c.status == "pending", c.next_attempt <= now)
            .order_by(c.delivery_id).limit(limit))]


def mark_delivery(store, delivery_id: int, *, ok: bool, attempts: int, now: dt.datetime,
                  error: str | None = None, next_attempt: dt.datetime | None = None) -> None:
    c = alert_deliveries.c
    values: dict = dict(attempts=attempts, last_error=error and error[:500])
    if ok:
        values.update(status="delivered", delivered_at=now)
    else:
        values.update(next_attempt=next_attempt or now)
    with store.writing() as conn:  # BEGIN IMMEDIATE: waits for the lock, never a busy error
        conn.execute(update(alert_deliveries).where(c.delivery_id == delivery_id).values(**values))


def list_deliveries(store, limit: int = 100, status: str | None = None, rule: str | None = None) -> list[DeliveryRow]:
    c = alert_deliveries.c
    stmt = select(alert_deliveries)
    if status:
        stmt = stmt.where(c.status == status)
    if rule:
        stmt = stmt.where(c.rule == rule)
    with store.engine.connect() as conn:
        return [DeliveryRow(**r._mapping) for r in conn.execute(stmt.order_by(c.delivery_id.desc()).limit(limit))]
