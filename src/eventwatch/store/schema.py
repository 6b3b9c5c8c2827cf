"""The tables. An event row holds the columns that filters use; its whole record is kept as JSON (exact
round trip) in event_records; sources, claims and evidence are child rows so that SQL can search them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", String(200)),
    Column("url", Text),
    Column("published", Date),
    Column("published_source", String(20)),
    Column("language", String(10)),
    Column("source_path", Text),
    Column("source_format", String(10)),
    Column("n_chars", Integer, nullable=False),
    Column("record", Text, nullable=False),  # the Article as JSON (raw text, cleaned text, offsets)
    Column("ingested_at", DateTime, nullable=False),  # when stored (UTC): an event's `stored_at` comes from it
    Index("ix_articles_ingested", "ingested_at", "article_id"),  # events stored since a moment (0006)
)

events = Table(
    "events", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # "report" (one article's) or "fused"
    Column("article_id", String(200), ForeignKey("articles.article_id", ondelete="CASCADE")),
    Column("event_date", Date),
    Column("date_end", Date),
    Column("country", String(100)),
    Column("admin1", String(100)),
    Column("admin2", String(100)),
    Column("location", String(200)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("event_type", String(60)),
    Column("sub_event_type", String(60)),
    Column("actor1", String(200)),
    Column("actor2", String(200)),
    Column("assoc_actors", Text),
    Column("fatalities", Integer, nullable=False),
    Column("background", Boolean, nullable=False),
    Column("notes", Text),
    Column("confidence", Float),
    Column("n_sources", Integer, nullable=False),
    Index("ix_events_kind_date", "kind", "event_date"),
    Index("ix_events_kind_admin1", "kind", "admin1"),
    Index("ix_events_kind_type", "kind", "event_type", "sub_event_type"),
    Index("ix_events_actor1", "actor1"),
    Index("ix_events_actor2", "actor2"),
    Index("ix_events_lonlat", "longitude", "latitude"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_kind_sources", "kind", "n_sources"),  # the multi-source count, from the index (0004)
    # The map's counts (0007): every column its usual filters and aggregates read, so that counting and
    # grouping 100,000 events scan this index, not the rows and their notes; a view's box, and the events
    # known only to their province (no latitude), are a range of it.
    Index("ix_events_map", "latitude", "longitude", "kind", "background", "fatalities", "event_date",
          "country", "admin1", "event_type", "sub_event_type"),
    # Incremental fusion (0008): the reports a pending report may join, by blocking key and a range of
    # days, read from the index alone (Store.fused_near).
    Index("ix_events_fusion", "kind", "country", "event_type", "event_date", "admin1", "date_end", "event_id"),
)

# The whole record as JSON, apart from the columns that filters scan, so that scans stay narrow.
event_records = Table(
    "event_records", metadata,
    Column("event_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("record", Text, nullable=False),
)

event_sources = Table(
    "event_sources", metadata,
    Column("event_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(200), primary_key=True),
    Column("outlet", String(200)),
    Column("published", Date),
    Index("ix_event_sources_article", "article_id"),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
    Column("field", String(40), nullable=False),
    Column("value", Text),
    Column("claimed_by", String(200)),
    Column("article_id", String(200)),
    Column("outlet", String(200)),
    Column("quote", Text),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_claims_event", "event_id"),
)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
    Column("field", String(40), nullable=False),
    Column("article_id", String(200), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_evidence_event", "event_id"),
)

report_links = Table(
    "report_links", metadata,
    Column("fused_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("report_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Index("ix_report_links_report", "report_id"),
)

# The same text under another id (corpora repeat articles): kept as an alias of the stored article.
article_aliases = Table(
    "article_aliases", metadata,
    Column("alias_id", String(200), primary_key=True),
    Column("article_id", String(200), ForeignKey("articles.article_id", ondelete="CASCADE"), nullable=False),
)

# Reports written but not yet fused: fusion reads this short list instead of scanning every report for a
# missing link, so an incremental fuse costs what is new, not what is stored (migration 0004).
pending_reports = Table(
    "pending_reports", metadata,
    Column("report_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
)
