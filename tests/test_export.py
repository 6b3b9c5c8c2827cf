"""Exports a user opens elsewhere: ACLED's CSV columns, GeoJSON that QGIS reads, Parquet for pandas/DuckDB."""

from __future__ import annotations

import csv
import json

import pytest

from eventwatch.export import ACLED_COLUMNS, write_acled_csv, write_geojson, write_jsonl, write_parquet
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.records import Event


@pytest.fixture(scope="module")
def events(seeds_dir):
    return [e for a in read_sources([seeds_dir]) for e in code_article(a)[1]]


def test_acled_csv_has_acleds_columns_in_order(events, tmp_path):
    path = tmp_path / "e.csv"
    write_acled_csv(events, path)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == ACLED_COLUMNS
    ied = next(r for r in rows if r["event_date"] == "2020-11-12")
    assert (ied["iso"], ied["region"], ied["country"], ied["interaction"]) == ("760", "Middle East", "Syria", "38")
    assert ied["source"] == "Syria News" and ied["fatalities"] == "0"
    main = next(r for r in rows if r["event_date"] == "2019-07-27")
    assert "fatalities_low=1" in main["tags"] and "claimed_by=Islamic State (Syria)" in main["tags"]


def test_geojson_is_a_valid_feature_collection(events, tmp_path):
    import geojson
    import jsonschema

    path = tmp_path / "e.geojson"
    write_geojson(events, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert geojson.loads(path.read_text(encoding="utf-8")).is_valid
    schema = {
        "type": "object", "required": ["type", "features"],
        "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "geometry", "properties"],
            "properties": {"type": {"const": "Feature"}, "geometry": {"oneOf": [
                {"type": "null"},
                {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"const": "Point"},
                    "coordinates": {"type": "array", "minItems": 2, "maxItems": 2,
                                    "items": {"type": "number"}}}}]}}}}}}
    jsonschema.validate(data, schema)
    ied = next(f for f in data["features"] if f["properties"]["event_date"] == "2020-11-12")
    lon, lat = ied["geometry"]["coordinates"]
    assert 35.5 < lon < 37 and 32 < lat < 33.5  # longitude first (RFC 7946)
    assert ied["properties"]["sources"][0]["outlet"] == "Syria News"


def test_jsonl_round_trips(events, tmp_path):
    path = tmp_path / "e.jsonl"
    write_jsonl(events, path)
    back = [Event.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert back == events


def test_parquet_reads_back_in_pyarrow_pandas_and_duckdb(events, tmp_path):
    import duckdb
    import pandas as pd
    import pyarrow.parquet as pq

    path = tmp_path / "e.parquet"
    write_parquet(events, path)
    table = pq.read_table(path)
    assert table.num_rows == len(events)
    frame = pd.read_parquet(path)
    assert sorted(frame["event_id"]) == sorted(e.event_id for e in events)
    n, total = duckdb.sql(f"select count(*), sum(fatalities) from '{path}'").fetchall()[0]
    assert (n, total) == (len(events), sum(e.fatalities for e in events))
    claims = duckdb.sql(f"select unnest(claims).claimed_by from '{path}'").fetchall()
    assert ("SANA",) in claims


def test_acled_csv_values_are_written_as_acled_writes_them(events, tmp_path):
    import csv as csv_

    from eventwatch.export import write_acled_csv

    write_acled_csv(events, tmp_path / "a.csv")
    write_acled_csv(events, tmp_path / "b.csv")
    rows = list(csv_.DictReader((tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()  # stable across runs
    for row in rows:
        assert row["event_id_cnty"][:3].isalpha() and row["event_id_cnty"][3:].isdigit()
        assert row["timestamp"].isdigit() and row["geo_precision"] in ("1", "2", "3")
    assert len({r["event_id_cnty"] for r in rows}) == len(rows)


def test_flat_geojson_has_no_nested_arrays(events, tmp_path):
    from eventwatch.export import write_flat_geojson

    write_flat_geojson(events, tmp_path / "flat.geojson")
    data = json.loads((tmp_path / "flat.geojson").read_text(encoding="utf-8"))
    for f in data["features"]:
        assert all(not isinstance(v, (list, dict)) for v in f["properties"].values())
        assert f["properties"]["n_sources"] >= 1
