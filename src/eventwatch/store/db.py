"""The store stage: articles and events in SQL (SQLite by default, PostgreSQL by URL), same code.

Writes go in batches, one transaction per batch, with a savepoint per article when a batch must be taken
apart: an article is stored with all its events or not at all, so a crash or Ctrl-C never leaves half an
article. Inserts are idempotent (INSERT ... ON CONFLICT DO NOTHING), so two writers on one database never
die on a unique constraint. Re-storing the same text adds nothing (content hash); the same text under
another id is an alias; another text under a taken id is refused here (the engines give it a derived id
before coding, see `derived_id`); re-coding an article replaces its events atomically.

Schema creation and migration run under a lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL) inside one transaction: a kill during creation leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import and_, create_engine, delete, event, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from eventwatch.records import Article, Event
from eventwatch.store.query import Block, EventQuery
from eventwatch.store.rows import TABLES, Prepared, event_rows, prepare
from eventwatch.store.schema import (
    article_aliases,
    articles,
    claims,
    event_records,
    event_sources,
    events,
    evidence,
    pending_reports,
    report_links,
)

BATCH = 500
RECORD = event_records.c.record
SPARSE = 3000  # matches: below this, a page is sorted rather than walked in date order
LONGEST_RANGE = 62  # days: the longest date range an event has (a month, with the fuse window around it)
HEAD = "0008"  # the newest migration shipped (tests/store check it against Alembic's head)
MIGRATION_LOCK = 7_406_221  # PostgreSQL advisory lock key taken while the schema is created or migrated
FUSION_LOCK = 7_406_222  # PostgreSQL advisory lock key held while reports are fused (Store.fusion_lock)
TABLE_OF = {"events": events, "event_records": event_records, "event_sources": event_sources,
            "claims": claims, "evidence": evidence, "report_links": report_links}


class StoreError(Exception):
    """A database that cannot be opened or used; the message is one line naming it and the reason."""


@dataclass
class Outcome:
    """What saving one article did: "new", "recoded", "unchanged" (same text, same id), "alias" (same text
    stored under `stored_as`), "taken" (another text holds this id: nothing written) or "failed"."""

    status: str
    stored_as: str | None = None
    reason: str = ""


def derived_id(article_id: str, content_hash: str) -> str:
    """The id a second, different text under a taken id is stored as: stable for that text."""
    return f"{article_id}~{content_hash[:8]}"


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
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

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
            # The driver's own transaction handling is off (it would commit DDL on its own and breaks
            # savepoints); SQLAlchemy's "begin" event below emits BEGIN itself.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # a larger page cache (32 MB, the default is 2 MB) for the writer's inserts into the growing
            # indexes and full-text tables: fewer pages read back and rewritten per batch
            cursor.execute("PRAGMA cache_size=-32768")
            cursor.close()

        @event.listens_for(engine, "begin")
        def sqlite_begin(conn):
            # A writer takes the write lock at BEGIN (IMMEDIATE): a deferred transaction that upgrades
            # later can fail at once with "database is locked" when another writer went first.
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """A database of articles and events. Thin: an engine and the operations below."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._insert_plans: dict[tuple, tuple] = {}  # (table, columns) -> (SQL, bind processors): _insert_many

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

    @contextlib.contextmanager
    def fusion_lock(self) -> Iterator[None]:
        """Held by one fusion at a time across every process on this database (several `run`s, the
        workers of `serve --workers N`, a watcher): a fusion reads the pending reports and the fused
        events near them, then writes, so two at once would each write clusters the other has not seen
        (a report in two fused events, or a link lost). PostgreSQL: a session advisory lock; SQLite: an
        exclusive lock on `<database>-fuse.lock` next to the file (released by the kernel if the
        process dies); an in-memory database has one process, nothing to lock."""
        url = self.engine.url
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": FUSION_LOCK})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": FUSION_LOCK})
                    conn.commit()
            return
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            yield
            return
        import fcntl

        with open(f"{url.database}-fuse.lock", "a+b") as fh:  # never deleted: a deleted lock file races
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite), committed at the end, rolled back on error."""
        with self.engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
            yield conn

    def add_article(self, article: Article) -> bool:
        """Store an article (no events). False, and nothing written, if it is already stored."""
        return self.save_prepared([prepare(article, None)])[0].status == "new"

    def save_article(self, article: Article, events_: list[Event]) -> bool:
        """In one transaction: the article (if new) and its reports, replacing any it had. True if new."""
        outcome = self.save_prepared([prepare(article, events_)], replace=True)[0]
        if outcome.status == "failed":
            raise StoreError(f"{article.article_id}: {outcome.reason}")
        return outcome.status == "new"

    def replace_reports(self, article_id: str, events_: list[Event]) -> None:
        with self.writing() as conn:
            self._replace_reports(conn, [article_id], event_rows(events_, kind="report", article_id=article_id))

    def known(self, ids: Iterable[str], hashes: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Which of these article ids and content hashes are stored: (id -> its hash, hash -> its id)."""
        by_id: dict[str, str] = {}
        by_hash: dict[str, str] = {}
        with self.engine.connect() as conn:
            for column, values in ((articles.c.article_id, list(dict.fromkeys(ids))),
                                   (articles.c.content_hash, list(dict.fromkeys(hashes)))):
                for chunk in chunks(values):
                    for r in conn.execute(select(articles.c.article_id, articles.c.content_hash)
                                          .where(column.in_(chunk))):
                        by_id[r.article_id] = r.content_hash
                        by_hash[r.content_hash] = r.article_id
        return by_id, by_hash

    def save_prepared(self, batch: list[Prepared], *, replace: bool = False) -> list[Outcome]:
        """Store a batch of prepared articles in one transaction, each all or nothing.

        A new article is inserted with its reports (marked pending fusion); the same text under its own id
        is left alone, or with `replace` re-coded (its reports replaced); the same text under another id
        becomes an alias; another text under a taken id is refused ("taken"). One outcome per article,
        in order. If the batch fails as a whole, each article is retried in a savepoint of its own, so
        that a bad one fails alone."""
        if not batch:
            return []
        with self.writing() as conn:
            try:
                with conn.begin_nested():
                    return self._save_bulk(conn, batch, replace)
            except (DBAPIError, SQLAlchemyError):
                pass
            outcomes = []
            for p in batch:
                try:
                    with conn.begin_nested():
                        outcomes.append(self._save_bulk(conn, [p], replace)[0])
                except (DBAPIError, SQLAlchemyError) as exc:
                    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
                    outcomes.append(Outcome("failed", reason=f"not stored ({type(exc).__name__}: {reason})"))
            return outcomes

    def _ignore_insert(self, table):
        """INSERT ... ON CONFLICT DO NOTHING in this database's dialect."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert(table).on_conflict_do_nothing()

    def _save_bulk(self, conn: Connection, batch: list[Prepared], replace: bool) -> list[Outcome]:
        stmt = self._ignore_insert(articles).returning(articles.c.article_id)
        inserted = set(conn.execute(stmt, stamped([p.article for p in batch])).scalars())
        rest = [p for p in batch if p.article_id not in inserted]
        by_id: dict[str, str] = {}
        by_hash: dict[str, str] = {}
        if rest:
            for chunk in chunks(rest):
                for r in conn.execute(select(articles.c.article_id, articles.c.content_hash).where(or_(
                        articles.c.article_id.in_([p.article_id for p in chunk]),
                        articles.c.content_hash.in_([p.content_hash for p in chunk])))):
                    by_id[r.article_id] = r.content_hash
                    by_hash[r.content_hash] = r.article_id
        outcomes: list[Outcome] = []
        write: list[Prepared] = []
        recoded: list[Prepared] = []
        aliases: list[dict] = []
        claimed: dict[str, str] = {}  # id -> hash written by this batch (a batch may hold one article twice)
        claimed_hash: dict[str, str] = {}
        for p in batch:
            if p.article_id in inserted and p.article_id not in claimed:
                claimed[p.article_id], claimed_hash[p.content_hash] = p.content_hash, p.article_id
                outcomes.append(Outcome("new", p.article_id))
                write.append(p)
                continue
            stored_hash = claimed.get(p.article_id) or by_id.get(p.article_id)
            holder = claimed_hash.get(p.content_hash) or by_hash.get(p.content_hash)
            if stored_hash == p.content_hash:
                if replace and p.events is not None and p.article_id not in claimed:
                    claimed[p.article_id], claimed_hash[p.content_hash] = p.content_hash, p.article_id
                    outcomes.append(Outcome("recoded", p.article_id))
                    recoded.append(p)
                else:
                    outcomes.append(Outcome("unchanged", p.article_id))
            elif holder is not None:
                aliases.append(dict(alias_id=p.article_id, article_id=holder))
                outcomes.append(Outcome("alias", holder))
            else:
                outcomes.append(Outcome("taken", None, f"the id {p.article_id!r} holds another text"))
        if aliases:
            conn.execute(self._ignore_insert(article_aliases), aliases)
        for p in recoded:
            record = {k: p.article[k] for k in ("title", "outlet", "published", "language", "record")}
            conn.execute(update(articles).where(articles.c.article_id == p.article_id).values(**record))
        if recoded:
            self._delete_reports(conn, [p.article_id for p in recoded])
        rows = {t: [r for p in write + recoded if p.events for r in p.events[t]] for t in TABLES}
        self._insert_rows(conn, rows, pending=True)
        return outcomes

    def _delete_reports(self, conn: Connection, article_ids: list[str]) -> None:
        for chunk in chunks(article_ids):
            conn.execute(delete(events).where(events.c.article_id.in_(chunk), events.c.kind == "report"))

    def _replace_reports(self, conn: Connection, article_ids: list[str], rows: dict[str, list[dict]]) -> None:
        self._delete_reports(conn, article_ids)
        self._insert_rows(conn, rows, pending=True)

    def _insert_rows(self, conn: Connection, rows: dict[str, list[dict]], *, pending: bool = False) -> None:
        for name in TABLES:
            self._insert_many(conn, TABLE_OF[name], rows.get(name) or [])
        if pending:
            self._insert_many(conn, pending_reports, [{"report_id": r["event_id"]} for r in rows.get("events") or []])

    def _insert_many(self, conn: Connection, table, rows: list[dict]) -> None:
        """INSERT rows (dicts with the same keys) into `table`. On SQLite, one executemany of the driver
        with the values bound by the columns' own SQLAlchemy processors (the same stored values as a Core
        insert, without its per-row parameter processing: a third of the writer's time); elsewhere a
        Core insert per chunk."""
        if not rows:
            return
        if self.engine.dialect.name != "sqlite":
            for chunk in chunks(rows):
                conn.execute(insert(table), chunk)
            return
        names = tuple(rows[0])
        key = (table.name, names)
        plan = self._insert_plans.get(key)
        if plan is None:
            dialect = self.engine.dialect
            quote = dialect.identifier_preparer.quote
            sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                   f"VALUES ({', '.join('?' * len(names))})")
            processors = [(i, f) for i, n in enumerate(names)
                          if (f := table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
            getter = operator.itemgetter(*names) if len(names) > 1 else (lambda row, n=names[0]: (row[n],))
            plan = self._insert_plans[key] = (sql, getter, processors)
        sql, getter, processors = plan
        if processors:
            params = []
            for row in rows:
                values = list(getter(row))
                for i, f in processors:
                    if values[i] is not None:
                        values[i] = f(values[i])
                params.append(tuple(values))
        else:
            params = [getter(row) for row in rows]
        conn.exec_driver_sql(sql, params)

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id (or of which this id is an alias)."""
        alias = select(article_aliases.c.article_id).where(article_aliases.c.alias_id == article_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.record).where(or_(
                articles.c.article_id == article_id, articles.c.article_id.in_(alias)))).first()
        return Article.model_validate_json(row.record) if row else None

    def add_alias(self, alias_id: str, content_hash: str) -> bool:
        """Record that `alias_id` names the stored article with this text; False if nothing to do."""
        with self.writing() as conn:
            row = conn.execute(select(articles.c.article_id).where(articles.c.content_hash == content_hash)).first()
            if row is None or row.article_id == alias_id:
                return False
            # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT
            done = conn.execute(self._ignore_insert(article_aliases).values(
                alias_id=alias_id, article_id=row.article_id).returning(article_aliases.c.alias_id))
            return done.first() is not None

    def add_aliases(self, pairs: Iterable[tuple[str, str]]) -> int:
        """`add_alias` for many (alias id, content hash) pairs in one transaction; how many were new."""
        n = 0
        with self.writing() as conn:
            for alias_id, content_hash in pairs:
                row = conn.execute(select(articles.c.article_id).where(articles.c.content_hash == content_hash)).first()
                if row is not None and row.article_id != alias_id:
                    n += conn.execute(self._ignore_insert(article_aliases).values(
                        alias_id=alias_id, article_id=row.article_id).returning(article_aliases.c.alias_id)
                    ).first() is not None
        return n

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

    def stored_times(self, event_ids: Iterable[str]) -> dict[str, dt.datetime]:
        """When each of these events was first stored (naive UTC): the time its earliest source article was
        stored. Re-fusing or re-coding an event keeps it; an event with no stored source is left out."""
        ids = list(dict.fromkeys(event_ids))
        out: dict[str, dt.datetime] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(ids):
                stmt = (select(event_sources.c.event_id, func.min(articles.c.ingested_at).label("at"))
                        .join(articles, articles.c.article_id == event_sources.c.article_id)
                        .where(event_sources.c.event_id.in_(chunk)).group_by(event_sources.c.event_id))
                for r in conn.execute(stmt):
                    out[r.event_id] = r.at if isinstance(r.at, dt.datetime) else dt.datetime.fromisoformat(str(r.at))
        return out

    def all_reports(self) -> Iterator[Event]:
        return self.iter_events("report")

    def reports_in_date_order(self) -> Iterator[Event]:
        """Every report, streamed: the dated ones by (event_date, event_id), then the undated ones by id (the
        order fuse.fuse_stream reads; SQLite and PostgreSQL place NULL dates at opposite ends)."""
        c = events.c
        base = select(RECORD).join_from(events, event_records).where(c.kind == "report")
        for stmt in (base.where(c.event_date.is_not(None)).order_by(c.event_date, c.event_id),
                     base.where(c.event_date.is_(None)).order_by(c.event_id)):
            with self.engine.connect() as conn:
                for row in conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt):
                    yield Event.model_validate_json(row.record)

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

    def fused_heads(self, event_ids: Iterable[str]) -> list[tuple[str, dt.date | None, list[str]]]:
        """(id, event_date, report ids founder first) of these fused events, in the order given: the report
        ids taken out of the stored JSON by the database (a fused record holds every member's claims and
        evidence; parsing whole records to read this was most of an incremental fusion's reading)."""
        ids = list(dict.fromkeys(event_ids))
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy import JSON, cast

            members = func.json_extract_path_text(cast(RECORD, JSON), "report_ids")
        else:
            members = func.json_extract(RECORD, "$.report_ids")
        found: dict[str, tuple] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(ids):
                for row in conn.execute(select(events.c.event_id, events.c.event_date, members.label("members"))
                                        .join_from(events, event_records).where(events.c.event_id.in_(chunk))):
                    found[row.event_id] = (row.event_id, row.event_date, json.loads(row.members or "[]"))
        return [found[i] for i in ids if i in found]

    def unfused_reports(self, articles: Iterable[str] | None = None) -> list[Event]:
        """Reports not yet part of any fused event (new, re-coded, or left by an interrupted run): those
        marked pending when written, read by their key (no scan of every report), in date order.

        With `articles`, only the pending reports of those articles, found by the index on the reports'
        article (a fusion of the articles stored since the last one reads what they hold, not every pending
        report: with the Ray engine's workers writing ahead of the driver, that was all of them each time)."""
        stmt = (select(RECORD).join_from(pending_reports, events, pending_reports.c.report_id == events.c.event_id)
                .join(event_records, event_records.c.event_id == events.c.event_id))
        with self.engine.connect() as conn:
            if articles is None:
                return [Event.model_validate_json(r.record)
                        for r in conn.execute(stmt.order_by(events.c.event_date, events.c.event_id))]
            out = [Event.model_validate_json(r.record) for chunk in chunks(sorted(set(articles)))
                   for r in conn.execute(stmt.where(events.c.article_id.in_(chunk)))]
        return sorted(out, key=lambda e: (e.event_date is None, e.event_date or dt.date.min, e.event_id))

    def count_pending(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(pending_reports)).scalar_one()

    def fused_between(self, since: dt.date, until: dt.date) -> list[Event]:
        """Fused events whose dates overlap [since, until]."""
        c = events.c
        # the lower bound keeps the (kind, event_date) index scan to the window: without it, the scan
        # would run from the first stored day (events span at most LONGEST_RANGE days)
        stmt = (select(RECORD).join_from(events, event_records).where(
                    c.kind == "fused", c.event_date <= until,
                    c.event_date >= since - dt.timedelta(days=LONGEST_RANGE),
                    func.coalesce(c.date_end, c.event_date) >= since)
                .order_by(c.event_date, c.event_id))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def fused_undated(self) -> list[Event]:
        stmt = select(RECORD).join_from(events, event_records).where(events.c.kind == "fused", events.c.event_date.is_(None))
        with self.engine.connect() as conn:
            return [Event.model_validate_json(r.record) for r in conn.execute(stmt)]

    def fused_near(self, blocks: Iterable[Block]) -> set[str]:
        """The ids of the fused events one of whose stored reports lies in one of the blocks: one indexed
        range query per block (ix_events_fusion holds every column it tests), so that the cost follows the
        blocks' neighbourhoods, not the database. Date ranges are taken as `fuse.date_range` takes them: a
        report's range ends on its date_end, or on its event_date (a month always has its date_end:
        records.Event); ranges longer than LONGEST_RANGE days are not looked for (as in `fused_between`)."""
        c, link = events.c, report_links.c
        out: set[str] = set()
        with self.engine.connect() as conn:
            # a database's first fusion has nothing to join: one look instead of a query per block
            if conn.execute(select(link.report_id).limit(1)).first() is None:
                return out
            for b in blocks:
                for where in block_conditions(b):
                    exact = (select(link.fused_id).join_from(events, report_links, link.report_id == c.event_id)
                             .where(*where, c.event_date <= b.until,
                                    c.event_date >= b.since - dt.timedelta(days=LONGEST_RANGE),
                                    or_(c.event_date >= b.since, c.date_end >= b.since)))
                    out.update(conn.execute(exact).scalars())
        return out

    def fused_of_articles(self, article_ids: Iterable[str]) -> set[str]:
        """The ids of the fused events that name one of these articles among their sources (an index look-up):
        those that hold, or held before a re-coding, one of its reports."""
        es = event_sources.c
        named: set[str] = set()
        out: set[str] = set()
        with self.engine.connect() as conn:
            # two look-ups, not a join: joined, SQLite walks every fused event (the kind index) instead
            for chunk in chunks(list(dict.fromkeys(article_ids))):
                named.update(conn.execute(select(es.event_id).where(es.article_id.in_(chunk))).scalars())
            for chunk in chunks(sorted(named)):
                out.update(conn.execute(select(events.c.event_id).where(
                    events.c.event_id.in_(chunk), events.c.kind == "fused")).scalars())
        return out

    def fused_by_report(self) -> dict[str, str]:
        """report id -> fused event id, for every linked report."""
        with self.engine.connect() as conn:
            return {r.report_id: r.fused_id for r in conn.execute(select(report_links))}

    def fused_of_reports(self, report_ids: Iterable[str]) -> dict[str, str]:
        """report id -> fused event id, for these reports only (an index look-up, not the whole table)."""
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(list(dict.fromkeys(report_ids))):
                out |= {r.report_id: r.fused_id for r in conn.execute(
                    select(report_links).where(report_links.c.report_id.in_(chunk)))}
        return out

    def count_multi_source(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events).where(
                events.c.kind == "fused", events.c.n_sources > 1)).scalar_one()

    def count_kind(self, kind: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events).where(events.c.kind == kind)).scalar_one()

    def replace_fused(self, fused: Iterable[Event]) -> None:
        """Replace every fused event (a full re-fuse) in one transaction; nothing is pending after it. `fused`
        may be a stream (it is written BATCH at a time, and may read this store while it is consumed)."""
        with self.writing() as conn:
            conn.execute(delete(events).where(events.c.kind == "fused"))
            conn.execute(delete(pending_reports))
            batch: list[Event] = []
            for event in fused:
                batch.append(event)
                if len(batch) >= BATCH:
                    self._insert_rows(conn, event_rows(batch, kind="fused"))
                    batch = []
            self._insert_rows(conn, event_rows(batch, kind="fused"))

    def upsert_fused(self, fused: list[Event], removed_ids: Iterable[str] = (), done: Iterable[str] = ()) -> None:
        """Write changed fused events, drop those that no longer exist and mark the reports in `done` as
        fused, in one transaction."""
        ids = [e.event_id for e in fused] + list(removed_ids)
        with self.writing() as conn:
            for chunk in chunks(ids):
                conn.execute(delete(events).where(events.c.event_id.in_(chunk), events.c.kind == "fused"))
            self._insert_rows(conn, event_rows(fused, kind="fused"))
            for chunk in chunks(list(done)):
                conn.execute(delete(pending_reports).where(pending_reports.c.report_id.in_(chunk)))

    # --- internals --------------------------------------------------------------------------------

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
        if q.stored_since is not None:
            conds += stored_since_conditions(q.stored_since)
        from eventwatch.store.search import conditions as search_conditions

        conds += search_conditions(self.engine.dialect.name, q)
        return conds


