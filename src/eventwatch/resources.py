"""Shipped resources (lexicons, dictionaries, profiles) under eventwatch/data, loaded once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml


def data_path(name: str):
    return files("eventwatch") / "data" / name


@cache
def load_yaml(name: str) -> Any:
    with data_path(name).open("r", encoding="utf-8") as fh:
        # libyaml's loader when present: the same documents, parsed about ten times faster at start-up
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def resource_exists(name: str) -> bool:
    return data_path(name).is_file()
