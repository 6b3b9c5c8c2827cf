"""The REST API with FastAPI's TestClient, on a real SQLite database coded from the seeds, the bundled
FA-KES development sample and an article that carries a <script>."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from eventwatch.api import create_app

TOKEN = "test-token-7f3a"
SEED000 = "000_19109e5cf8b1b5c5"
SEED003 = "003_86bd7c93810df1c3"


@pytest.fixture(scope="module")
def db(build_sample_db):
    return build_sample_db("api")


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db=db, token=TOKEN))


@pytest.fixture(scope="module")
def readonly(db):
    return TestClient(create_app(db=db))


def fused_of_article(client, article_id):
    return client.get(f"/api/articles/{article_id}").json()["events"]


def test_events_lists_fused_events_with_paging(client):
    page = client.get("/api/events", params={"limit": 5}).json()
    assert page["total"] > 40 and len(page["events"]) == 5 and page["next_offset"] == 5
    following = client.get("/api/events", params={"limit": 5, "offset": 5}).json()["events"]
    assert not {e["event_id"] for e in page["events"]} & {e["event_id"] for e in following}
    dates = [e["event_date"] for e in page["events"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default


def test_filters(client):
    ied = client.get("/api/events", params={"event_type": "Remote explosive/landmine/IED"}).json()["events"]
    assert ied and all(e["sub_event_type"] == "Remote explosive/landmine/IED" for e in ied)
    daraa = client.get("/api/events", params={"admin1": "Dar'a", "since": "2019-07-01",
                                              "until": "2019-07-31"}).json()["events"]
    assert daraa and all(e["admin1"] == "Dar'a" and "2019-07" in e["event_date"] for e in daraa)
    # an alias finds the canonical actor: "Daesh" is the Islamic State
    daesh = client.get("/api/events", params={"actor": "Daesh"}).json()["events"]
    assert daesh and all("Islamic State" in (e["actor1"] or "") + (e["actor2"] or "") for e in daesh)
    box = client.get("/api/events", params={"bbox": "35.9,32.5,36.6,33.0"}).json()["events"]
    assert box and all(35.9 <= e["longitude"] <= 36.6 and 32.5 <= e["latitude"] <= 33.0 for e in box)
    deadly = client.get("/api/events", params={"min_fatalities": 50}).json()["events"]
    assert deadly and all(e["fatalities"] >= 50 for e in deadly)
    news = client.get("/api/events", params={"background": "false", "limit": 1000}).json()["events"]
    assert news and not any(e["background"] for e in news)
    text = client.get("/api/events", params={"q": "Izra"}).json()["events"]
    assert any(e["event_date"] == "2020-11-12" for e in text)
    reports = client.get("/api/events", params={"kind": "report", "limit": 1}).json()
    fused = client.get("/api/events", params={"limit": 1}).json()
    assert reports["total"] > fused["total"]  # several reports fused into one event


def test_formats(client):
    geo = client.get("/api/events", params={"format": "geojson", "limit": 1000}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    point = next(f for f in geo["features"] if f["geometry"])
    lon, lat = point["geometry"]["coordinates"]
    assert 30 < lon < 50 and 28 < lat < 40  # [lon, lat] order (RFC 7946)
    csv_text = client.get("/api/events", params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("event_id_cnty,event_date,year")


def test_event_detail_sources_claims_and_evidence(client):
    reports = fused_of_article(client, SEED003)
    main = next(r for r in reports if r["event_date"] == "2019-07-27")
    event = client.get(f"/api/events/{main['fused_id']}").json()
    assert event["sub_event_type"] == "Suicide bomb" and event["evidence"]
    said = {(c["field"], c["value"], c["claimed_by"]) for c in event["claims"]}
    assert ("fatalities", 8, "Islamic State (Syria)") in said and ("injuries", 10, "Islamic State (Syria)") in said
    assert event["reports"][0]["article_id"] == SEED003
    assert client.get(f"/api/events/{main['fused_id']}/sources").json()[0]["outlet"] == "Enab Baladi"
    assert len(client.get(f"/api/events/{main['fused_id']}/claims").json()) == len(event["claims"])


def test_article_text_and_spans(client):
    article = client.get(f"/api/articles/{SEED000}").json()
    assert "Thursday 12 November 2020" in article["text"] and "raw_text" not in article
    for span in article["spans"]:
        assert article["text"][span["start"]:span["end"]] == span["text"]
    assert {"event_date", "weapon", "actor2"} <= {s["field"] for s in article["spans"]}


def test_stats(client):
    by_month = client.get("/api/stats", params={"by": "month"}).json()["rows"]
    assert sum(r["events"] for r in by_month) == client.get("/api/events").json()["total"]
    by_type = {r["key"]: r for r in client.get("/api/stats", params={"by": "event_type"}).json()["rows"]}
    assert by_type["Explosions/Remote violence"]["events"] > 0
    assert client.get("/api/stats", params={"by": "admin1", "since": "2019-01-01"}).status_code == 200
    assert client.get("/api/stats", params={"by": "week"}).json()["rows"]


@pytest.mark.parametrize("params", [
    {"limit": 100000}, {"limit": 0}, {"offset": -1}, {"since": "yesterday"}, {"until": "2019-13-01"},
    {"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"bbox": "40,30,35,35"}, {"min_fatalities": -2},
    {"background": "perhaps"}, {"kind": "everything"}, {"order": "sideways"}, {"format": "xml"},
    {"since": "2020-01-02", "until": "2020-01-01"},
])
def test_malformed_parameters_are_422_with_a_message(client, params):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_unknown_ids_are_404(client):
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/stats", params={"by": "planet"}).status_code == 422


ARTICLE = ("On Tuesday, 4 June 2019, an explosive device detonated on a bus carrying soldiers near the town of "
           "Namer in the eastern countryside of Daraa, killing three soldiers, the Syrian Observatory for Human "
           "Rights said. No group claimed responsibility for the blast.")


def test_posting_needs_the_token(client, readonly):
    body = {"text": ARTICLE, "published": "2019-06-05", "outlet": "Test Wire"}
    assert readonly.post("/api/articles", json=body).status_code == 403
    assert client.post("/api/articles", json=body).status_code == 401
    assert client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    created = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["stored"] and result["events"]
    report = client.get(f"/api/events/{result['events'][0]['event_id']}").json()  # the article's own report
    assert report["event_date"] == "2019-06-04" and report["admin1"] == "Dar'a"
    fused = client.get(f"/api/events/{result['events'][0]['fused_id']}").json()
    assert result["article_id"] in {s["article_id"] for s in fused["sources"]}
    again = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["stored"] is False


def test_posted_bodies_are_validated_and_size_limited(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/articles", json={}, headers=auth).status_code == 422
    assert client.post("/api/articles", json={"text": "a b c"}, headers=auth).status_code == 422
    assert client.post("/api/articles", json={"text": ARTICLE, "html": "<p>x</p>"}, headers=auth).status_code == 422
    huge = client.post("/api/articles", content=b"{" + b" " * 2_100_000 + b"}", headers={
        **auth, "content-type": "application/json"})
    assert huge.status_code == 413
    html = client.post("/api/articles", headers=auth, json={
        "html": f"<html><head><title>Blast</title></head><body><nav>Home | World</nav><article><p>{ARTICLE}</p>"
                "<p>Residents said the road was closed for hours afterwards.</p></article></body></html>",
        "published": "2019-06-05", "article_id": "html-blast-1"})
    assert html.status_code in (200, 201), html.text


def test_page_and_openapi(client):
    page = client.get("/")
    assert page.status_code == 200 and "leaflet.js" in page.text and "https://" not in page.text
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/natural-earth/countries-50m.json").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/stats",
            "/api/articles"} <= set(paths)


# --- outputs that agree (issue 13) -----------------------------------------------------------------


def test_docs_load_nothing_from_a_cdn(readonly):
    page = readonly.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert readonly.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert readonly.get("/static/vendor/swagger-ui/swagger-ui.css").status_code == 200


def test_the_openapi_schema_describes_the_responses(readonly):
    schema = readonly.get("/openapi.json").json()
    models = schema["components"]["schemas"]
    for name in ("EventPage", "EventSummary", "EventDetail", "ReportRow", "Claim", "Source", "Aggregate"):
        assert name in models, name
    ok = schema["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/EventPage")


def test_the_aggregation_counts_every_matching_event(readonly):
    page = readonly.get("/api/events", params={"limit": 1}).json()
    grid = readonly.get("/api/aggregate", params={"cell": 0.5}).json()
    assert grid["total"] == page["total"] and all(c["events"] > 0 for c in grid["cells"])
    provinces = readonly.get("/api/aggregate", params={"by": "admin1", "admin1": "Idlib"}).json()
    assert [c["admin1"] for c in provinces["cells"]] == ["Idleb"]
    assert provinces["total"] == readonly.get("/api/events", params={"admin1": "Idleb"}).json()["total"]
    assert readonly.get("/api/aggregate", params={"cell": 0}).status_code == 422
    # by=total: the count alone (the map's status line), the same number without the cells
    for params in ({}, {"admin1": "Idlib"}, {"event_type": "Battles", "background": "false"}):
        alone = readonly.get("/api/aggregate", params={**params, "by": "total"}).json()
        grouped = readonly.get("/api/aggregate", params={**params, "by": "admin1"}).json()
        assert alone["cells"] == [] and alone["total"] == grouped["total"] > 0


def test_flat_geojson_from_the_api(readonly):
    data = readonly.get("/api/events", params={"format": "geojson-flat", "limit": 20}).json()
    assert data["features"]
    for f in data["features"]:
        assert all(not isinstance(v, (list, dict)) for v in f["properties"].values())


def test_province_level_events_are_drawn_at_their_province(readonly):
    unplaced = [e for e in readonly.get("/api/events", params={"limit": 1000}).json()["events"]
                if e["latitude"] is None and e["admin1"]]
    assert unplaced
    geo = {f["id"]: f for f in readonly.get("/api/events", params={"format": "geojson", "limit": 1000}).json()["features"]}
    for e in unplaced:
        f = geo[e["event_id"]]
        assert f["geometry"] is not None and f["properties"]["placed_at"] == "admin1"
    grid = readonly.get("/api/aggregate").json()
    assert any(c.get("province") for c in grid["cells"])
    assert grid["total"] == readonly.get("/api/events", params={"limit": 1}).json()["total"]


@pytest.mark.parametrize("fmt", ["acled-csv", "jsonl", "geojson", "geojson-flat"])
def test_download_this_selection_has_every_matching_event(readonly, fmt):
    import csv
    import json

    wanted = readonly.get("/api/events", params={"admin1": "Aleppo", "limit": 1}).json()["total"]
    got = readonly.get("/api/export", params={"admin1": "Aleppo", "format": fmt})
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    if fmt == "acled-csv":
        rows = list(csv.DictReader(got.text.splitlines()))
        assert len(rows) == wanted and {r["admin1"] for r in rows} == {"Aleppo"}
    elif fmt == "jsonl":
        assert len(got.text.splitlines()) == wanted
    else:
        assert len(json.loads(got.text)["features"]) == wanted


def test_labels_for_the_basemap(readonly):
    far = readonly.get("/api/labels", params={"bbox": "35,32,42,37.5", "zoom": 3}).json()["labels"]
    assert far == []
    near = readonly.get("/api/labels", params={"bbox": "35,32,42,37.5", "zoom": 8}).json()["labels"]
    assert {"Idleb", "Aleppo", "Ar-Raqqa"} <= {x["name"] for x in near if x["kind"] == "admin1"}
    assert any(x["kind"] == "town" for x in near)
    assert readonly.get("/api/labels", params={"bbox": "x", "zoom": 8}).status_code == 422
