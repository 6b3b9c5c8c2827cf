"""The monitor's read endpoints: GET /api/sources (each source's health) and GET /api/alerts (the rules
and the alerts made, newest first). Included by api.create_app."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Query


def watch_router(store) -> APIRouter:
    """The routes over an open Store (they only read)."""
    from eventwatch.alerts import stored_rules
    from eventwatch.store import watch_store as ws

    router = APIRouter(tags=["monitor"])

    @router.get("/api/sources", summary="Watched sources and their health")
    def list_sources():
        rows = ws.list_sources(store)
        return {"sources": [{**r.model_dump(mode="json", exclude={"etag", "last_modified"}), "health": r.health()}
                            for r in rows],
                "items": ws.item_counts(store)}

    @router.get("/api/alerts", summary="Alert rules and the alerts made (newest first)")
    def list_alerts(status: Literal["pending", "delivered"] | None = Query(None),
                    rule: str | None = Query(None, max_length=100),
                    limit: int = Query(100, ge=1, le=1000)):
        rules = []
        for r in stored_rules(store):
            d = r.model_dump(mode="json")
            d["to"] = {"type": r.to.type, "target": r.to.describe()}  # never the secrets of a destination
            rules.append(d)
        alerts = []
        for d in ws.list_deliveries(store, limit=limit, status=status, rule=rule):
            payload = json.loads(d.payload)
            event = payload.get("event", {})
            alerts.append({**d.model_dump(mode="json", exclude={"payload"}),
                           "event": {k: event.get(k) for k in ("event_date", "sub_event_type", "location", "admin1",
                                                               "country", "fatalities", "actor1", "actor2", "notes")}})
        return {"rules": rules, "alerts": alerts}

    return router
