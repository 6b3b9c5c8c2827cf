"""The clean stage: scraped page text -> the story, with an offset map back to the raw text.

Decisions are per paragraph (a line of scraped text): navigation, donation appeals, newsletter and
GDPR forms, comment sections, photo captions, repeated lines and links in another script are
dropped; the title and the story are kept verbatim, so every cleaned offset maps to a raw offset.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlparse

from eventwatch.bounds import EARLIEST_DATE, LATEST_DATE, date_in_range
from eventwatch.records import Article, OffsetSegment
from eventwatch.resources import load_yaml

PARAGRAPH = re.compile(r"[^\n]+")
SENTENCE_END = re.compile(r"""[.!?…]["'’”)\]]*$""")
# "Assad Forces' personnel in rural Daraa – July 2018 (Reuters)": a photo caption credits a source.
CAPTION_CREDIT = re.compile(r"\((?:reuters|afp|ap|getty( images)?|epa|[a-z][\w .'-]{1,30})\)$", re.I)
MAX_BOILERPLATE_WORDS = 40
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Boilerplate:
    drop: tuple[re.Pattern, ...]
    stop: tuple[re.Pattern, ...]


@cache
def boilerplate_rules() -> Boilerplate:
    rules = load_yaml("boilerplate.yaml")
    return Boilerplate(
        drop=tuple(re.compile(p, re.I) for p in rules["drop"]),
        stop=tuple(re.compile(p, re.I) for p in rules["stop"]),
    )


