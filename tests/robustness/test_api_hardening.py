"""The API against hostile requests, on a real `eventwatch serve` process on 127.0.0.1 (streaming and the
order of checks only show on a real server): the body limit holds for chunked uploads without a
Content-Length, the token is checked before a byte of the body is read, an empty token is refused at
start, every response carries the security headers, and out-of-range parameters are 422s, never 500s."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

TOKEN = "hardening-token-41"
ARTICLE = ("Three people were killed and five wounded on Tuesday when a car bomb exploded near the market in "
           "the town of Azaz, north of Aleppo, the Syrian Observatory for Human Rights said.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventwatch_command() -> list[str]:
    exe = Path(sys.executable).parent / "eventwatch"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "eventwatch.cli"]


PG_URL = os.environ.get("EVENTWATCH_TEST_PG_URL")
# The same checks with the server on PostgreSQL (`make test-postgres`): the parameters reach SQL there too.
BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set EVENTWATCH_TEST_PG_URL (make test-postgres)")])]


def reset_postgres(url: str) -> None:
    """Drop every table the migrations made: the next server starts on a fresh database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    if request.param == "postgres":
        reset_postgres(PG_URL)
        db = PG_URL
    else:
        db = str(tmp_path_factory.mktemp("api-hard") / "api.db")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EVENTWATCH_TOKEN"}
    proc = subprocess.Popen([*eventwatch_command(), "serve", "--db", db, "--port", str(port), "--token", TOKEN],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/config", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the server did not start: " + proc.stdout.read().decode(errors="replace"))
    yield base, port, proc
    proc.terminate()
    proc.wait(timeout=20)
    if request.param == "postgres":
        reset_postgres(PG_URL)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def raw_post(port: int, headers: str, chunks, *, stop_when_answered: bool = True) -> tuple[str, int]:
    """Send a POST by hand; returns (the response head, bytes of body sent before the server answered)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(headers.encode())
        for chunk in chunks:
            readable, _, _ = select.select([s], [], [], 0)
            if readable and stop_when_answered:
                break
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        s.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                part = s.recv(65536)
                if not part:
                    break
                data += part
        except (ConnectionResetError, TimeoutError):
            pass
    return data.decode("latin-1"), sent


def chunked(total: int, size: int = 65536):
    piece = b"x" * size
    for _ in range(total // size):
        yield b"%x\r\n" % size + piece + b"\r\n"
    yield b"0\r\n\r\n"


def test_a_chunked_body_without_content_length_is_cut_off_at_the_limit(server):
    base, port, proc = server
    before = rss_kb(proc.pid)
    head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    response, sent = raw_post(port, head, chunked(300_000_000))
    assert response.startswith("HTTP/1.1 413"), response
    assert sent < 50_000_000  # answered long before the 300 MB were sent
    assert rss_kb(proc.pid) - before < 100_000  # the server did not hold the upload in memory
    assert httpx.get(base + "/api/events").status_code == 200  # and it still serves


def test_the_token_is_checked_before_the_body_is_read(server):
    _, port, _ = server
    for auth, status in (("", "401"), ("Authorization: Bearer wrong\r\n", "401")):
        head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n")
        # the first chunk only: the answer must come without the rest of the body
        response, _ = raw_post(port, head, [b"10\r\n" + b"{" * 16 + b"\r\n"], stop_when_answered=False)
        assert response.startswith(f"HTTP/1.1 {status}"), response
    head = ("POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000000\r\n\r\n")
    response, _ = raw_post(port, head, [b"{"], stop_when_answered=False)
    assert response.startswith("HTTP/1.1 401"), response


def test_a_declared_oversized_body_is_refused_at_once(server):
    _, port, _ = server
    for length in ("999999999999", "2000001", "-5", "12abc"):
        head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n")
        response, _ = raw_post(port, head, [b"{"], stop_when_answered=False)
        assert response.startswith(("HTTP/1.1 413", "HTTP/1.1 400")), (length, response)


def test_a_good_post_still_works_and_a_far_date_is_a_422(server):
    base, _, _ = server
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = httpx.post(base + "/api/articles", json={"text": ARTICLE, "published": "9999-12-31"}, headers=auth)
    assert bad.status_code == 422 and "outside" in bad.json()["detail"]
    ancient = httpx.post(base + "/api/articles", json={"text": ARTICLE, "published": "0001-01-01"}, headers=auth)
    assert ancient.status_code == 422
    good = httpx.post(base + "/api/articles", json={"text": ARTICLE, "published": "2019-06-05"}, headers=auth,
                      timeout=60)
    assert good.status_code == 201, good.text
    assert httpx.get(base + "/api/events").json()["total"] >= 1  # fusion ran: no OverflowError poisoning


@pytest.mark.parametrize("params", [
    {"since": "0001-01-01"}, {"until": "9999-12-31"}, {"since": "1899-12-31"},
    {"min_fatalities": str(2**63)}, {"min_fatalities": str(2**64 + 5)}, {"min_fatalities": "-1"},
    {"offset": str(2**63)}, {"limit": str(2**63)}, {"bbox": "1e309,0,2,3"}, {"bbox": "-1e309,0,2,3"},
    {"bbox": "nan,0,2,3"}, {"q": "a\x00b"}, {"actor": "\x1b[2J"},
])
def test_out_of_range_parameters_are_422_with_a_message(server, params):
    base, _, _ = server
    for path in ("/api/events", "/api/stats"):
        r = httpx.get(base + path, params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.json()["detail"]


def test_every_response_carries_the_security_headers(server):
    base, _, _ = server
    responses = [httpx.get(base + "/"), httpx.get(base + "/api/events"), httpx.get(base + "/api/events/nope"),
                 httpx.get(base + "/static/app.js"), httpx.get(base + "/api/events", params={"since": "x"}),
                 httpx.post(base + "/api/articles", json={"text": ARTICLE})]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 422, 401]
    for r in responses:
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in responses[0].headers["content-security-policy"].split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("token", ["", "   "])
def test_an_empty_token_refuses_to_start(tmp_path, token):
    # `--token "$EVENTWATCH_TOKEN"` with the variable unset; (an empty EVENTWATCH_TOKEN itself counts as
    # no token: the server starts read-only and says so)
    env = {k: v for k, v in os.environ.items() if k != "EVENTWATCH_TOKEN"}
    args = [*eventwatch_command(), "serve", "--db", str(tmp_path / "x.db"), "--port", str(free_port()),
            "--token", token]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert "token is empty" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
