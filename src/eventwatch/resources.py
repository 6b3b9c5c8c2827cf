"""Shipped resources (lexicons, dictionaries, profiles) under eventwatch/data, loaded once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml


def data_path(name: str):
    return files("eventwatch") / "data" / name


def parse_yaml(text_or_stream) -> Any:
    """A YAML document read with libyaml's safe loader when present: the same documents as yaml.safe_load
    (the shipped files are checked to parse alike by tests/test_speed_caches.py), parsed about ten times
    faster at start-up."""
    return yaml.load(text_or_stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe


@cache
def load_yaml(name: str) -> Any:
    with data_path(name).open("r", encoding="utf-8") as fh:
        return parse_yaml(fh)


@cache
def profile_documents() -> tuple[tuple[str, Any], ...]:
    """(file name, parsed document) of every shipped country profile (data/countries/*.yaml), in file-name
    order, parsed once per process: the gazetteer's signature, its admin1 and demonym tables and the
    profiles all read them (three parses of 81 files were a second of every start). Read-only: callers
    must not change the documents."""
    folder = Path(str(data_path("countries")))
    return tuple((path.name, parse_yaml(path.read_text(encoding="utf-8")))
                 for path in sorted(folder.glob("*.yaml")))


def resource_exists(name: str) -> bool:
    return data_path(name).is_file()