def is_headline_like(line: str) -> bool:
    """Short, no closing punctuation, most words capitalised: a title, a caption or a link."""
    words = line.split()
    if not words or len(words) > 25 or SENTENCE_END.search(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= 0.6


# "... in Dhaka, Bangladesh on October 28. — AFP": a photo caption ends with a dash and the photo's credit
DASHED_CREDIT = re.compile(r"\s[—–-]{1,2}\s*(?:AFP|Reuters|AP|EPA(?:-EFE)?|Getty Images|File|Photo|Xinhua|Anadolu(?: Agency)?|"
                           r"AFP/Getty Images|Reuters/File|AP Photo|AFP/File)\s*$")


# "Mourners gather around coffins of supporters ... in Sacaba, Bolivia, Friday, No...": a gallery caption or a
# teaser cut short by the page
TRUNCATED = re.compile(r"\w(?:\.\.\.|…)$")


# Rule cl-credit-slash: "... in four provinces. (JP/Jerry Adiguna)", "(AFP/Getty Images)": a bracketed credit of an
# outlet and a photographer (or a picture agency) after the line's last full stop closes a photo caption,
# however long the caption is.
SLASHED_CREDIT = re.compile(r"[.!?]\s*\([A-Z][\w.&'-]{1,20}(?:\s[\w.&'-]+){0,2}/[A-Z][\w.'-]*(?:\s[\w.'-]+){0,3}\)$")
MAX_CAPTION_WORDS = 80


def is_caption(line: str) -> bool:
    """A photo caption: a short line ending in a credit in brackets ("(Reuters)") without a sentence end, or
    any short line ending in a dash and a photo credit ("... on October 28. — AFP"), or a line up to
    MAX_CAPTION_WORDS long closed by an outlet's and photographer's credit (rule cl-credit-slash)."""
    if len(line.split()) > 40:
        return len(line.split()) <= MAX_CAPTION_WORDS and bool(SLASHED_CREDIT.search(line))
    if SLASHED_CREDIT.search(line):
        return True
    return (not SENTENCE_END.search(line) and bool(CAPTION_CREDIT.search(line))) or bool(DASHED_CREDIT.search(line)) \
        or bool(TRUNCATED.search(line))


def is_other_script_link(line: str) -> bool:
    """A short line in Arabic script inside an English page is the 'Arabic version' link."""
    return len(line) < 120 and len(ARABIC.findall(line)) > 3 * len(LATIN.findall(line))


def keep_paragraphs(raw: str, title: str | None) -> list[re.Match]:
    rules = boilerplate_rules()
    kept: list[re.Match] = []
    seen: set[str] = set()
    story_started = False
    title_seen = False
    # In an English page a short Arabic line is the "Arabic version" link; in an Arabic page it is text.
    # (the Latin letters need counting only when the page has Arabic ones: most pages have none)
    arabic = len(ARABIC.findall(raw))
    latin_page = arabic == 0 or len(LATIN.findall(raw)) >= arabic
    for m in PARAGRAPH.finditer(raw):
        line = m.group().strip()
        if not line:
            continue
        words = line.split()  # once per line (lower-casing makes or removes no white space)
        key = " ".join(words).lower()
        if any(p.search(line) for p in rules.stop):
            if story_started:
                break
            continue  # a "Comments" link in the page header: not the story, not yet its end
        short = len(words) <= MAX_BOILERPLATE_WORDS
        other_script = latin_page and is_other_script_link(line)
        if key in seen or (short and any(p.search(line) for p in rules.drop)) or other_script:
            continue
        seen.add(key)
        if is_caption(line):
            continue
        if is_headline_like(line):
            is_title = title is not None and key == " ".join(title.lower().split())
            # The first headline is the title; later ones are captions and links to other stories.
            if is_title or (title is None and not title_seen):
                title_seen = True
                kept.append(m)
            continue
        story_started = True
        kept.append(m)
    return kept


def clean_text(raw: str, title: str | None = None) -> tuple[str, list[OffsetSegment], str | None]:
    """Return the cleaned text, its offset map into `raw`, and the title found (if none was given)."""
    pieces: list[str] = []
    segments: list[OffsetSegment] = []
    found_title = title
    pos = 0
    for m in keep_paragraphs(raw, title):
        line = m.group()
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if found_title is None and not pieces and is_headline_like(body):
            found_title = body
        if pieces:
            pos += 2  # the "\n\n" between paragraphs is ours, not the page's
        segments.append(OffsetSegment(clean_start=pos, raw_start=m.start() + lead, length=len(body)))
        pieces.append(body)
        pos += len(body)
    return "\n\n".join(pieces), segments, found_title


# --- metadata the text itself gives ------------------------------------------------------------

MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATELINE_PATTERNS = [
    # "Date of publication 4 October 2016", "Published: 12 March 2018", "Posted on May 3, 2017"
    # (FA-KES's Jordan Times pages glue day and year: "Last updated at Apr 152017")
    # Page headers: "Published: 2019-12-24", "Updated: Tuesday, December 24, 2019 10:32", "Date: 24.12.2019"
    re.compile(r"\b(?:date of publication|(?:first |last )?published(?: on| at)?|posted(?: on| at)?|"
               r"(?:last )?updated(?: at| on)?|publication date|date)\s*:?\s*"
               r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
               r"(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
               r"|\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4}|[A-Za-z]{3,9}\.?\s+\d{5,6}\b)", re.I),
    # FA-KES and wire datelines at the very start: "Wed 05 Apr 2017 ...", "Sun 16 Apr 2017 at 0914"
    re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
               rf"(?P<date>\d{{1,2}}\s+(?:{MONTHS})[a-z]*\.?,?\s+\d{{4}})", re.I),
    re.compile(rf"^\s*(?P<date>(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}})\b", re.I),
    re.compile(rf"^\s*(?P<date>\d{{1,2}}\s+(?:{MONTHS})[a-z]*\.?,?\s+\d{{4}})\b", re.I),
    # Rule pub-head-line: a line of the page's head that is only a date, after the headline, perhaps with a
    # byline, a weekday or a clock time ("November 4, 2019", "By Staff Reporter | 12 March 2018 10:32 GMT",
    # "Monday, 4 November 2019 - 14:05"): the page's date line. A full date only (day, month and year).
    re.compile(r"(?:^|\n)[ \t]*(?:by\s[^\n|]{1,60}?\s*[|,•·–—-]\s*)?"
               r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
               rf"(?P<date>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})[a-z]*\.?,?\s+\d{{4}}"
               rf"|(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
               r"(?:\s*(?:[|,•·–—-]|at)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|GMT|UTC)(?:[+-]\d{1,2})?)?)?"
               r"[ \t]*(?=\n|$)", re.I),
]


