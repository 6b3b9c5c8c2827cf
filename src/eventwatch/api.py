"""The REST API and the web map: FastAPI over the store.

Read endpoints are open; `POST /api/articles` exists only when the server was given a token, which
callers send as `Authorization: Bearer TOKEN` (compared in constant time). Every parameter is
validated so that bad input is a 422 with a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import json
from importlib.resources import files
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError, model_validator

from eventwatch.records import Article, Claim, Event
from eventwatch.store import open_store
from eventwatch.store.query import MAX_LIMIT, EventQuery

COUNT_CAP = 10_000  # `total` counts matches up to this many past the offset; `total_exact` says if it did
MAX_BODY_BYTES = 2_000_000  # an article, even a long HTML page, is far below this
WEB = files("eventwatch") / "web"
STATS_BY = Literal["day", "week", "month", "event_type", "sub_event_type", "admin1", "actor", "country"]


class ArticleIn(BaseModel):
    """An article submitted for coding: plain text or an HTML page, and what is known about it."""

    text: str | None = Field(default=None, max_length=MAX_BODY_BYTES)
    html: str | None = Field(default=None, max_length=MAX_BODY_BYTES)
    title: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    published: dt.date | None = None
    article_id: str | None = Field(default=None, max_length=200, pattern=r"^[\w.:-]+$")

    @model_validator(mode="after")
    def text_or_html(self):
        if not (self.text or self.html) or (self.text and self.html):
            raise ValueError("give exactly one of `text` or `html`")
        return self


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or value == "":
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise HTTPException(422, "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    return parts  # type: ignore[return-value]


def event_query(
    request: Request,
    since: dt.date | None = Query(None, description="events on or after this day (YYYY-MM-DD)"),
    until: dt.date | None = Query(None, description="events on or before this day"),
    country: str | None = Query(None, max_length=100, description="country name, alias or ISO code"),
    admin1: str | None = Query(None, max_length=100,
                               description="governorate / province in any spelling (\"Idlib\" finds Idleb)"),
    event_type: str | None = Query(None, max_length=100, description="event type or sub-event type"),
    sub_event_type: str | None = Query(None, max_length=100),
    actor: str | None = Query(None, max_length=200, description="canonical name or alias (\"Daesh\")"),
    q: str | None = Query(None, max_length=200,
                          description="words in the notes, place, actors or the source articles' text"),
    location: str | None = Query(None, max_length=200, description="a place name in any spelling"),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    min_fatalities: int | None = Query(None, ge=0),
    background: bool | None = Query(None, description="only background (true) or news (false) events"),
    kind: Literal["fused", "report"] = Query("fused", description="fused events, or each article's reports"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=10_000_000),
    order: Literal["date", "-date", "fatalities", "-fatalities"] = Query("-date"),
) -> EventQuery:
    from eventwatch.query import resolve_query

    if since and until and since > until:
        raise HTTPException(422, "since is after until")
    try:
        resolved = resolve_query(request.app.state.store.engine, since=since, until=until, country=country,
                                 admin1=admin1, event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                                 text=q, location=location, bbox=parse_bbox(bbox), min_fatalities=min_fatalities,
                                 background=background, kind=kind, limit=limit, offset=offset, order=order)
    except ValidationError as exc:
        raise HTTPException(422, "; ".join(e["msg"] for e in exc.errors())) from None
    request.state.resolution = resolved
    return resolved.query


def search_hint(request: Request, total: int) -> dict:
    """How the filters were read, and "did you mean" when nothing matched."""
    from eventwatch.query import suggest_for_text

    resolved = getattr(request.state, "resolution", None)
    if resolved is None:
        return {}
    out: dict = {"readings": list(resolved.readings)} if resolved.readings else {}
    if total == 0:
        hint = resolved.hint()
        text = resolved.typed.get("text")
        if hint is None and text:
            close = suggest_for_text(request.app.state.store.engine, text)
            hint = f"nothing mentions {text!r}" + (f"; did you mean {' or '.join(close)}?" if close else "")
        if hint:
            out["hint"] = hint
    return out


def feature(e: Event) -> dict:
    """An event as a map feature; one known only to its province is drawn at the province's capital,
    with `placed_at: "admin1"` so the map can mark it differently."""
    from eventwatch.query import province_point

    props = e.model_dump(mode="json", exclude={"latitude", "longitude", "evidence", "claims", "sources"})
    props["n_sources"] = len(e.sources)
    props["outlets"] = list(dict.fromkeys(s.outlet for s in e.sources if s.outlet))
    geometry = None
    if e.latitude is not None and e.longitude is not None:
        geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
    elif (point := province_point(e.country, e.admin1)) is not None:
        geometry = {"type": "Point", "coordinates": [point[1], point[0]]}
        props["placed_at"] = "admin1"
    return {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": props}


def summary(e: Event) -> dict:
    """An event in a list: its fields without the evidence (fetch the event for that)."""
    out = e.model_dump(mode="json", exclude={"evidence"})
    out["n_sources"] = len(e.sources)
    return out


class EventSummary(Event):
    """An event in a list: every field but the evidence, and how many sources report it."""

    n_sources: int = 0


class EventPage(BaseModel):
    """A page of events: `total` counts up to 10,000 past the offset (`total_exact` says if it stopped);
    `readings` says how names were read, `hint` what to try when nothing matched."""

    total: int
    total_exact: bool
    limit: int
    offset: int
    next_offset: int | None
    events: list[EventSummary]
    readings: list[str] = []
    hint: str | None = None


class ReportRow(BaseModel):
    """One source's own report of an event: its date, type, place and figures."""

    report_id: str
    article_id: str | None
    outlet: str | None
    title: str | None
    event_date: dt.date | None
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    location: str | None
    admin1: str | None
    fatalities: int | None
    injuries: int | None
    claimed_by: str | None
    notes: str


