"""A real news site on 127.0.0.1 for the watcher's tests: routes whose content the test changes between
polls (ETag/304, delays, redirects, errors), article pages made from the real texts of tests/data."""

from __future__ import annotations

import contextlib
import csv
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def real_texts() -> list[tuple[str, str]]:
    """(title, text) of the real articles in tests/data/inputs (the JSON Lines file and the FA-KES rows)."""
    out = []
    for line in (DATA / "inputs" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue  # the file also holds a broken line (for the readers' tests)
        out.append((d["title"], d["text"]))
    for name in ("fakes-khan-shaykhun.csv", "fakes-qamishli.csv"):
        with (DATA / "inputs" / name).open(encoding="utf-8") as fh:
            out += [(r["article_title"], r["article_content"]) for r in csv.DictReader(fh)]
    return out


def article_html(title: str, text: str, *, canonical: str | None = None, outlet: str = "Test News",
                 date: str = "2017-04-05") -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip()) or f"<p>{html.escape(text)}</p>"
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>{link}"
            f'<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" '
            f'content="{date}"></head><body><nav><a href="/">Home</a> <a href="/tag/syria">Syria</a></nav>'
            f"<article><h1>{html.escape(title)}</h1>{paras}</article><footer>(c) Test News</footer></body></html>")


def rss(items: list[dict], title: str = "Test News") -> str:
    """items: url, title, summary, updated (an RFC 822 date or ISO text)."""
    body = "".join(
        f"<item><title>{html.escape(i['title'])}</title><link>{i['url']}</link><guid>{i['url']}</guid>"
        f"<description>{html.escape(i.get('summary', ''))}</description>"
        f"<pubDate>{i.get('updated', 'Wed, 05 Apr 2017 10:00:00 GMT')}</pubDate></item>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.org/</link><description>news</description>{body}</channel></rss>")


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    delay: float = 0.0
    location: str | None = None  # a redirect
    fail_times: int = 0  # answer 500 this many times first


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str, dict]] = field(default_factory=list)  # method, path, headers
    posts: list[tuple[str, dict, bytes]] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: str | bytes = b"", **kw) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(body=data, **kw)

    def remove(self, path: str) -> None:
        with self.lock:
            self.routes.pop(path, None)

    def hits(self, path: str) -> list[dict]:
        return [h for m, p, h in self.log if p == path and m == "GET"]


def handler_for(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def answer(self, method: str):
            headers = {k.lower(): v for k, v in self.headers.items()}
            length = int(headers.get("content-length") or 0)
            body_in = self.rfile.read(length) if length else b""
            with site.lock:
                site.log.append((method, self.path, headers))
                if method == "POST":
                    site.posts.append((self.path, headers, body_in))
                route = site.routes.get(self.path)
                if route is not None and route.fail_times > 0:
                    route.fail_times -= 1
                    route = Route(body=b"server error", status=500)
            if route is None:
                return self.reply(404, b"not found", "text/plain")
            if route.delay:
                time.sleep(route.delay)
            if route.location:
                self.send_response(route.status if route.status in (301, 302, 307, 308) else 302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            extra = {}
            if route.etag:
                extra["ETag"] = route.etag
                extra["Last-Modified"] = "Wed, 05 Apr 2017 00:00:00 GMT"
                if headers.get("if-none-match") == route.etag:
                    return self.reply(304, b"", route.ctype, extra)
            return self.reply(route.status, route.body, route.ctype, extra)

        def reply(self, status, body, ctype, extra=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # the client may stop reading (a page over its size limit)

        def do_GET(self):
            self.answer("GET")

        def do_POST(self):
            self.answer("POST")

    return Handler


def start_site() -> tuple[Site, ThreadingHTTPServer]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server
