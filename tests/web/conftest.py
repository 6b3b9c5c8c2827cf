"""Shared fixtures of the browser tests: one real server on the sample database and one Chromium per module."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(build_sample_db, serve_app):
    """(base URL, app) of a real eventwatch server on 127.0.0.1 over the sample database."""
    from eventwatch.api import create_app

    app = create_app(db=build_sample_db("web"))
    with serve_app(app) as base:
        yield base, app


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (the tests skip themselves where it is not installed)."""
    from playwright.sync_api import sync_playwright
    from tests.web.test_map import CHROMIUM

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
