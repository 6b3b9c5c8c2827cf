"""The store stage: SQL tables for articles and events (SQLite default, PostgreSQL by URL).

The names below are imported on first use (PEP 562): a worker process that only prepares rows
(`eventwatch.store.rows`) never loads SQLAlchemy (a sixth of a second of its start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwatch.store.db import ArticleSummary, Store, open_store
    from eventwatch.store.query import EventQuery

__all__ = ["ArticleSummary", "EventQuery", "Store", "open_store"]


def __getattr__(name: str):
    if name in ("ArticleSummary", "Store", "open_store"):
        from eventwatch.store import db

        return getattr(db, name)
    if name == "EventQuery":
        from eventwatch.store.query import EventQuery

        return EventQuery
    raise AttributeError(f"module 'eventwatch.store' has no attribute {name!r}")
