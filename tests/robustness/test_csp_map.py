"""The map page works under its own Content-Security-Policy (no bypass): Chromium loads it from a real
server on 127.0.0.1, draws the markers and the basemap, opens an event's panel with its article text,
and reports no CSP violation."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]


@pytest.fixture(scope="module")
def base_url(build_sample_db, serve_app):
    from eventwatch.api import create_app

    with serve_app(create_app(db=build_sample_db("csp"))) as base:
        yield base


def test_the_map_runs_under_its_content_security_policy(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.on("pageerror", lambda e: messages.append(str(e)))
        response = page.goto(base_url + "/")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.wait_for_selector("body[data-ready=true]", timeout=30000)
        # events drawn (clusters and single markers), and one opened from the table beside the map
        assert int(page.locator("#status").get_attribute("data-markers")) > 10
        page.locator("#events-table tbody tr").first.click()
        page.wait_for_selector("#panel:not([hidden])", timeout=10000)
        assert page.locator("#panel-body").inner_text().strip()
        browser.close()
    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, violations
