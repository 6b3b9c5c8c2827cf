"""The monitor's tables, on the same metadata as store/schema.py: the sources watched, every item seen
(with its URLs, content hash and validators), the alert rules, and the delivery ledger of alerts.

Everything `watch` knows lives here, so a watcher killed at any point starts again where it was.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text, UniqueConstraint

from eventwatch.store.schema import metadata

watch_sources = Table(
    "watch_sources", metadata,
    Column("source_id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", String(200)),
    Column("kind", String(10), nullable=False),  # auto, feed, sitemap, page
    Column("every_s", Integer, nullable=False),  # poll interval, seconds
    Column("country", String(100)),  # a hint for the analyst (and the alert filters); not used in coding
    Column("added_at", DateTime, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", DateTime),
    Column("last_success", DateTime),
    Column("next_poll", DateTime),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text),
    Column("detected_kind", String(10)),  # what the last response was: feed, sitemap, page
    Column("items_seen", Integer, nullable=False, default=0),
    Column("items_stored", Integer, nullable=False, default=0),
    Column("items_failed", Integer, nullable=False, default=0),
)

# One row per URL a source listed. status: pending (to fetch), stored, duplicate (the same article under
# another URL, or the same text), skipped (bad input, reason given), failed (gave up after retries).
watch_items = Table(
    "watch_items", metadata,
    Column("item_id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("url_key", String(64), nullable=False, unique=True),  # sha256 of the URL: indexable on any backend
    Column("final_url", Text),
    Column("canonical_url", Text),
    Column("canonical_key", String(64)),
    Column("content_hash", String(64)),
    Column("article_id", String(200)),
    Column("status", String(12), nullable=False),
    Column("reason", Text),
    Column("version", Text),  # the listing's updated/lastmod: a new one means the article was edited
    Column("listing", Text),  # the listed title/summary/date as JSON: the fallback if the page fails
    Column("etag", Text),
    Column("last_modified", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("first_seen", DateTime, nullable=False),
    Column("fetched_at", DateTime),
    Column("alert_pending", Integer, nullable=False, default=0),  # stored, its events not yet checked by alerts
    Index("ix_watch_items_status", "status"),
    Index("ix_watch_items_canonical", "canonical_key"),
    Index("ix_watch_items_hash", "content_hash"),
    Index("ix_watch_items_source", "source_id"),
    Index("ix_watch_items_alert", "alert_pending"),
)

alert_rules = Table(
    "alert_rules", metadata,
    Column("name", String(100), primary_key=True),
    Column("rule", Text, nullable=False),  # the AlertRule as JSON (filters, triggers, destination)
    Column("created_at", DateTime, nullable=False),
)

# One row per alert to send: (rule, event, what changed) is unique, so an alert is made once; it stays
# pending, with its attempts and next try, until a destination accepts it.
alert_deliveries = Table(
    "alert_deliveries", metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String(100), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("trigger", String(20), nullable=False),  # new, toll_up, new_source, new_claim
    Column("fingerprint", String(100), nullable=False),  # "new", "toll:27", "sources:3", "claims:4"
    Column("fatalities", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("n_claims", Integer, nullable=False, default=0),
    Column("payload", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending, delivered
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", DateTime, nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("delivered_at", DateTime),
    UniqueConstraint("rule", "event_id", "fingerprint", name="uq_alert_once"),
    Index("ix_alert_deliveries_status", "status", "next_attempt"),
    Index("ix_alert_deliveries_event", "rule", "event_id"),
)