def parse_plain_date(value: str) -> dt.date | None:
    """A dateline's date ("April 15 2017", "24.12.2019"), or None; a date outside the plausible range
    (bounds.py) is no publication date ("Published 31 December 9999")."""
    found = parse_dateline_date(value)
    return found if date_in_range(found) else None


def parse_dateline_date(value: str) -> dt.date | None:
    numeric = re.fullmatch(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", value.strip())
    if numeric:
        # day first, as most of the world writes it; a first number over 12 can only be a day
        a, b, y = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
        day_, month = (a, b) if a > 12 or b <= 12 else (b, a)
        try:
            return dt.date(y, month, day_)
        except ValueError:
            return None
    value = value.replace("/", "-")
    value = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", value)
    value = re.sub(r"\bof\s+", "", value)
    value = re.sub(r"[.,]", " ", value)
    value = " ".join(value.split())
    value = re.sub(r"^([A-Za-z]+) (\d{1,2})(\d{4})$", r"\1 \2 \3", value)  # "Apr 152017"
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.replace("Sept ", "Sep "), fmt).date()
        except ValueError:
            continue
    return None


def publication_date_from_text(text: str) -> dt.date | None:
    head = text[:600]
    for pattern in DATELINE_PATTERNS:
        m = pattern.search(head)
        if m and (d := parse_plain_date(m.group("date"))):
            return d
    return None


def stated_publication_date(text: str) -> dt.date | None:
    """A date the page explicitly calls its publication date ("Published ...", "Date of publication ...")."""
    m = DATELINE_PATTERNS[0].search(text[:600])
    return parse_plain_date(m.group("date")) if m else None


# Rule pub-opening-date (session 8, from FA-KES fresh-tuning pages whose `date` column is years off; tested on
# others): a full date that opens the story, at the very start of the text or right after a headline given apart
# from it ("Thu Feb 26 2015 ISIS Begins to kill ...", "10 Jul 2016 After exhausting ...", "15-09-2013 Militants
# Attack ...", "01.10.2017 At least 12 civilians"), is the page's date line, as a stated "Published ..." is.
OPENING_DATE = re.compile(
    r"\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?P<date>\d{{1,2}}\s+(?:{MONTHS})[a-z]*\.?,?\s+\d{{4}}|(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{1,2}([-./])\d{1,2}\2\d{4})(?!\d)", re.I)


def story_starts(text: str, title: str | None = None) -> list[int]:
    """Where the story may begin: the start of the text, and the end of the headline it begins with."""
    return [0] + ([len(title)] if title and text.startswith(title) else [])


def opening_date(text: str, title: str | None = None) -> dt.date | None:
    """The date that opens the story (rule pub-opening-date), at the start of the text or right after its
    headline, or None."""
    for start in story_starts(text, title):
        m = OPENING_DATE.match(text, start)
        if m and (d := parse_plain_date(m.group("date"))):
            return d
    return None


@dataclass(frozen=True)
class OutletProfile:
    name: str
    codes: tuple[str, ...]
    domains: tuple[str, ...]
    signatures: tuple[re.Pattern, ...]
    country: str | None
    affiliation: str | None


@cache
def outlet_profiles() -> tuple[OutletProfile, ...]:
    return tuple(
        OutletProfile(
            name=o["name"],
            codes=tuple(o.get("codes", [])),
            domains=tuple(o.get("domains", [])),
            signatures=tuple(re.compile(s) for s in o.get("signatures", [])),
            country=o.get("country"),
            affiliation=o.get("affiliation"),
        )
        for o in load_yaml("outlets.yaml")["outlets"]
    )


def find_outlet(name: str | None) -> OutletProfile | None:
    """The profile of an outlet given by corpus code, display name or domain."""
    if not name:
        return None
    key = name.strip().lower()
    for profile in outlet_profiles():
        if key in profile.codes or key == profile.name.lower() or key in profile.domains:
            return profile
    return None


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    for profile in outlet_profiles():
        if any(host == d or host.endswith("." + d) for d in profile.domains):
            return profile.name
    return host or None


