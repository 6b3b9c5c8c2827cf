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
import threading
from importlib.resources import files
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from eventwatch.bounds import MAX_FIGURE, date_problem
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

    @field_validator("published")
    @classmethod
    def plausible_published(cls, v: dt.date | None) -> dt.date | None:
        if (problem := date_problem(v, "published")) is not None:
            raise ValueError(problem)
        return v

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
    if not all(-180 <= parts[i] <= 180 for i in (0, 2)) or not all(-90 <= parts[i] <= 90 for i in (1, 3)):
        raise HTTPException(422, "bbox longitudes must be within -180..180 and latitudes within -90..90")
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
    min_fatalities: int | None = Query(None, ge=0, le=MAX_FIGURE),
    background: bool | None = Query(None, description="only background (true) or news (false) events"),
    kind: Literal["fused", "report"] = Query("fused", description="fused events, or each article's reports"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=10_000_000),
    order: Literal["date", "-date", "fatalities", "-fatalities"] = Query("-date"),
    stored_since: dt.datetime | None = Query(
        None, description="only events first stored at or after this moment (ISO 8601, e.g. "
                          "2026-12-01T14:00:00Z; without a zone: UTC), as the map's \"new since your last visit\""),
) -> EventQuery:
    from eventwatch.query import resolve_query

    texts = {"country": country, "admin1": admin1, "event_type": event_type, "sub_event_type": sub_event_type,
             "actor": actor, "q": q}
    for name, value in texts.items():
        if value is not None and any(ord(ch) < 32 for ch in value):
            raise HTTPException(422, f"{name} contains control characters")  # PostgreSQL refuses NUL
    for name, day in (("since", since), ("until", until)):
        if (problem := date_problem(day, name)) is not None:
            raise HTTPException(422, problem)
    if since and until and since > until:
        raise HTTPException(422, "since is after until")
    if stored_since is not None:
        if stored_since.tzinfo is not None:
            stored_since = stored_since.astimezone(dt.UTC).replace(tzinfo=None)
        if (problem := date_problem(stored_since.date(), "stored_since")) is not None:
            raise HTTPException(422, problem)
    try:
        resolved = resolve_query(request.app.state.store.engine, since=since, until=until, country=country,
                                 admin1=admin1, event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                                 text=q, location=location, bbox=parse_bbox(bbox), min_fatalities=min_fatalities,
                                 background=background, kind=kind, limit=limit, offset=offset, order=order)
    except ValidationError as exc:
        raise HTTPException(422, "; ".join(e["msg"] for e in exc.errors())) from None
    request.state.resolution = resolved
    if stored_since is not None:
        return resolved.query.model_copy(update={"stored_since": stored_since})
    return resolved.query


def utc_text(moment: dt.datetime) -> str:
    """A stored (naive UTC) time as ISO 8601 with its zone: always microseconds, then "Z"."""
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


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


WRITE_PATHS = {("POST", "/api/articles")}
DOCS_PATHS = ("/docs",)  # the API documentation page (vendored Swagger UI)


