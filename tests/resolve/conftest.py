"""Gazetteer fixtures: the index is built once (about 15 s) into pytest's cache and reused by later runs
while the shipped sources are unchanged; tests that change it work on a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventwatch.gazetteer import INDEX_FILE, Gazetteer

GAZETTEER_DATA = Path(__file__).parents[1] / "data" / "gazetteer"


def gazetteer_home(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(config, "cache", None)
    return Path(cache.mkdir("eventwatch-gazetteer")) if cache else tmp_path_factory.mktemp("gazetteer")


@pytest.fixture(scope="session")
def shared_gazetteer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """The default index (GeoNames cities500 + shipped tables), read-only for tests."""
    return Gazetteer(home=gazetteer_home(request.config, tmp_path_factory))


@pytest.fixture
def scratch_gazetteer(shared_gazetteer: Gazetteer, tmp_path: Path) -> Gazetteer:
    """A private copy of the index, for tests that import dumps or add places."""
    shutil.copy(shared_gazetteer.path, tmp_path / INDEX_FILE)
    return Gazetteer(home=tmp_path)


@pytest.fixture(scope="session")
def gazetteer_data() -> Path:
    return GAZETTEER_DATA
