"""Reading the web politely: one HTTP client (httpx) with timeouts, retries with back-off, a size limit,
conditional GET, robots.txt and a per-host rate limit; what a response is (feed, sitemap, page) decided
by its content type and its content, never by the URL's extension; an article page turned into an
Article with its canonical URL.

`Fetcher` is the resource: made once by the caller (the CLI, `watch`, a test) and passed in.
"""

from __future__ import annotations

import gzip
import io
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from eventwatch.ingest.decode import UnreadableInput, decode_bytes
from eventwatch.ingest.feed import ListedItem, Listing, list_feed, list_page_links, list_sitemap
from eventwatch.ingest.html import article_from_html
from eventwatch.records import Article, Problem, stable_id

USER_AGENT = "eventwatch/0.1 (+https://github.com/eventwatch; news monitor)"
MAX_PAGE_BYTES = 5_000_000  # an article page or a feed; reading stops past this (a 50 MB page is refused)
MAX_SITEMAP_BYTES = 20_000_000


class FetchError(Exception):
    """A URL that could not be read, with a reason a user can act on. `transient`: a timeout, a refused
    connection or a server error, worth trying again later (a 404, robots.txt or a redirect loop is not)."""

    def __init__(self, reason: str, transient: bool = False):
        super().__init__(reason)
        self.transient = transient


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    status: int  # 200, or 304 (not modified: body empty)
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


