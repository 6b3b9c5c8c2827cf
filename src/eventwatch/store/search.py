"""Search over the stored events: full text (SQLite FTS5, PostgreSQL text search), resolved place
filters, the distinct names a resolver matches against, and counts by grid cell or province.

The FTS5 tables and their triggers (SQLite) and the GIN indexes (PostgreSQL) come from migration 0004;
nothing here writes.
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, and_, cast, column, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Engine

from eventwatch.store.query import EventQuery
from eventwatch.store.schema import articles, event_sources, events

WORD = re.compile(r"\w+", re.UNICODE)
articles_fts = table("articles_fts", column("rowid"))
events_fts = table("events_fts", column("rowid"))
PG_ARTICLE = ("to_tsvector('simple', coalesce(articles.title, '') || ' ' || "
              "coalesce((articles.record::json)->>'text', ''))")
PG_EVENT = ("to_tsvector('simple', coalesce(events.notes, '') || ' ' || coalesce(events.location, '') || ' ' || "
            "coalesce(events.admin1, '') || ' ' || coalesce(events.actor1, '') || ' ' || "
            "coalesce(events.actor2, '') || ' ' || coalesce(events.assoc_actors, ''))")


def words(text_: str) -> list[str]:
    """The words of a search, lower case (punctuation and FTS operators dropped)."""
    return [w.lower() for w in WORD.findall(text_)]


def fts5_phrase(text_: str) -> str | None:
    """An FTS5 query matching the words of `text_` in order (a phrase); None when it has no words."""
    found = words(text_)
    return '"' + " ".join(found) + '"' if found else None


def fulltext_condition(dialect: str, text_: str):
    """Events whose notes, place or actors hold the phrase, or whose source articles' text or title do."""
    if dialect == "postgresql":
        query = func.phraseto_tsquery("simple", " ".join(words(text_)))
        in_events = literal_column(PG_EVENT).op("@@")(query)
        matching_articles = select(articles.c.article_id).where(literal_column(PG_ARTICLE).op("@@")(query))
    else:
        phrase = fts5_phrase(text_)
        if phrase is None:
            return None
        in_events = events.c.event_id.in_(
            select(events.c.event_id).join(events_fts, literal_column("events_fts.rowid") == literal_column(
                "events.rowid")).where(text("events_fts MATCH :ev_phrase").bindparams(ev_phrase=phrase)))
        matching_articles = (select(articles.c.article_id)
                             .join(articles_fts, literal_column("articles_fts.rowid") == literal_column("articles.rowid"))
                             .where(text("articles_fts MATCH :art_phrase").bindparams(art_phrase=phrase)))
    in_articles = events.c.event_id.in_(
        select(event_sources.c.event_id).where(event_sources.c.article_id.in_(matching_articles)))
    return or_(in_events, in_articles)


def conditions(dialect: str, q: EventQuery) -> list:
    """The SQL conditions for the resolved filters of a query (admin1_in, country_in, location_in,
    fulltext); the store adds them to its own."""
    c = events.c
    out = []
    if q.admin1_in is not None:
        out.append(c.admin1.in_(q.admin1_in))
    if q.country_in is not None:
        out.append(c.country.in_(q.country_in))
    if q.fulltext:
        found = fulltext_condition(dialect, q.fulltext)
        alternatives = [found] if found is not None else []
        if q.location_in:
            alternatives.append(c.location.in_(q.location_in))
        if q.actor_in:
            alternatives += [col.in_(q.actor_in) for col in (c.actor1, c.actor2)]
        out.append(or_(*alternatives) if alternatives else c.event_id.is_(None))
    if q.location_in is not None and not q.fulltext:
        out.append(c.location.in_(q.location_in))
    return out


def distinct_values(engine: Engine, name: str, kind: str | None = None) -> list[str]:
    """The distinct non-empty values of an event column ("admin1", "country", "location", "actor1"...),
    for resolvers and suggestions; of one kind of event when given."""
    col = events.c[name]
    stmt = select(col).where(col.is_not(None)).distinct()
    if kind:
        stmt = stmt.where(events.c.kind == kind)
    with engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(stmt) if r[0])


def count_matching(engine: Engine, where: list) -> int:
    """How many events the store's filter list `where` matches (exactly, no cap)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events).where(and_(*where))).scalar_one())


def aggregate(engine: Engine, where: list, *, by: str = "grid", cell: float = 1.0) -> list[dict]:
    """Counts, fatality sums and the mean point of the matching events per grid cell of `cell` degrees
    (by="grid": gx, gy index the cells from longitude -180, latitude -90) or per country and admin1
    (by="admin1"). Events without coordinates count in admin1 mode under their province, and in grid
    mode under a cell of None. `where` is the store's filter list for a query."""
    c = events.c
    if by == "admin1":
        keys = [c.country.label("country"), c.admin1.label("admin1")]
        group = [c.country, c.admin1]
    else:
        # Cell indexes counted from (-180, -90): a cast truncates, which is a floor for these positive values
        # (and works alike on SQLite, whose floor() may be missing, and PostgreSQL).
        gx = cast((c.longitude + 180.0) / cell, Integer)
        gy = cast((c.latitude + 90.0) / cell, Integer)
        keys, group = [gx.label("gx"), gy.label("gy")], [gx, gy]
    stmt = (select(*keys, func.count().label("events"),
                   func.coalesce(func.sum(c.fatalities), 0).label("fatalities"),
                   func.avg(c.latitude).label("latitude"), func.avg(c.longitude).label("longitude"),
                   func.min(c.event_date).label("first"), func.max(c.event_date).label("last"))
            .where(and_(*where)).group_by(*group).order_by(func.count().desc()))
    out = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            row = dict(r._mapping)
            for k in ("first", "last"):
                row[k] = row[k].isoformat() if hasattr(row[k], "isoformat") else row[k]
            row["fatalities"] = int(row["fatalities"])
            if by != "admin1":
                row["gx"] = None if row["gx"] is None else int(row["gx"])
                row["gy"] = None if row["gy"] is None else int(row["gy"])
            out.append(row)
    return out