def tiles_source(tiles: str | None) -> str:
    """The CSP source that lets the map load tiles from the `--tiles` URL template ("" without one)."""
    if not tiles:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(tiles.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc.replace("a.", "*.", 1) if "{s}." in tiles else parts.netloc
    if any(c in host for c in "{} ;'\""):
        return f"{parts.scheme}:"  # a placeholder in the host: allow the scheme, not any origin
    return f"{parts.scheme}://{host}"


def security_headers(tiles: str | None) -> dict[str, list[tuple[bytes, bytes]]]:
    """Headers for every response: the map's CSP (scripts and data from this server only; style
    attributes are set by Leaflet and the legend), and a looser CSP for the /docs pages."""
    common = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
              (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin")]
    img = " ".join(x for x in ("'self' data: blob:", tiles_source(tiles)) if x)
    page = (f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src {img}; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
    # /docs: the vendored Swagger UI, started by an inline script of FastAPI's page
    docs = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    return {"page": [*common, (b"content-security-policy", page.encode())],
            "docs": [*common, (b"content-security-policy", docs.encode())]}


class BodyTooLarge(Exception):
    pass


class GuardMiddleware:
    """ASGI middleware in front of the whole app.

    - adds the security headers to every response;
    - for a write (POST /api/articles) checks the token from the headers before any body is read
      (403 on a read-only server, 401 for a wrong token), so an anonymous caller cannot make the
      server receive a body at all;
    - reads a request body itself, counting bytes as chunks arrive (chunked requests have no
      Content-Length), and answers 413 as soon as it passes MAX_BODY_BYTES; the app then gets the
      body replayed from memory (at most MAX_BODY_BYTES).
    """

    def __init__(self, app, token: str | None, headers: dict[str, list[tuple[bytes, bytes]]]):
        self.app, self.token, self.headers = app, token, headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        extra = self.headers["docs" if path.startswith(DOCS_PATHS) else "page"]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(k, v) for k, v in extra if k not in names]]}
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if (scope["method"], path.rstrip("/")) in WRITE_PATHS:
            refusal = self.refuse_write(headers.get("authorization"))
            if refusal is not None:
                return await json_reply(send_with_headers, *refusal)
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > MAX_BODY_BYTES):
            return await json_reply(send_with_headers, 413, f"request body over {MAX_BODY_BYTES} bytes")
        if scope["method"] in ("GET", "HEAD", "OPTIONS") and length is None \
                and "transfer-encoding" not in headers:
            return await self.app(scope, receive, send_with_headers)
        try:
            body, disconnected = await read_limited(receive, MAX_BODY_BYTES)
        except BodyTooLarge:
            return await json_reply(send_with_headers, 413, f"request body over {MAX_BODY_BYTES} bytes")
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"} if disconnected else await receive()

        return await self.app(scope, replay, send_with_headers)

    def refuse_write(self, authorization: str | None) -> tuple[int, str] | None:
        if self.token is None:
            return 403, "this server is read-only: start it with --token to accept articles"
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return 401, "a valid token is required (Authorization: Bearer TOKEN)"
        return None