class EventDetail(Event):
    reports: list[ReportRow] = []


class AggregateCell(BaseModel):
    """Matching events of one grid cell (gx, gy: floor of lon/lat over the cell size) or one province."""

    events: int
    fatalities: int
    latitude: float | None
    longitude: float | None
    first: dt.date | None
    last: dt.date | None
    gx: int | None = None
    gy: int | None = None
    country: str | None = None
    admin1: str | None = None


class Aggregate(BaseModel):
    by: str
    cell: float | None
    total: int
    cells: list[AggregateCell]


def create_app(db: str = "eventwatch.db", token: str | None = None, tiles: str | None = None) -> FastAPI:
    from fastapi.openapi.docs import get_swagger_ui_html

    store = open_store(db)
    # docs_url=None: FastAPI's own /docs loads Swagger UI from a CDN; ours serves the vendored copy.
    app = FastAPI(title="eventwatch", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Events of political violence coded from news reports, with their sources, "
                              "claims and evidence.")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="eventwatch API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    @app.exception_handler(RequestValidationError)
    async def unprocessable(_request: Request, exc: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"detail": "; ".join(problems)}, status_code=422)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, status_code=413)
        return await call_next(request)

    def require_token(authorization: str | None = Header(None)) -> None:
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token to accept articles")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is required (Authorization: Bearer TOKEN)")

    @app.get("/api/events", summary="Events, filtered and paged", response_model=EventPage,
             responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
    def list_events(request: Request, query: Annotated[EventQuery, Depends(event_query)],
                    format: Literal["json", "geojson", "geojson-flat", "csv"] = "json"):  # noqa: A002
        total = store.count_events(query, cap=COUNT_CAP + query.offset)
        found = store.query_events(query, total=total)
        exact = total < COUNT_CAP + query.offset
        nxt = query.offset + len(found) if query.offset + len(found) < total else None
        if format in ("geojson", "geojson-flat"):
            from eventwatch.export import flat_feature

            make = feature if format == "geojson" else flat_feature
            return JSONResponse({"type": "FeatureCollection", "features": [make(e) for e in found],
                                 "total": total, "total_exact": exact, "next_offset": nxt,
                                 **search_hint(request, total)})
        if format == "csv":
            from eventwatch.export import write_acled_csv

            out = io.StringIO()
            write_acled_csv(found, out)
            return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"X-Total-Count": str(total)})
        # JSONResponse: the summaries are JSON already; FastAPI's encoder would walk them again.
        return JSONResponse({"total": total, "total_exact": exact, "limit": query.limit, "offset": query.offset,
                             "next_offset": nxt, "events": [summary(e) for e in found],
                             **search_hint(request, total)})

    def event_or_404(event_id: str) -> Event:
        event = store.get_event(event_id)
        if event is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return event

    def reports_of(event: Event) -> list[dict]:
        """Each source's own report: its date, type, place and figures, side by side."""
        out = []
        for r in store.get_events(event.report_ids or [event.event_id]):
            src = r.sources[0] if r.sources else None
            out.append({"report_id": r.event_id, "article_id": src.article_id if src else None,
                        "outlet": src.outlet if src else None, "title": src.title if src else None,
                        "event_date": r.event_date, "sub_event_type": r.sub_event_type, "actor1": r.actor1,
                        "actor2": r.actor2, "location": r.location, "admin1": r.admin1,
                        "fatalities": r.fatalities if r.fatalities_low is not None else None,
                        "injuries": r.injuries, "claimed_by": r.claimed_by, "notes": r.notes})
        return out

    @app.get("/api/aggregate", summary="Counts of the matching events per grid cell or province",
             response_model=Aggregate)
    def aggregate(query: Annotated[EventQuery, Depends(event_query)],
                  by: Literal["grid", "admin1"] = "grid",
                  cell: float = Query(1.0, gt=0.001, le=90, description="grid cell size in degrees")):
        """Every matching event is counted (no page limit): the map draws these at low zoom, so that
        100,000 events load as a few hundred cells and nothing is silently dropped."""
        from sqlalchemy import and_

        from eventwatch.query import province_point
        from eventwatch.store.schema import events as events_table
        from eventwatch.store.search import aggregate as aggregate_cells

        cells = aggregate_cells(store.engine, store._filters(query, counting=True), by=by, cell=cell)
        if by == "grid":  # events known only to their province: one cell each, at the province's capital
            cells = [c for c in cells if c["gx"] is not None]
            # the bbox (the map's view) applies to where a province's events are drawn, not to their columns
            where = store._filters(query.model_copy(update={"bbox": None}), counting=True)
            unplaced = and_(*where, events_table.c.latitude.is_(None))
            for row in aggregate_cells(store.engine, [unplaced], by="admin1"):
                point = province_point(row["country"], row["admin1"])
                if point is not None and (query.bbox is None or (
                        query.bbox[0] <= point[1] <= query.bbox[2] and query.bbox[1] <= point[0] <= query.bbox[3])):
                    cells.append({**row, "latitude": point[0], "longitude": point[1], "province": True})
        return JSONResponse({"by": by, "cell": cell if by == "grid" else None,
                             "total": sum(c["events"] for c in cells), "cells": cells})

    @app.get("/api/export", summary="Every matching event as a file: ACLED CSV, GeoJSON or JSON Lines",
             responses={200: {"content": {"text/csv": {}, "application/geo+json": {}, "application/x-ndjson": {}}}})
    def export_selection(query: Annotated[EventQuery, Depends(event_query)],
                         format: Literal["acled-csv", "geojson", "geojson-flat", "jsonl"] = "acled-csv"):  # noqa: A002
        """"Download this selection": no page limit; streamed, a thousand events at a time."""
        from fastapi.responses import StreamingResponse

        from eventwatch.export import EXPORT_FORMATS, with_alias_sources

        aliases = store.aliases()

        def pages():
            page = query.model_copy(update={"limit": MAX_LIMIT, "offset": 0})
            while True:
                found = store.query_events(page)
                yield with_alias_sources(found, aliases)
                if len(found) < page.limit:
                    return
                page = page.model_copy(update={"offset": page.offset + page.limit})

        def body():
            first = True
            for found in pages():
                out = io.StringIO()
                if format == "acled-csv":
                    EXPORT_FORMATS[format](found, out)
                    text = out.getvalue() if first else out.getvalue().split("\n", 1)[1]
                elif format == "jsonl":
                    EXPORT_FORMATS[format](found, out)
                    text = out.getvalue()
                else:
                    from eventwatch.export import feature as full_feature
                    from eventwatch.export import flat_feature

                    make = full_feature if format == "geojson" else flat_feature
                    parts = [json.dumps(make(e), ensure_ascii=False) for e in found]
                    text = ('{"type": "FeatureCollection", "features": [' if first else (",\n" if parts else "")) \
                        + ",\n".join(parts)
                first = False
                yield text
            if format in ("geojson", "geojson-flat"):
                yield "]}\n"

        media = {"acled-csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                 "geojson": "application/geo+json", "geojson-flat": "application/geo+json"}[format]
        suffix = {"acled-csv": "csv", "jsonl": "jsonl", "geojson": "geojson", "geojson-flat": "geojson"}[format]
        return StreamingResponse(body(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="events.{suffix}"'})

    @app.get("/api/events/{event_id}", summary="One event: every field, sources, claims, evidence",
             response_model=EventDetail)
    def get_event(event_id: str):
        event = event_or_404(event_id)
        out = event.model_dump(mode="json")
        out["reports"] = reports_of(event)
        return out

    @app.get("/api/events/{event_id}/sources", summary="The articles that report an event, with their figures",
             response_model=list[ReportRow])
    def get_sources(event_id: str):
        return reports_of(event_or_404(event_id))

    @app.get("/api/events/{event_id}/claims", summary="The claims ledger: who stated which figure",
             response_model=list[Claim])
    def get_claims(event_id: str):
        return [c.model_dump(mode="json") for c in event_or_404(event_id).claims]

    @app.get("/api/articles/{article_id}", summary="An article's cleaned text, metadata and coded spans")
    def get_article(article_id: str):
        article = store.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        reports = store.events_for_article(article_id)
        fused = store.fused_by_report()
        spans = [{"event_id": e.event_id, "fused_id": fused.get(e.event_id), **v.model_dump(mode="json")}
                 for e in reports for v in e.evidence if v.article_id == article_id]
        meta = article.model_dump(mode="json", exclude={"raw_text", "offsets", "text"})
        return {**meta, "text": article.text, "spans": spans,
                "events": [{"event_id": e.event_id, "fused_id": fused.get(e.event_id), "notes": e.notes,
                            "sub_event_type": e.sub_event_type, "event_date": e.event_date,
                            "background": e.background} for e in reports]}

    @app.get("/api/stats", summary="Counts and fatality sums by period, type, governorate or actor")
    def stats(query: Annotated[EventQuery, Depends(event_query)], by: STATS_BY = "month"):
        return {"by": by, "rows": store.stats(query, by)}

    @app.post("/api/articles", status_code=201, dependencies=[Depends(require_token)],
              summary="Submit an article for coding (needs the server's token)")
    def post_article(body: ArticleIn):
        from eventwatch.ingest.decode import UnreadableInput, require_article_text
        from eventwatch.ingest.html import article_from_html
        from eventwatch.pipeline import code_article, fuse_pending

        try:
            if body.html:
                article = article_from_html(body.html, article_id="api", source_path="api", url=body.url)
            else:
                require_article_text(body.text)
                article = Article(article_id="api", raw_text=body.text, source_path="api")
        except UnreadableInput as exc:
            raise HTTPException(422, f"the article cannot be used: {exc}") from None
        given = {"title": body.title, "outlet": body.outlet, "url": body.url, "published": body.published}
        updates = {k: v for k, v in given.items() if v is not None}
        if body.published:
            updates["published_source"] = "metadata"
        updates["article_id"] = body.article_id or f"api-{article.content_hash[:16]}"
        article = article.model_copy(update=updates)
        if store.has_article(content_hash=article.content_hash):
            return JSONResponse({"article_id": article.article_id, "stored": False,
                                 "detail": "this text is already stored"}, status_code=200)
        coded, events = code_article(article)
        store.save_article(coded, events)
        fuse_pending(store)
        fused = store.fused_by_report()
        return {"article_id": coded.article_id, "stored": True,
                "events": [{"event_id": e.event_id, "fused_id": fused.get(e.event_id), "notes": e.notes}
                           for e in events]}

    @app.get("/api/labels", summary="Names of provinces and towns for the offline basemap (GeoNames)")
    def labels(bbox: str = Query(..., description="min_lon,min_lat,max_lon,max_lat"),
               zoom: int = Query(..., ge=0, le=20)):
        from eventwatch.query import place_labels

        return {"labels": place_labels(parse_bbox(bbox), zoom)}

    @app.get("/api/config", include_in_schema=False)
    def config():
        return {"tiles": tiles, "writable": token is not None}

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(str(WEB / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")
    app.state.store = store
    return app



def app_from_environment() -> FastAPI:
    """The app as `eventwatch serve --workers N` starts it in each process."""
    import os

    return create_app(db=os.environ.get("EVENTWATCH_DB", "eventwatch.db"), token=os.environ.get("EVENTWATCH_TOKEN"),
                      tiles=os.environ.get("EVENTWATCH_TILES"))