def outlet_from_text(raw: str) -> str | None:
    """Pages often sign themselves in their boilerplate ("Support Enab Baladi")."""
    for profile in outlet_profiles():
        if any(p.search(raw) for p in profile.signatures):
            return profile.name
    return None


ENGLISH_FUNCTION_WORDS = re.compile(r"\b(?:the|and|of|in|was|were|said|that|to)\b")
# Rule lang-near-english (session 8; a one-sentence FA-KES brief coded as Nigerian Pidgin, tested on other headlines):
# langid tells a short English text from an English-lexified language by a hair, and headline case ("Security
# Operatives Kill Two Bandits In Zamfara": Pidgin; "Troops Kill Six Bandits In Katsina, Zamfara": Shona) misleads its
# case-sensitive n-grams. A text whose words are mostly capitalised is classified in lower case, and where English's
# score is within NEAR_ENGLISH of the best one (as a share of it) the text is English: English headlines of Nigerian
# outlets come out 0-6% off as Pidgin, real Pidgin sentences 12-13% off, French, Spanish, Dutch, Hausa, Swahili or
# Malay lines 20-50% off.
NEAR_ENGLISH = 0.08
HEADLINE_CASE = 0.6  # share of capitalised words above which a text is written in headline case


def detect_language(text: str) -> str | None:
    head = text[:600]
    # Fast path: plain Latin text dense with English function words is English; langid for the rest.
    if head.isascii() and len(ENGLISH_FUNCTION_WORDS.findall(head)) * 7 >= len(head.split()):
        return "en"
    sample = text[:1200]  # enough to tell the language; the whole text only costs time
    if len(sample.strip()) < 20:
        return None
    words = [w for w in sample.split() if w[:1].isalpha()]
    if words and sum(w[0].isupper() for w in words) >= HEADLINE_CASE * len(words):
        sample = sample.lower()
    ranked = language_identifier().rank(sample)
    lang, best = ranked[0]
    english = next((score for code, score in ranked if code == "en"), None)
    if lang != "en" and english is not None and best - english <= NEAR_ENGLISH * abs(best):
        return "en"
    return lang


# Rule pub-url-month: a year and a month as the address's path segments, with no day segment after them
# ("/2019/11/iraq-forces-fire.html", "/news/2021/03/"): the month the page was published, not a day.
URL_MONTH = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>0?[1-9]|1[0-2])(?:/(?!\d{1,2}(?:/|$|[-_.]))|$)")


def publication_month_from_url(url: str | None) -> dt.date | None:
    """The first day of the month an address dates its page to ("/2019/11/..."), or None: None too where the
    address gives a full day (publication_date_from_url reads that) or the month is outside the plausible range."""
    if not url:
        return None
    path = urlparse(url).path
    m = URL_MONTH.search(path)
    if m is None:
        return None
    month = dt.date(int(m.group("year")), int(m.group("month")), 1)
    return month if date_in_range(month) else None


# Rule pub-url-compact: a day written without separators as a path segment of its own, or the month's and the
# day's segments run together ("/20191104/", "-20191104.html", "/201911/04/"): htmldate reads only separated ones.
URL_COMPACT_DAY = re.compile(r"(?:^|[/_-])(?P<year>(?:19|20)\d\d)(?P<month>0[1-9]|1[0-2])/?(?P<day>0[1-9]|[12]\d|3[01])"
                             r"(?=$|[/_.-])")


def publication_date_from_url(url: str | None) -> dt.date | None:
    """A full date in the article's address ("/2020/10/12/", "-2019-03-05-"), read by htmldate, or written
    without separators (rule pub-url-compact); a year and month alone ("/2019/11/") give no day (see
    publication_month_from_url)."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor

    options = Extractor(False, dt.datetime.combine(LATEST_DATE, dt.time()), dt.datetime.combine(EARLIEST_DATE, dt.time()),
                        True, "%Y-%m-%d")
    found = extract_url_date(url, options)
    try:
        day = dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None
    if day is None and (m := URL_COMPACT_DAY.search(urlparse(url).path)):
        day = safe_day(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    return day if day is not None and date_in_range(day) else None


def safe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@cache
def language_identifier():
    """py3langid's identifier (the one `py3langid.classify` uses: the shipped model, raw scores), its model
    read from an uncompressed copy in the eventwatch home: unpacking the shipped LZMA file costs about
    0.9 s of CPU in every process that meets a text the fast path cannot tell, mapping the copy a few
    milliseconds. The same arrays, so the same answers; py3langid's own loader wherever the copy cannot be
    written or read, or py3langid's model layout is not the one this reads."""
    from py3langid import langid

    try:
        ptc, pc, classes, nextmove, row, output = uncompressed_model()
        return langid.LanguageIdentifier(ptc, pc, classes, nextmove, output, tk_row=row)
    except Exception:  # another py3langid layout, a read-only home: py3langid's own way
        return langid._get_identifier()


