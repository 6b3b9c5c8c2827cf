"""Rows for the store, made from coded records without a database: a worker process prepares them so that
the one writer only runs SQL (plain dicts pickle several times faster than pydantic models)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from eventwatch.records import Article, Event, month_end

TABLES = ("events", "event_records", "event_sources", "claims", "evidence", "report_links")


@dataclass
class Prepared:
    """One coded article as rows: `events` is None for an article stored without coding (`ingest`)."""

    article_id: str
    content_hash: str
    article: dict
    events: dict[str, list[dict]] | None = None
    n_events: int = 0
    language: str | None = None
    source: str = ""  # where it came from, for messages
    extra: dict = field(default_factory=dict)
    warning: str | None = None  # one line for the run's report (bounds.coding_cap_warning), naming the source


def range_end(e: Event) -> dt.date | None:
    """The date_end column: the event's own, or for a month (time_precision 3) without one, the month's last
    day (as records.Event fills it in), so that the store's fusion queries can tell a range by its columns."""
    if e.date_end is None and e.time_precision == 3 and e.event_date is not None:
        return month_end(e.event_date)
    return e.date_end


def article_row(article: Article) -> dict:
    return dict(
        article_id=article.article_id, content_hash=article.content_hash, title=article.title,
        outlet=article.outlet, url=article.url, published=article.published,
        published_source=article.published_source, language=article.language,
        source_path=article.source_path, source_format=article.source_format, n_chars=len(article.text),
        record=article.model_dump_json(), ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))


def event_rows(events_: list[Event], *, kind: str, article_id: str | None = None) -> dict[str, list[dict]]:
    """The rows of every table that holds a part of these events, by table name (see TABLES)."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for e in events_:
        out["events"].append(dict(
            event_id=e.event_id, kind=kind,
            article_id=article_id if kind == "report" else None,
            event_date=e.event_date, date_end=range_end(e), country=e.country, admin1=e.admin1,
            admin2=e.admin2, location=e.location, latitude=e.latitude, longitude=e.longitude,
            event_type=e.event_type, sub_event_type=e.sub_event_type, actor1=e.actor1, actor2=e.actor2,
            assoc_actors="; ".join(a for a in (e.assoc_actor_1, e.assoc_actor_2) if a) or None,
            fatalities=e.fatalities, background=e.background, notes=e.notes, confidence=e.confidence,
            n_sources=len(e.sources)))
        out["event_records"].append(dict(event_id=e.event_id, record=e.model_dump_json()))
        seen_sources = set()
        for s in e.sources:
            if s.article_id not in seen_sources:
                seen_sources.add(s.article_id)
                out["event_sources"].append(dict(event_id=e.event_id, article_id=s.article_id, outlet=s.outlet,
                                                 published=s.published))
        out["claims"] += [dict(event_id=e.event_id, field=c.field, value=json.dumps(c.value),
                               claimed_by=c.claimed_by, article_id=c.article_id, outlet=c.outlet, quote=c.quote,
                               start=c.start, end=c.end) for c in e.claims]
        out["evidence"] += [dict(event_id=e.event_id, field=v.field, article_id=v.article_id, start=v.start,
                                 end=v.end, text=v.text) for v in e.evidence]
        out["report_links"] += [dict(fused_id=e.event_id, report_id=r) for r in dict.fromkeys(e.report_ids)]
    return out


def prepare(article: Article, events_: list[Event] | None, source: str = "") -> Prepared:
    """An article (and its reports, when coded) as rows for `Store.save_prepared`."""
    return Prepared(article_id=article.article_id, content_hash=article.content_hash, article=article_row(article),
                    events=None if events_ is None else event_rows(events_, kind="report",
                                                                  article_id=article.article_id),
                    n_events=len(events_ or ()), language=article.language,
                    source=source or article.source_path or article.article_id)