async def read_limited(receive, limit: int) -> tuple[bytes, bool]:
    """The whole request body, raising BodyTooLarge as soon as more than `limit` bytes arrived.
    Returns (body, whether the client disconnected before the end)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


async def json_reply(send, status: int, detail: str) -> None:
    import json

    payload = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


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
    """An event in a list: every field but the evidence, how many sources report it, and when it was
    first stored (`stored_at`: when its earliest source article was stored, UTC)."""

    n_sources: int = 0
    stored_at: dt.datetime | None = None


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
    """The API over the store at `db`; POST /api/articles needs `token` (None: read-only).

    An empty or blank token is refused (ValueError): an unset variable must not open the server to writes.
    """
    if token is not None and not token.strip():
        raise ValueError("the API token is empty: give a real token, or none for a read-only server")

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

    # Outermost: every response (errors included) gets the security headers, the token is checked and
    # the body limit enforced before the application reads a byte of the body.
    app.add_middleware(GuardMiddleware, token=token, headers=security_headers(tiles))

    def require_token(authorization: str | None = Header(None)) -> None:
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token to accept articles")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is required (Authorization: Bearer TOKEN)")

    from eventwatch.api_watch import watch_router  # GET /api/sources, /api/alerts
    app.include_router(watch_router(store))

    @app.get("/api/events", summary="Events, filtered and paged", response_model=EventPage,
             responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
    def list_events(request: Request, query: Annotated[EventQuery, Depends(event_query)],
                    format: Literal["json", "geojson", "geojson-flat", "csv"] = "json"):  # noqa: A002
        total = store.count_events(query, cap=COUNT_CAP + query.offset)
        found = store.query_events(query, total=total)
        exact = total < COUNT_CAP + query.offset
        nxt = query.offset + len(found) if query.offset + len(found) < total else None
        stored = {} if format == "csv" else store.stored_times(e.event_id for e in found)

        def with_stored_at(item: dict, event_id: str) -> dict:
            at = stored.get(event_id)
            fields = item.get("properties", item)  # a feature's properties, or a summary itself
            fields["stored_at"] = utc_text(at) if at else None
            return item

        if format in ("geojson", "geojson-flat"):
            from eventwatch.export import flat_feature

            make = feature if format == "geojson" else flat_feature
            return JSONResponse({"type": "FeatureCollection",
                                 "features": [with_stored_at(make(e), e.event_id) for e in found],
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
                             "next_offset": nxt, "events": [with_stored_at(summary(e), e.event_id) for e in found],
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
                  by: Literal["grid", "admin1", "total"] = "grid",
                  cell: float = Query(1.0, gt=0.001, le=90, description="grid cell size in degrees")):
        """Every matching event is counted (no page limit): the map draws these at low zoom, so that
        100,000 events load as a few hundred cells and nothing is silently dropped."""
        from sqlalchemy import and_

        from eventwatch.query import province_point
        from eventwatch.store.schema import events as events_table
        from eventwatch.store.search import aggregate as aggregate_cells

        if by == "total":  # the count alone (what the map's status needs): one index scan, no grouping
            from eventwatch.store.search import count_matching

            return JSONResponse({"by": by, "cell": None, "cells": [],
                                 "total": count_matching(store.engine, store._filters(query, counting=True))})
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

    # Identical POSTs at the same instant: within this process the second waits for the first and is then
    # told "already stored" instead of coding the text again (a lock per stripe of content hashes: bounded,
    # nothing to clean up); across processes the store's INSERT ... ON CONFLICT decides which one stored it.
    post_locks = [threading.Lock() for _ in range(64)]

    def stored_answer(article_id: str, status: int, **extra) -> JSONResponse:
        """The answer for an article in the store: its id and its reports with their fused events, the same
        for every caller whichever of them stored it."""
        reports = store.events_for_article(article_id)
        fused = store.fused_of_reports(e.event_id for e in reports)
        return JSONResponse({"article_id": article_id, "stored": status == 201, **extra,
                             "events": [{"event_id": e.event_id, "fused_id": fused.get(e.event_id), "notes": e.notes}
                                        for e in reports]}, status_code=status)

    @app.post("/api/articles", status_code=201, dependencies=[Depends(require_token)],
              summary="Submit an article for coding (needs the server's token)")
    def post_article(body: ArticleIn):
        from eventwatch.bounds import coding_cap_warning
        from eventwatch.ingest.decode import UnreadableInput, require_article_text
        from eventwatch.ingest.html import article_from_html
        from eventwatch.pipeline import code_article, fuse_pending
        from eventwatch.store.rows import prepare

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
        already = {"detail": "this text is already stored"}
        with post_locks[int(article.content_hash[:8], 16) % len(post_locks)]:
            holder = store.known([], [article.content_hash])[1].get(article.content_hash)
            if holder is not None:
                fuse_pending(store)  # a caller that stored it may not have fused it yet: the same answer
                return stored_answer(holder, 200, **already)
            coded, events = code_article(article)
            # never a replace: a text another process stored meanwhile stays as it is, reports and all
            outcome = store.save_prepared([prepare(coded, events, "api")])[0]
            if outcome.status == "failed":
                raise HTTPException(503, f"the article could not be stored: {outcome.reason}")
            if outcome.status == "taken":
                raise HTTPException(409, f"the article_id {coded.article_id!r} already names another text")
            fuse_pending(store)
            if outcome.status != "new":  # the same text, stored by another caller an instant before
                return stored_answer(outcome.stored_as or coded.article_id, 200, **already)
            warnings = {}
            if coded.language in (None, "en") and (warning := coding_cap_warning(coded.article_id, coded.text)):
                warnings = {"warnings": [warning]}  # stored whole, coded in part: the caller is told
            return stored_answer(coded.article_id, 201, **warnings)

    @app.get("/api/labels", summary="Names of provinces and towns for the offline basemap (GeoNames)")
    def labels(bbox: str = Query(..., description="min_lon,min_lat,max_lon,max_lat"),
               zoom: int = Query(..., ge=0, le=20)):
        from eventwatch.query import place_labels

        return {"labels": place_labels(parse_bbox(bbox), zoom)}

    @app.get("/api/config", include_in_schema=False)
    def config():
        # `now`: the server's clock, which the map keeps as the time of this visit (events' `stored_at`
        # come from the same clock, so a browser's wrong clock cannot hide what is new)
        return {"tiles": tiles, "writable": token is not None,
                "now": utc_text(dt.datetime.now(dt.UTC).replace(tzinfo=None))}

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(str(WEB / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")
    app.state.store = store
    return app



def app_from_environment() -> FastAPI:
    """The app as `eventwatch serve --workers N` starts it in each process."""
    import os

    # an empty EVENTWATCH_TOKEN is no token (read-only), as the CLI reads it
    return create_app(db=os.environ.get("EVENTWATCH_DB", "eventwatch.db"),
                      token=os.environ.get("EVENTWATCH_TOKEN") or None, tiles=os.environ.get("EVENTWATCH_TILES"))