LANGID_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def uncompressed_model() -> tuple:
    """The model as py3langid's modelio.load_model returns it, (nb_ptc, nb_pc, classes, nextmove, row,
    output), read from .npy copies of the arrays of its .npz in the eventwatch home (written on first use,
    in a folder named after the model file, atomically)."""
    import importlib.metadata
    import io
    import lzma
    import os
    import shutil

    import numpy as np
    from py3langid import langid, modelio

    from eventwatch.gazetteer import eventwatch_home

    source = langid.MODEL_DIR / langid.MODEL_FILE
    stat = source.stat()
    folder = eventwatch_home() / "langid" / (
        f"py3langid-{importlib.metadata.version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}")
    if not all((folder / f"{n}.npy").is_file() for n in LANGID_ARRAYS):
        with lzma.open(source) as fh, np.load(io.BytesIO(fh.read()), allow_pickle=False) as data:
            arrays = {n: data[n] for n in LANGID_ARRAYS}
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")  # two processes writing never clash
        tmp.mkdir(parents=True, exist_ok=True)
        for n, array in arrays.items():
            np.save(tmp / f"{n}.npy", array, allow_pickle=False)
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
    a = {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in LANGID_ARRAYS}
    # as modelio.load_model converts them
    return (np.asarray(a["ptc"]), np.asarray(a["pc"]), a["classes"].tolist(), modelio._to_array(a["nextmove"]),
            modelio._to_array(a["nextmove_row"]), a["out_feat"].tolist())


def clean_article(article: Article) -> Article:
    """The clean stage for one article: story text, offsets, title, outlet, date, language."""
    text, offsets, title = clean_text(article.raw_text, article.title)
    if title and text and title.lower()[:60] not in " ".join(text[:400].lower().split()):
        # A headline given apart from the text (a corpus column, a feed entry) is the lead of the story:
        # it goes first, as a paragraph of its own that maps to no raw offset.
        shift = len(title) + 2
        text = f"{title}\n\n{text}"
        offsets = [o.model_copy(update={"clean_start": o.clean_start + shift}) for o in offsets]
    outlet = article.outlet
    if outlet and (profile := find_outlet(outlet)):
        outlet = profile.name
    outlet = outlet or outlet_from_url(article.url) or outlet_from_text(article.raw_text)
    published, published_source = article.published, article.published_source
    if published is None and (found := publication_date_from_text(text) or publication_date_from_text(
            article.raw_text.lstrip()[:2000])):  # a header line that cleaning took for boilerplate
        published, published_source = found, "text"
    elif published is None and (found := publication_date_from_url(article.url)):
        published, published_source = found, "url"
    published_month = article.published_month
    if published is None and published_month is None:
        published_month = publication_month_from_url(article.url)
    elif published_source == "column" and (stated := stated_publication_date(text) or opening_date(text, title)) \
            and abs((stated - published).days) > 1:
        # "Published September 25 2016" in the page beats a corpus column that says 6 September:
        # the page states when it was published; a dataset's date column may be the event's or a guess.
        # So does the date line that opens the story (rule pub-opening-date).
        published, published_source = stated, "text"
    return article.model_copy(update={
        "text": text,
        "offsets": offsets,
        "title": title,
        "outlet": outlet,
        "published": published,
        "published_source": published_source,
        "published_month": published_month if published is None else None,
        "language": detect_language(text) or article.language,
    })