def block_conditions(b: Block) -> list[list]:
    """The WHERE terms of Store.fused_near for one block, as one list per statement: an unknown country is
    two statements (NULL, ""), so that each one is an equality on the index's second column."""
    c = events.c
    types = [t for t in b.event_types if t is not None]
    typed = [c.event_type.in_(types)] if types else []
    if None in b.event_types:
        typed = [or_(*typed, c.event_type.is_(None))]
    where = [c.kind == "report", *typed]
    if b.admin1_in is not None:
        named = [a for a in b.admin1_in if a]
        where.append(or_(c.admin1.in_(named), c.admin1.is_(None), c.admin1 == "") if "" in b.admin1_in
                     else c.admin1.in_(named))
    countries = [c.country == b.country] if b.country else [c.country.is_(None), c.country == ""]
    return [[*where, country] for country in countries]


def stored_since_conditions(moment: dt.datetime) -> list:
    """Events first stored at or after `moment` (naive UTC): one of their sources was stored since then
    (found from the index on ingested_at: the few articles stored since, not every article) and none
    before (an old event that gains a new source is not new)."""
    a, es = articles.c, event_sources.c
    recent = select(es.event_id).join(articles, a.article_id == es.article_id).where(a.ingested_at >= moment)
    older = (select(es.event_id).join(articles, a.article_id == es.article_id)
             .where(es.event_id == events.c.event_id, a.ingested_at < moment))
    return [events.c.event_id.in_(recent), ~older.exists()]


