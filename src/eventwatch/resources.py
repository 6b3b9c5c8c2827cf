"""Shipped resources (lexicons, dictionaries, profiles) under eventwatch/data, loaded once."""

from __future__ import annotations

import contextlib
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
    shipped = shipped_documents()
    if name in shipped:
        return shipped[name]
    with data_path(name).open("r", encoding="utf-8") as fh:
        return parse_yaml(fh)


@cache
def shipped_documents() -> dict[str, Any]:
    """Every YAML document shipped under data/, by its path there ("triggers.yaml", "countries/NG.yaml"),
    parsed once per process (from the cache of parsed documents: one read of it). Read-only."""
    root = Path(str(files("eventwatch") / "data"))
    paths = sorted(root.rglob("*.yaml"))
    return dict(zip((p.relative_to(root).as_posix() for p in paths), parsed_documents(paths), strict=True))


@cache
def profile_documents() -> tuple[tuple[str, Any], ...]:
    """(file name, parsed document) of every shipped country profile (data/countries/*.yaml), in file-name
    order, parsed once per process: the gazetteer's signature, its admin1 and demonym tables and the
    profiles all read them (three parses of 81 files were a second of every start). Read-only: callers
    must not change the documents."""
    shipped = shipped_documents()
    folder = Path(str(data_path("countries")))
    return tuple((path.name, shipped[f"countries/{path.name}"]) for path in sorted(folder.glob("*.yaml")))


YAML_CACHE_ENTRIES = 400  # documents kept in the cache file (those of older file versions are dropped first)


def parsed_documents(paths: list[Path]) -> list[Any]:
    """The YAML documents of these files, as `parse_yaml` gives them, taken from a cache of parsed documents
    in the eventwatch home keyed by each file's bytes (SHA-256) where it holds them: constructing the
    shipped documents in Python costs about 0.15 s of CPU at every start, loading them a few milliseconds.
    An edited file has new bytes, so it is parsed again; a cache that cannot be read or written is left
    aside (the files are parsed). Read-only results: callers must not change them."""
    import hashlib

    blobs = [p.read_bytes() for p in paths]
    keys = [hashlib.sha256(b).hexdigest() for b in blobs]
    cache_file = yaml_cache_path()
    stored = read_yaml_cache(cache_file)
    missing = [i for i, k in enumerate(keys) if k not in stored]
    for i in missing:
        stored[keys[i]] = parse_yaml(blobs[i].decode("utf-8"))
    if missing:
        write_yaml_cache(cache_file, stored, keep=set(keys))
    return [stored[k] for k in keys]


def yaml_cache_path() -> Path:
    import os

    import yaml as _yaml

    env = os.environ.get("EVENTWATCH_HOME")
    home = Path(env) if env else Path.home() / ".eventwatch"
    loader = "c" if hasattr(_yaml, "CSafeLoader") else "py"
    return home / "cache" / f"yaml-{_yaml.__version__}-{loader}.pickle"


def read_yaml_cache(path: Path) -> dict[str, Any]:
    import pickle

    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)  # noqa: S301 - eventwatch's own file, beside its gazetteer index
        return stored if isinstance(stored, dict) else {}
    except Exception:  # missing, truncated, or from another version: parse the files
        return {}


def write_yaml_cache(path: Path, stored: dict[str, Any], keep: set[str]) -> None:
    """Write the cache atomically (a temporary file renamed: two processes never see half a file), the
    documents of `keep` first when it must be cut to YAML_CACHE_ENTRIES."""
    import os
    import pickle

    if len(stored) > YAML_CACHE_ENTRIES:
        order = sorted(stored, key=lambda k: k not in keep)
        stored = {k: stored[k] for k in order[:YAML_CACHE_ENTRIES]}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(stored, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home: parse again next time
        with contextlib.suppress(OSError):
            tmp.unlink()


def resource_exists(name: str) -> bool:
    return data_path(name).is_file()