class HostLimiter:
    """At most one request per `interval` seconds to each host (thread-safe): politeness, not speed."""

    def __init__(self, interval: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> None:
        if self.interval <= 0:
            return
        host = urlsplit(url).netloc
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


@dataclass
class Fetcher:
    """An HTTP client with the politeness rules of a monitor. Close it when done (`with Fetcher() as f`)."""

    timeout: float = 20.0
    retries: int = 2  # further attempts after a timeout, a connection error or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_bytes: int = MAX_PAGE_BYTES
    rate: HostLimiter = field(default_factory=HostLimiter)
    respect_robots: bool = True
    robots_ttl: float = 3600.0
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    client: httpx.Client | None = None
    _robots: dict[str, tuple[float, RobotFileParser | None]] = field(default_factory=dict)
    _robots_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=8,
                                       headers={"User-Agent": self.user_agent})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    # --- robots.txt ---------------------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets us fetch it (a missing robots.txt allows all)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(root)
        if cached is None or time.monotonic() - cached[0] > self.robots_ttl:
            rules: RobotFileParser | None = None
            try:
                got = self._get(root + "/robots.txt", max_bytes=500_000, retries=0)
                if got.status == 200:
                    rules = RobotFileParser()
                    rules.parse(got.body.decode("utf-8", "replace").splitlines())
            except FetchError as exc:
                # 4xx: no rules, everything allowed (RFC 9309); unreachable: decided by the page fetch itself.
                if "HTTP 5" in str(exc):
                    rules = RobotFileParser()
                    rules.disallow_all = True  # RFC 9309: a server error means "assume complete disallow"
            cached = (time.monotonic(), rules)
            with self._robots_lock:
                self._robots[root] = cached
        rules = cached[1]
        return rules is None or rules.can_fetch(self.user_agent, url)

    # --- GET ------------------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Fetched:
        """GET a URL (robots.txt, rate limit, retries); 304 when the validators still hold.
        Raises FetchError with the reason."""
        if not self.allowed(url):
            raise FetchError("disallowed by the site's robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers=headers, max_bytes=max_bytes or self.max_bytes, retries=self.retries)

    def _get(self, url: str, *, headers: dict | None = None, max_bytes: int, retries: int) -> Fetched:
        delay = self.backoff
        for attempt in range(retries + 1):
            self.rate.wait(url)
            try:
                return self._get_once(url, headers or {}, max_bytes)
            except _Retryable as exc:
                if attempt == retries:
                    raise FetchError(str(exc), transient=True) from None
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _get_once(self, url: str, headers: dict, max_bytes: int) -> Fetched:
        assert self.client is not None
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status >= 500 or status == 429:
                    raise _Retryable(f"HTTP {status} from the server")
                if status == 304:
                    return Fetched(url, str(response.url), 304, "", b"", response.headers.get("etag"),
                                   response.headers.get("last-modified"))
                if status >= 400:
                    raise FetchError(f"HTTP {status}")
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise FetchError(f"too large ({int(length) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB): not read")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:  # stop reading: the rest is never downloaded
                        raise FetchError(f"too large (over {max_bytes / 1e6:.0f} MB): stopped reading")
                    chunks.append(chunk)
                body = b"".join(chunks)
                return Fetched(url, str(response.url), status, response.headers.get("content-type", ""),
                               body, response.headers.get("etag"), response.headers.get("last-modified"))
        except httpx.TooManyRedirects:
            raise FetchError("a redirect loop (or too many redirects)") from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"could not connect ({type(exc).__name__}: {exc})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"not a valid URL ({exc})") from None


class _Retryable(Exception):
    pass


# --- what a response is -------------------------------------------------------------------------------

def maybe_gunzip(body: bytes, max_bytes: int = MAX_SITEMAP_BYTES) -> bytes:
    """A gzipped sitemap served as a file (not as a content encoding) is unpacked, within the size limit."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise UnreadableInput(f"broken gzip data ({exc})") from None
    if len(data) > max_bytes:
        raise UnreadableInput(f"unpacks to over {max_bytes / 1e6:.0f} MB: refused")
    return data


def detect_kind(content_type: str, body: bytes) -> str:
    """'feed', 'sitemap', 'html' or 'other', by the content first and the content type second: a feed
    URL ending in .html, or an HTML error page served as application/rss+xml, is what its bytes say."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head[:500] and b"<rss" not in head):
        return "html"
    if re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if re.search(rb"<(?:urlset|sitemapindex)[\s>]", head):
        return "sitemap"
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    return "other"


def read_listing(fetched: Fetched, expect: str = "auto") -> tuple[str, Listing]:
    """The items a source's response lists, and what it was. `expect` (feed, sitemap, page, auto) is
    what the source was declared as: a declared feed that turns out to be HTML is an error, not a page."""
    body = maybe_gunzip(fetched.body)
    kind = detect_kind(fetched.content_type, body)
    if expect == "feed" and kind != "feed":
        raise UnreadableInput(f"declared a feed, but the server sent {'an HTML page' if kind == 'html' else kind}")
    if expect == "sitemap" and kind != "sitemap":
        raise UnreadableInput(f"declared a sitemap, but the server sent {'an HTML page' if kind == 'html' else kind}")
    if kind == "feed":
        return kind, list_feed(body, fetched.final_url)
    if kind == "sitemap":
        return kind, list_sitemap(body, fetched.final_url)
    if kind == "html":
        html = decode_bytes(body, max_bytes=None)
        return "page", list_page_links(html, fetched.final_url)
    raise UnreadableInput(f"neither a feed, a sitemap nor a web page ({fetched.content_type or 'no content type'})")


# --- article pages ---------------------------------------------------------------------------------

class CanonicalFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "link" and self.canonical is None:
            a = dict(attrs)
            if "canonical" in (a.get("rel") or "").lower().split() and a.get("href"):
                self.canonical = a["href"].strip()


def canonical_url(html: str, base_url: str) -> str | None:
    """The page's <link rel="canonical"> as an absolute URL (looked for in its first 200,000 characters)."""
    finder = CanonicalFinder()
    finder.feed(html[:200_000])
    if not finder.canonical:
        return None
    url = urljoin(base_url, finder.canonical)
    return url if urlsplit(url).scheme in ("http", "https") else None


# A page that asks for a subscription or a consent instead of showing the story. Only short pages are
# judged: a long article that mentions cookies is still an article.
WALL = re.compile(
    r"subscribe (?:now )?to (?:continue|read)|to continue reading|already a subscriber|subscribers only"
    r"|for subscribers|sign in to (?:read|continue)|create a free account to|accept (?:all )?cookies"
    r"|we value your privacy|manage (?:your )?consent|consent to (?:the use of )?cookies|before you continue",
    re.IGNORECASE)
WALL_MAX_WORDS = 150


def looks_like_wall(text: str) -> bool:
    return len(text.split()) < WALL_MAX_WORDS and WALL.search(text) is not None


@dataclass(frozen=True)
class Page:
    """An article page read: the Article and the URLs that name it."""

    article: Article
    final_url: str
    canonical: str | None


def article_from_page(fetched: Fetched, listed: ListedItem | None = None) -> Page:
    """The article on a fetched page (trafilatura: text, title, date, outlet), identified by its canonical
    URL; the listing's title, date and outlet fill what the page lacks. Raises UnreadableInput."""
    body = maybe_gunzip(fetched.body, MAX_PAGE_BYTES)
    kind = detect_kind(fetched.content_type, body)
    if kind not in ("html", "other"):
        raise UnreadableInput(f"not an article page (a {kind})")
    html = decode_bytes(body, max_bytes=None)
    canonical = canonical_url(html, fetched.final_url)
    key = canonical or fetched.final_url
    article = article_from_html(html, article_id=stable_id(key), url=key, source_path=fetched.url)
    if looks_like_wall(article.raw_text):
        raise UnreadableInput("a paywall or consent wall, not the article")
    if listed is not None:
        article = article.model_copy(update={
            "title": article.title or listed.title, "outlet": article.outlet or listed.outlet,
            "published": article.published or listed.published,
            "published_source": article.published_source or ("metadata" if listed.published else None)})
    return Page(article=article, final_url=fetched.final_url, canonical=canonical)


def article_from_summary(listed: ListedItem, reason: str) -> Article:
    """The listing's own text, when the page could not be read (`extra` says why)."""
    text = " ".join(filter(None, [listed.title, listed.summary]))
    return Article(article_id=stable_id(listed.url), raw_text=text, title=listed.title, outlet=listed.outlet,
                   url=listed.url, published=listed.published,
                   published_source="metadata" if listed.published else None, source_path=listed.url,
                   source_format="feed", extra={"from_summary": reason[:200]})


SUMMARY_MIN_WORDS = 25  # a summary shorter than this cannot stand in for the article


def read_item(fetcher: Fetcher, listed: ListedItem) -> Page | Problem:
    """Fetch one listed article; fall back to the listing's summary when the page cannot be read and the
    summary is long enough to code. A Problem names the URL and the reason."""
    try:
        return article_from_page(fetcher.get(listed.url), listed)
    except (FetchError, UnreadableInput) as exc:
        reason = str(exc)
    if listed.summary and len(listed.summary.split()) >= SUMMARY_MIN_WORDS:
        article = article_from_summary(listed, reason)
        return Page(article=article, final_url=listed.url, canonical=None)
    return Problem(path=listed.url, reason=reason)


def page_reader(fetcher: Fetcher) -> Callable[[ListedItem], Article | str]:
    """A function that reads one listed article's page with `fetcher` (as `watch` and feed URLs do:
    trafilatura, the canonical URL, paywalls refused), returning the Article or why it could not be read.
    A host that could not be reached or timed out is not asked again by the same function: a feed file
    whose links point at a dead site costs one timeout, not one per entry."""
    down: dict[str, str] = {}

    def read(listed: ListedItem) -> Article | str:
        host = urlsplit(listed.url).netloc
        if host in down:
            return f"{down[host]}, earlier in this run: not tried again"
        try:
            return article_from_page(fetcher.get(listed.url), listed).article
        except FetchError as exc:
            if exc.transient and str(exc).startswith(("could not connect", "timed out")):
                down[host] = str(exc)
            return str(exc)
        except UnreadableInput as exc:
            return str(exc)

    return read


def read_url_items(url: str, fetcher: Fetcher | None = None) -> Iterator[Article | Problem]:
    """A URL the user named for `run`: a web page is one article; a feed or a sitemap is read as the
    articles it lists (each page fetched, its summary the fallback)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(rate=HostLimiter(0.5))
    try:
        try:
            fetched = fetcher.get(url)
        except FetchError as exc:
            yield Problem(path=url, reason=f"could not fetch the page ({exc})")
            return
        body = maybe_gunzip(fetched.body) if fetched.body[:2] == b"\x1f\x8b" else fetched.body
        kind = detect_kind(fetched.content_type, body)
        if kind in ("html", "other"):
            try:
                yield article_from_page(fetched).article
            except UnreadableInput as exc:
                yield Problem(path=url, reason=str(exc))
            return
        try:
            _, listing = read_listing(fetched)
        except UnreadableInput as exc:
            yield Problem(path=url, reason=str(exc))
            return
        if not listing.items and not listing.sitemaps:
            yield Problem(path=url, reason=f"the {kind} lists no articles")
        for child in listing.sitemaps[:50]:
            yield from read_url_items(child, fetcher)
        for listed in listing.items:
            page = read_item(fetcher, listed)
            yield page if isinstance(page, Problem) else page.article
    finally:
        if own:
            fetcher.close()