def stamped(rows: list[dict]) -> list[dict]:
    """Article rows with the time the writer stores them, strictly increasing in the batch's order (so
    that listing by ingestion time lists in input order, whichever process coded them)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return [{**r, "ingested_at": now + dt.timedelta(microseconds=i)} for i, r in enumerate(rows)]


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_store(url_or_path: str = "eventwatch.db") -> Store:
    """Open (creating and migrating as needed) the database at a path (SQLite) or URL.

    Raises StoreError, with a one-line message naming the database and the reason, for a path that is a
    folder or not a database, or a server that cannot be reached. Creation and migration hold a lock
    (BEGIN IMMEDIATE / an advisory lock) and run in one transaction, so that two processes opening a
    fresh database at once create it once, and a kill leaves it as it was."""
    if "://" not in url_or_path:
        path = Path(url_or_path).expanduser()
        if path.is_dir():
            raise StoreError(f"{url_or_path}: is a folder, not a database file")
        if not path.parent.exists():
            raise StoreError(f"{url_or_path}: the folder {str(path.parent)!r} does not exist")
    try:
        engine = make_engine(url_or_path)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise StoreError(f"{url_or_path}: not a database URL eventwatch can use ({one_line(exc)})") from exc
    try:
        if schema_version(engine) != HEAD:
            with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                if not create_sqlite_schema(conn):
                    migrate(conn)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"{url_or_path}: cannot be opened as a database ({one_line(exc)})") from exc
    return Store(engine)


SQLITE_SCHEMA = "sqlite_schema.json"  # in store/migrations: the schema of a new SQLite database at HEAD


def create_sqlite_schema(conn: Connection) -> bool:
    """On a new, empty SQLite database (inside the caller's locked transaction): create the schema at HEAD
    from the statements shipped in migrations/sqlite_schema.json, which are those the migrations leave
    (tests/store check it against a migrated database), and stamp it with HEAD. Loading Alembic and
    running every migration cost a sixth of a second of each new database. False, and nothing done, for
    another database, one not empty, or a shipped schema of another revision: then migrate."""
    if conn.dialect.name != "sqlite" or conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
        return False
    import json
    from importlib.resources import files

    shipped = json.loads((files("eventwatch.store") / "migrations" / SQLITE_SCHEMA).read_text(encoding="utf-8"))
    if shipped.get("revision") != HEAD:
        return False
    for statement in shipped["statements"]:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD,))
    return True


def sqlite_schema_statements(conn: Connection) -> list[str]:
    """The statements that create a SQLite database's schema: its tables and virtual tables in the order
    they were made, then its indexes and triggers by name (Alembic makes a table's indexes in no fixed
    order); without SQLite's own tables, the shadow tables of FTS5 (made by their virtual table) and the
    indexes of constraints (made by their table)."""
    rows = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").all()
    virtual = [name for _type, name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    kept = [(type_, name, sql) for type_, name, sql in rows
            if sql and not name.startswith("sqlite_")
            and not (type_ == "table" and any(name.startswith(f"{v}_") for v in virtual))]
    rank = {"table": 0, "index": 1, "trigger": 2, "view": 3}
    return [sql for i, (type_, name, sql) in sorted(enumerate(kept), key=lambda x: (
        rank.get(x[1][0], 4), x[0] if x[1][0] == "table" else 0, x[1][1]))]


def write_sqlite_schema(path: str | Path | None = None) -> Path:
    """Migrate a new in-memory SQLite database to HEAD and write its schema to migrations/sqlite_schema.json
    (after adding a migration: tests/store/test_writers.py says when it is due)."""
    import json

    target = Path(path) if path else Path(__file__).with_name("migrations") / SQLITE_SCHEMA
    engine = make_engine("sqlite://")
    with engine.connect() as conn, conn.begin():
        migrate(conn)
        statements = [s for s in sqlite_schema_statements(conn) if "alembic_version" not in s]
        statements.insert(0, next(s for s in sqlite_schema_statements(conn) if "alembic_version" in s))
    engine.dispose()
    target.write_text(json.dumps({"revision": HEAD, "statements": statements}, indent=1) + "\n", encoding="utf-8")
    return target


def schema_version(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for a new database), read without a write lock."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").first()
        else:
            exists = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def one_line(exc: BaseException) -> str:
    """The driver's own message, first line, without SQLAlchemy's background links."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
