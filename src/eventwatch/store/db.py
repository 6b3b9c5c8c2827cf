"""The store stage: articles and events in SQL (SQLite by default, PostgreSQL by URL), same code.

Every write is one transaction: an article is stored with all its events or not at all, so a crash or
Ctrl-C never leaves half an article. Re-storing the same text adds nothing (content hash); re-coding an
article replaces its events atomically.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from pydantic import BaseModel
from sqlalchemy import and_, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from eventwatch.records import Article, Event
from eventwatch.store.query import EventQuery
from eventwatch.store.schema import (
    article_aliases,
    articles,
    claims,
    event_records,
    event_sources,
    events,
    evidence,
    report_links,
)

BATCH = 500
RECORD = event_records.c.record
SPARSE = 3000  # matches: below this, a page is sorted rather than walked in date order
LONGEST_RANGE = 62  # days: the longest date range an event has (a month, with the fuse window around it)


class ArticleSummary(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    language: str | None
    n_events: int
    n_chars: int


def engine_url(url_or_path: str) -> str:
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def migrate(connection: Connection) -> None:
    """Bring the schema to the newest Alembic revision shipped in the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(files("eventwatch.store") / "migrations"))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def make_engine(url_or_path: str) -> Engine:
    url = engine_url(url_or_path)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def sqlite_pragmas(dbapi_connection, _record):  # WAL: readers never block the writer
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """A database of articles and events. Thin: an engine and the operations below."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # --- articles ---------------------------------------------------------------------------------

    def has_article(self, article_id: str | None = None, content_hash: str | None = None) -> bool:
        conds = []
        if article_id is not None:
            conds.append(articles.c.article_id == article_id)
        if content_hash is not None:
            conds.append(articles.c.content_hash == content_hash)
        if not conds:
            return False
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.article_id).where(or_(*conds)).limit(1)).first() is not None

    def add_article(self, article: Article) -> bool:
        """Store an article (no events). False, and nothing written, if it is already stored."""
        with self.engine.begin() as conn:
            return self._insert_article(conn, article)

    def save_article(self, article: Article, events_: list[Event]) -> bool:
        """In one transaction: the article (if new) and its reports, replacing any it had."""
        with self.engine.begin() as conn:
            new = self._insert_article(conn, article)
            self._replace_reports(conn, article.article_id, events_)
            return new

    def replace_reports(self, article_id: str, events_: list[Event]) -> None:
        with self.engine.begin() as conn:
            self._replace_reports(conn, article_id, events_)

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id (or of which this id is an alias)."""
        alias = select(article_aliases.c.article_id).where(article_aliases.c.alias_id == article_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.record).where(or_(
                articles.c.article_id == article_id, articles.c.article_id.in_(alias)))).first()
        return Article.model_validate_json(row.record) if row else None

    def add_alias(self, alias_id: str, content_hash: str) -> bool:
        """Record that `alias_id` names the stored article with this text; False if nothing to do."""
        with self.engine.begin() as conn:
            row = conn.execute(select(articles.c.article_id).where(articles.c.content_hash == content_hash)).first()
            if row is None or row.article_id == alias_id or conn.execute(
                    select(article_aliases.c.alias_id).where(article_aliases.c.alias_id == alias_id)).first():
                return False
            conn.execute(insert(article_aliases).values(alias_id=alias_id, article_id=row.article_id))
            return True

    def aliases(self) -> dict[str, list[str]]:
        """Stored article id -> the other ids its text came under."""
        out: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(select(article_aliases).order_by(article_aliases.c.alias_id)):
                out.setdefault(r.article_id, []).append(r.alias_id)
        return out

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    def list_articles(self, limit: int = 100, offset: int = 0) -> list[ArticleSummary]:
        n_events = (select(func.count()).where(events.c.article_id == articles.c.article_id,
                                               events.c.kind == "report").scalar_subquery())
        stmt = (select(articles.c.article_id, articles.c.title, articles.c.outlet, articles.c.published,
                       articles.c.language, articles.c.n_chars, n_events.label("n_events"))
                .order_by(articles.c.ingested_at, articles.c.article_id).limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [ArticleSummary(**row._mapping) for row in conn.execute(stmt)]

    # --- events -----------------------------------------------------------------------------------

    def get_event(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(event_records.c.record).where(event_records.c.event_id == event_id)).first()
        return Event.model_validate_json(row.record) if row else None

    def events_for_article(self, article_id: str) -> list[Event]:
        stmt = (select(RECORD).join_from(events, event_records).where(events.c.article_id == article_id, events.c.kind == "report")
                .order_by(events.c.background, events.c.event_date, events.c.event_id))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def query_events(self, q: EventQuery, total: int | None = None) -> list[Event]:
        """A page of events. `total` (from count_events) tells whether the matches are dense enough for
        walking the date index: for a few hundred matches in 100,000 events, sorting them is faster."""
        order = {
            "date": (events.c.event_date.asc(), events.c.event_id),
            "-date": (events.c.event_date.desc(), events.c.event_id),
            "fatalities": (events.c.fatalities.asc(), events.c.event_id),
            "-fatalities": (events.c.fatalities.desc(), events.c.event_id),
        }[q.order]
        if total is not None and total <= q.offset:
            return []
        sparse = total is not None and total < SPARSE
        stmt = (select(RECORD).join_from(events, event_records).where(*self._filters(q, counting=sparse))
                .order_by(*order).limit(q.limit).offset(q.offset))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def count_events(self, q: EventQuery, cap: int | None = None) -> int:
        """How many events match; with a cap, counting stops there (a page needs no exact 60,000)."""
        matching = select(events.c.event_id).where(*self._filters(q, counting=True))
        if cap is not None:
            matching = matching.limit(cap)
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(matching.subquery())).scalar_one()

    def iter_events(self, kind: str = "report") -> Iterator[Event]:
        """Every event of a kind, streamed in date order."""
        stmt = (select(RECORD).join_from(events, event_records).where(events.c.kind == kind)
                .order_by(events.c.event_date, events.c.event_id))
        with self.engine.connect() as conn:
            for row in conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt):
                yield Event.model_validate_json(row.record)

    def all_reports(self) -> Iterator[Event]:
        return self.iter_events("report")

    def stats(self, q: EventQuery, by: str) -> list[dict]:
        """Counts and fatality sums by day, week, month, event_type, admin1 or actor (actor1)."""
        if by in ("day", "week", "month"):
            key = self._period(by)
        else:
            key = {"event_type": events.c.event_type, "sub_event_type": events.c.sub_event_type,
                   "admin1": events.c.admin1, "actor": events.c.actor1, "country": events.c.country}[by]
        stmt = (select(key.label("key"), func.count().label("events"),
                       func.coalesce(func.sum(events.c.fatalities), 0).label("fatalities"))
                .where(*self._filters(q, counting=True)).group_by(key).order_by(key))
        with self.engine.connect() as conn:
            return [{"key": (str(r.key) if r.key is not None else None), "events": r.events,
                     "fatalities": int(r.fatalities)} for r in conn.execute(stmt)]

    def get_events(self, event_ids: Iterable[str]) -> list[Event]:
        ids = list(dict.fromkeys(event_ids))
        found: dict[str, Event] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(ids):
                for row in conn.execute(select(event_records.c.event_id, RECORD).where(
                        event_records.c.event_id.in_(chunk))):
                    found[row.event_id] = Event.model_validate_json(row.record)
        return [found[i] for i in ids if i in found]

    def unfused_reports(self) -> list[Event]:
        """Reports not yet part of any fused event (new, re-coded, or left by an interrupted run)."""
        linked = select(report_links.c.report_id).where(report_links.c.report_id == events.c.event_id)
        stmt = (select(RECORD).join_from(events, event_records).where(events.c.kind == "report", ~linked.exists())
                .order_by(events.c.event_date, events.c.event_id))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def fused_between(self, since: dt.date, until: dt.date) -> list[Event]:
        """Fused events whose dates overlap [since, until]."""
        c = events.c
        stmt = (select(RECORD).join_from(events, event_records).where(c.kind == "fused", c.event_date <= until,
                                       func.coalesce(c.date_end, c.event_date) >= since)
                .order_by(c.event_date, c.event_id))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def fused_undated(self) -> list[Event]:
        stmt = select(RECORD).join_from(events, event_records).where(events.c.kind == "fused", events.c.event_date.is_(None))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def fused_by_report(self) -> dict[str, str]:
        """report id -> fused event id, for every linked report."""
        with self.engine.connect() as conn:
            return {r.report_id: r.fused_id for r in conn.execute(select(report_links))}

    def count_multi_source(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events).where(
                events.c.kind == "fused", events.c.n_sources > 1)).scalar_one()

    def count_kind(self, kind: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events).where(events.c.kind == kind)).scalar_one()

    def replace_fused(self, fused: list[Event]) -> None:
        """Replace every fused event (a full re-fuse) in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(events).where(events.c.kind == "fused"))
            self._insert_events(conn, fused, kind="fused")

    def upsert_fused(self, fused: list[Event], removed_ids: Iterable[str] = ()) -> None:
        """Write changed fused events and drop those that no longer exist, in one transaction."""
        ids = [e.event_id for e in fused] + list(removed_ids)
        with self.engine.begin() as conn:
            for chunk in chunks(ids):
                conn.execute(delete(events).where(events.c.event_id.in_(chunk), events.c.kind == "fused"))
            self._insert_events(conn, fused, kind="fused")

    # --- internals --------------------------------------------------------------------------------

    def _insert_article(self, conn: Connection, article: Article) -> bool:
        exists = conn.execute(select(articles.c.article_id).where(or_(
            articles.c.article_id == article.article_id,
            articles.c.content_hash == article.content_hash)).limit(1)).first()
        if exists:
            if exists.article_id == article.article_id:
                # Same id: keep the stored text, refresh what cleaning derives from it.
                conn.execute(update(articles).where(articles.c.article_id == article.article_id).values(
                    title=article.title, outlet=article.outlet, published=article.published,
                    language=article.language, record=article.model_dump_json()))
            return False
        conn.execute(insert(articles).values(
            article_id=article.article_id, content_hash=article.content_hash, title=article.title,
            outlet=article.outlet, url=article.url, published=article.published,
            published_source=article.published_source, language=article.language,
            source_path=article.source_path, source_format=article.source_format, n_chars=len(article.text),
            record=article.model_dump_json(), ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        return True

    def _replace_reports(self, conn: Connection, article_id: str, events_: list[Event]) -> None:
        conn.execute(delete(events).where(events.c.article_id == article_id, events.c.kind == "report"))
        self._insert_events(conn, events_, kind="report", article_id=article_id)

    def _insert_events(self, conn: Connection, events_: list[Event], *, kind: str,
                       article_id: str | None = None) -> None:
        if not events_:
            return
        rows, record_rows, source_rows, claim_rows, evidence_rows, links = [], [], [], [], [], []
        for e in events_:
            rows.append(dict(
                event_id=e.event_id, kind=kind,
                article_id=article_id if kind == "report" else None,
                event_date=e.event_date, date_end=e.date_end, country=e.country, admin1=e.admin1,
                admin2=e.admin2, location=e.location, latitude=e.latitude, longitude=e.longitude,
                event_type=e.event_type, sub_event_type=e.sub_event_type, actor1=e.actor1, actor2=e.actor2,
                assoc_actors="; ".join(a for a in (e.assoc_actor_1, e.assoc_actor_2) if a) or None,
                fatalities=e.fatalities, background=e.background, notes=e.notes, confidence=e.confidence,
                n_sources=len(e.sources)))
            record_rows.append(dict(event_id=e.event_id, record=e.model_dump_json()))
            seen_sources = set()
            for s in e.sources:
                if s.article_id not in seen_sources:
                    seen_sources.add(s.article_id)
                    source_rows.append(dict(event_id=e.event_id, article_id=s.article_id, outlet=s.outlet,
                                            published=s.published))
            claim_rows += [dict(event_id=e.event_id, field=c.field, value=json.dumps(c.value),
                                claimed_by=c.claimed_by, article_id=c.article_id, outlet=c.outlet, quote=c.quote,
                                start=c.start, end=c.end) for c in e.claims]
            evidence_rows += [dict(event_id=e.event_id, field=v.field, article_id=v.article_id, start=v.start,
                                   end=v.end, text=v.text) for v in e.evidence]
            links += [dict(fused_id=e.event_id, report_id=r) for r in dict.fromkeys(e.report_ids)]
        for table, batch in ((events, rows), (event_records, record_rows), (event_sources, source_rows), (claims, claim_rows),
                             (evidence, evidence_rows), (report_links, links)):
            for chunk in chunks(batch):
                conn.execute(insert(table), chunk)

    def _period(self, by: str):
        if self.engine.dialect.name == "postgresql":
            return func.to_char(func.date_trunc(by, events.c.event_date), "YYYY-MM-DD")
        fmt = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m"}[by]
        return func.strftime(fmt, events.c.event_date)

    def _contains(self, column, text: str):
        """Case-insensitive substring match; SQLite's LIKE already ignores (ASCII) case, and lower() on
        every row costs a third of a scan."""
        if self.engine.dialect.name == "sqlite":
            return column.contains(text, autoescape=True)
        return column.icontains(text, autoescape=True)

    def _same(self, column, value: str):
        """Case-insensitive equality (a LIKE without wildcards on SQLite: no lower() per row)."""
        if self.engine.dialect.name == "sqlite":
            escaped = value.replace("/", "//").replace("%", "/%").replace("_", "/_")
            return column.like(escaped, escape="/")
        return func.lower(column) == value.lower()

    def _filters(self, q: EventQuery, counting: bool = False) -> list:
        c = events.c
        # The (kind, date) index serves a date window, and a page in date order (walked until it is full);
        # to count other filters SQLite would walk it and fetch rows one by one, several times slower than
        # scanning the narrow table: `kind || ''` keeps the planner off it.
        use_index = bool(q.since or q.until) or (not counting and q.order in ("date", "-date"))
        conds = [c.kind == q.kind if use_index else c.kind.concat("") == q.kind]
        if q.since:
            # An event with a date range may start before `since`; ranges are at most LONGEST_RANGE days,
            # so a bounded (indexable) lower limit on event_date finds them all.
            conds.append(c.event_date >= q.since - dt.timedelta(days=LONGEST_RANGE))
            conds.append(or_(c.event_date >= q.since, c.date_end >= q.since))
        if q.until:
            conds.append(c.event_date <= q.until)
        if q.country:
            conds.append(self._same(c.country, q.country))
        if q.admin1:
            conds.append(self._same(c.admin1, q.admin1))
        if q.event_type:
            conds.append(or_(self._same(c.event_type, q.event_type), self._same(c.sub_event_type, q.event_type)))
        if q.sub_event_type:
            conds.append(self._same(c.sub_event_type, q.sub_event_type))
        if q.actor:
            conds.append(or_(*(self._contains(col, q.actor) for col in (c.actor1, c.actor2, c.assoc_actors))))
        if q.text:
            conds.append(or_(*(self._contains(col, q.text) for col in (c.notes, c.location, c.actor1, c.actor2))))
        if q.bbox:
            min_lon, min_lat, max_lon, max_lat = q.bbox
            conds.append(and_(c.longitude >= min_lon, c.longitude <= max_lon,
                              c.latitude >= min_lat, c.latitude <= max_lat))
        if q.min_fatalities is not None:
            conds.append(c.fatalities >= q.min_fatalities)
        if q.background is not None:
            conds.append(c.background == q.background)
        if q.article_id:
            conds.append(c.event_id.in_(select(event_sources.c.event_id)
                                        .where(event_sources.c.article_id == q.article_id)))
        from eventwatch.store.search import conditions as search_conditions

        conds += search_conditions(self.engine.dialect.name, q)
        return conds


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_store(url_or_path: str = "eventwatch.db") -> Store:
    """Open (creating and migrating as needed) the database at a path (SQLite) or URL."""
    engine = make_engine(url_or_path)
    with engine.begin() as conn:
        migrate(conn)
    return Store(engine)
