"""RSS and Atom feeds: one article per entry (feedparser); and the listings `watch` reads: feed entries,
sitemap and news-sitemap URLs, links to articles on a section page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import trafilatura

from eventwatch.bounds import date_problem
from eventwatch.ingest.decode import UnreadableInput, decode_bytes
from eventwatch.records import Article, Problem, stable_id


def entry_text(entry) -> str:
    """The fullest body the entry carries, as plain text."""
    bodies = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    body = max(bodies, key=len) if bodies else ""
    if "<" in body:
        body = trafilatura.extract(f"<html><body><article>{body}</article></body></html>") or ""
    return body.strip()


def read_feed_file(path: Path, fetch_page: PageReader | None = None) -> Iterator[Article | Problem]:
    """The articles of a feed saved to a file.

    Without `fetch_page`, each entry is coded from its own text (its summary or content). With it (a
    function from eventwatch.ingest.url.page_reader), each entry's linked article page is read instead,
    as for a feed URL; when the page cannot be read, the entry's text stands in and a Problem (the
    entry's row, the link and why) says so. Yields Articles, and Problems for what is skipped."""
    try:
        data = decode_bytes(path.read_bytes(), max_bytes=200_000_000)
    except UnreadableInput as exc:
        yield Problem(path=str(path), reason=str(exc))
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"not a readable feed ({feed.bozo_exception})" if feed.bozo else "feed has no entries"
        yield Problem(path=str(path), reason=reason)
        return
    outlet = feed.feed.get("title") or None
    for i, entry in enumerate(feed.entries, start=1):
        text = entry_text(entry)
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            published = dt.date(*parsed[:3]) if parsed else None
        except (ValueError, TypeError):
            published = None
        if (bad_date := date_problem(published, "publication date")) is not None:
            yield Problem(path=str(path), row=i, reason=bad_date)
            continue
        link = entry.get("link")
        own = Article(
            article_id=stable_id(entry.get("id") or link or text[:200]),
            raw_text=text,
            title=entry.get("title") or None,
            outlet=outlet,
            url=link,
            published=published,
            published_source="metadata" if published else None,
            source_path=f"{path}#{i}",
            source_format="feed",
        ) if text else None
        if fetch_page is None:
            yield own if own is not None else Problem(path=str(path), row=i, reason="entry has no text")
            continue
        if not link or urlsplit(link).scheme not in ("http", "https"):
            reason = "the entry has no link" if not link else f"its link {link!r} is not a web address"
        else:
            listed = ListedItem(url=link, title=entry.get("title") or None, summary=text or None,
                                published=published, outlet=outlet)
            page = fetch_page(listed)
            if isinstance(page, Article):
                yield page.model_copy(update={"source_path": f"{path}#{i}"})
                continue
            reason = f"the article page {link} could not be read ({page})"
        if own is None:
            yield Problem(path=str(path), row=i, reason=f"{reason}, and the entry has no text")
        else:
            yield Problem(path=str(path), row=i, reason=f"{reason}: coded from the entry's summary instead")
            yield own.model_copy(update={"extra": {**own.extra, "from_summary": reason[:200]}})


# --- listings: what a feed, a sitemap or a section page says is there (for `watch` and feed URLs) ---------

@dataclass(frozen=True)
class ListedItem:
    """One article a source lists: its link and what the listing tells of it (the summary is a fallback)."""

    url: str
    title: str | None = None
    summary: str | None = None
    published: dt.date | None = None
    version: str | None = None  # the entry's `updated` or the sitemap's `lastmod`: a change means an edit
    outlet: str | None = None


# Reads one listed article's page: the Article, or why it could not be read (see url.page_reader).
PageReader = Callable[[ListedItem], Article | str]


@dataclass
class Listing:
    items: list[ListedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    outlet: str | None = None


# An XML document that declares entities is refused outright: no news feed needs them, and they are how
# "billion laughs" and external-entity attacks are built.
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entities(data: bytes) -> None:
    if ENTITY_DECLARATION.search(data[:200_000]):
        raise UnreadableInput("the XML declares entities (a possible entity bomb): refused")


def list_feed(data: bytes, base_url: str | None = None) -> Listing:
    """Entries of an RSS/Atom feed. Raises UnreadableInput for what is not a feed or is unsafe."""
    refuse_entities(data)
    feed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    if not feed.entries and not feed.version:
        reason = f"not a readable feed ({feed.bozo_exception})" if feed.bozo else "not a feed"
        raise UnreadableInput(reason)
    outlet = feed.feed.get("title") or None
    out = Listing(outlet=outlet)
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            continue
        if base_url:
            link = urljoin(base_url, link)
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        out.items.append(ListedItem(
            url=link, title=entry.get("title") or None, summary=entry_text(entry) or None,
            published=dt.date(*parsed[:3]) if parsed else None,
            # dict.get: the raw keys, without feedparser's deprecated updated->published mapping
            version=dict.get(entry, "updated") or dict.get(entry, "published") or None, outlet=outlet))
    return out


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def list_sitemap(data: bytes, base_url: str | None = None) -> Listing:
    """URLs of a sitemap or news sitemap (with news:title and news:publication_date), or the child
    sitemaps of a sitemap index. Parsed with defusedxml: no entities, no external references."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    refuse_entities(data)
    try:
        root = fromstring(data)
    except (DefusedXmlException, SyntaxError) as exc:  # ParseError is a SyntaxError
        raise UnreadableInput(f"not a readable sitemap ({exc})") from None
    out = Listing()
    kind = local_name(root.tag)
    for node in root:
        fields: dict[str, str] = {}
        for child in node.iter():
            name = local_name(child.tag)
            if child.text and child.text.strip() and name not in fields:
                fields[name] = child.text.strip()
        loc = fields.get("loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc) if base_url else loc
        if kind == "sitemapindex":
            out.sitemaps.append(loc)
            continue
        date = fields.get("publication_date") or fields.get("lastmod")
        out.items.append(ListedItem(url=loc, title=fields.get("title"), published=parse_day(date),
                                    version=fields.get("lastmod") or fields.get("publication_date"),
                                    outlet=fields.get("name")))
    if kind not in ("urlset", "sitemapindex"):
        raise UnreadableInput(f"not a sitemap (root element <{kind}>)")
    return out


def parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# A link to an article: a slug of several words or a number in its path. Menus, tags, authors, pages of
# a listing and files are not articles.
ARTICLE_PATH = re.compile(r"(?:[a-z0-9]+-){2,}[a-z0-9]+|/\d{4,}|/\d{4}/\d{1,2}/", re.IGNORECASE)
NOT_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|category|categories|author|authors|page|search|login|subscribe|about|contact|privacy)(?:/|$)"
    r"|\.(?:jpe?g|png|gif|svg|webp|pdf|mp[34]|zip|css|js|xml|rss)$", re.IGNORECASE)


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def list_page_links(html: str, base_url: str) -> Listing:
    """Links to articles on a section page: same site, an article-like path, each once, in page order."""
    parser = LinkCollector()
    parser.feed(html)
    host = urlsplit(base_url).netloc
    seen: set[str] = set()
    out = Listing()
    for href, text in parser.links:
        url = urldefrag(urljoin(base_url, href.strip())).url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host or url == base_url or url in seen:
            continue
        if NOT_ARTICLE_PATH.search(parts.path) or not ARTICLE_PATH.search(parts.path):
            continue
        seen.add(url)
        out.items.append(ListedItem(url=url, title=text or None))
    return out
