"""The store stage: SQL tables for articles and events (SQLite default, PostgreSQL by URL)."""

from eventwatch.store.db import ArticleSummary, Store, open_store
from eventwatch.store.query import EventQuery

__all__ = ["ArticleSummary", "EventQuery", "Store", "open_store"]
