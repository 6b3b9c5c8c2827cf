"""Property tests (Hypothesis) on the readers, clean, and the date and number parsers: no exception on any
input, every span inside the text it points into, and time linear in the input (a size-quadrupling check
with generous factors, never an absolute timing)."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwatch.bounds import EARLIEST_DATE, LATEST_DATE
from eventwatch.clean import clean_article, clean_text
from eventwatch.extract.dates import find_dates
from eventwatch.extract.numbers import find_casualties, word_to_int
from eventwatch.ingest import read_file
from eventwatch.ingest.decode import UnreadableInput, decode_bytes
from eventwatch.ingest.table import parse_column_date
from eventwatch.pipeline import code_article
from eventwatch.records import Article, Problem, Span

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEWS_WORDS = ["killed", "wounded", "Monday", "yesterday", "on", "in", "near", "Aleppo", "Idlib", "Daraa", "the",
              "village", "of", "three", "12", "dozens", "2019", "June", "4", "5/4/2017", "airstrike", "shelling",
              "said", ".", ",", "\n", "\n\n", "al-", "Kafr", "Nabl", "-", "–", "'s", "Syrian", "army", "IS",
              "9999", "0001", "December", "31", "ago", "weeks", "last", "Published", "(", ")", "\"", "é", "\x1b[2J"]
news_text = st.lists(st.one_of(st.sampled_from(NEWS_WORDS), st.text(max_size=6)), max_size=80).map(" ".join)
any_text = st.one_of(st.text(max_size=400), news_text)


def spans_inside(text: str, spans) -> None:
    for s in spans:
        assert 0 <= s.start <= s.end <= len(text), (s, len(text))
        assert text[s.start:s.end] == s.text


@PROPERTY
@given(st.binary(max_size=3000))
def test_decode_bytes_returns_text_without_nul_or_a_reason(data):
    try:
        text = decode_bytes(data)
    except UnreadableInput as exc:
        assert str(exc)
    else:
        assert "\0" not in text and text.strip()


@PROPERTY
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)
       .filter(lambda t: t.strip()),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_with_a_mark_decodes_back(text, codec):
    assert decode_bytes(text.encode(codec)) == text


@PROPERTY
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFG.,\n", min_size=8, max_size=300)
       .filter(lambda t: t.strip()), st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_utf16_and_utf32_without_a_mark_decode_back(text, codec):
    assert decode_bytes(text.encode(codec)) == text


@PROPERTY
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".csv", ".tsv", ".jsonl", ".json", ".html", ".rss", ""]))
def test_readers_turn_any_bytes_into_articles_or_reasons(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        for item in read_file(path):
            if isinstance(item, Problem):
                assert item.reason and "could not be read (" not in item.reason, item.reason
            else:
                assert item.raw_text.strip() and "\0" not in item.raw_text
                assert item.published is None or EARLIEST_DATE <= item.published <= LATEST_DATE


@PROPERTY
@given(any_text)
def test_a_csv_cell_of_any_text_is_read_or_reported(cell):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        quoted = cell.replace('"', '""')
        path.write_text(f'id,text,date\n1,"{quoted}","{quoted[:30]}"\n', encoding="utf-8")
        for item in read_file(path):
            if isinstance(item, Problem):
                assert "could not be read (" not in item.reason, item.reason


@PROPERTY
@given(any_text, st.one_of(st.none(), any_text))
def test_clean_offsets_point_at_the_same_characters(raw, title):
    text, segments, _ = clean_text(raw, title)
    for seg in segments:
        assert text[seg.clean_start:seg.clean_start + seg.length] == raw[seg.raw_start:seg.raw_start + seg.length]


@PROPERTY
@given(st.one_of(any_text, st.sampled_from(["9999-12-31", "0001-01-01", "99999999999999999999", "1e400",
                                           "31/31/2019", "February 30, 2019", "\x00", "-1"])))
def test_column_dates_parse_or_are_none(value):
    found = parse_column_date(value)
    assert found is None or isinstance(found, dt.date)


@PROPERTY
@given(any_text, st.one_of(st.none(), st.dates()))
def test_dates_found_lie_inside_the_text_and_the_plausible_range(text, base):
    found = find_dates(text, base)
    spans_inside(text, [d.span for d in found])
    for d in found:
        assert EARLIEST_DATE <= d.start <= LATEST_DATE
        assert d.end is None or EARLIEST_DATE <= d.end <= LATEST_DATE


@PROPERTY
@given(any_text)
def test_casualty_figures_lie_inside_the_sentence(text):
    spans_inside(text, [n.span for n in find_casualties(Span(start=0, end=len(text), text=text))])
    for token in text.split()[:10]:
        value = word_to_int(token)
        assert value is None or value >= 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_text, st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))))
def test_coding_any_text_keeps_evidence_inside_the_cleaned_text(text, published):
    article = Article(article_id="p", raw_text=text, published=published)
    cleaned = clean_article(article)
    spans_inside(cleaned.text, [])
    coded, events = code_article(article)
    for e in events:
        for ev in e.evidence:
            assert 0 <= ev.start <= ev.end <= len(coded.text)
            assert coded.text[ev.start:ev.end] == ev.text


# --- linear time: quadrupling the input must not multiply the time by much more than four

def best_time(fn, arg, runs: int = 2) -> float:
    """The least CPU time of this process over `runs` calls: other processes on a busy machine do not count."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn(arg)
        best = min(best, time.process_time() - started)
    return best


def growth(fn, make, small: int) -> float:
    """How much longer `fn` takes on an input four times larger (the best of a few runs each)."""
    fn(make(small // 4))  # warm the caches (gazetteer, automata)
    little, big = make(small), make(small * 4)
    return best_time(fn, big, 3) / max(best_time(fn, little, 3), 1e-4)


SENTENCE = ("Five civilians were killed in an airstrike on the town of Saraqib in Idlib province on Monday, "
            "activists from Aleppo said, near Kafr Nabl and Maarat al-Numan. ")
LINE_UNIT = "fighters advanced on the village of Kafr Nabl near Maarat al-Numan in Idlib province on Monday, "


def repeated(n: int) -> str:
    return (SENTENCE * (n // len(SENTENCE) + 1))[:n]


def single_line(n: int) -> str:
    return (LINE_UNIT * (n // len(LINE_UNIT) + 1))[:n]


def code(text: str) -> None:
    code_article(Article(article_id="t", raw_text=text, published=dt.date(2019, 5, 1)))


def test_coding_time_is_linear_in_the_input():
    # quadratic would be x16; linear x4; allow x9 for a busy machine
    for make in (repeated, single_line):
        assert growth(code, make, 40_000) < 9, make.__name__


def test_reading_and_cleaning_time_is_linear_in_the_input():
    # inputs are made before the clock starts; sizes large enough that a run takes milliseconds
    def decode(data: bytes) -> str:
        return decode_bytes(data, max_bytes=None)

    assert growth(decode, lambda n: repeated(n).encode("utf-16"), 1_000_000) < 9
    assert growth(decode, lambda n: single_line(n).encode("cp1252") + "é".encode("cp1252"), 1_000_000) < 9
    assert growth(clean_text, repeated, 200_000) < 9
