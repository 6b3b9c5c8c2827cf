"""The caches and shared passes that make coding fast give what the slower way gave."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml

from eventwatch.profiles import load_profiles
from eventwatch.resources import parse_yaml, profile_documents

DATA = Path(str(files("eventwatch") / "data"))


def test_every_shipped_yaml_file_parses_alike_with_the_fast_loader():
    paths = sorted(DATA.rglob("*.yaml"))
    assert len(paths) > 80  # the lexicons and every country profile
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text) == yaml.safe_load(text), path.name


def test_profiles_read_once_are_the_profiles_of_the_folder():
    shipped = load_profiles()
    from_folder = load_profiles(DATA / "countries")
    assert shipped.by_iso2 == from_folder.by_iso2 and len(shipped.by_iso2) >= 80
    assert [name for name, _ in profile_documents()] == sorted(p.name for p in (DATA / "countries").glob("*.yaml"))


def seed_texts() -> list[str]:
    from eventwatch.clean import clean_article
    from eventwatch.ingest import read_sources
    from eventwatch.records import Article

    data = Path(__file__).parent / "data"
    inputs = [data / "seeds", data / "inputs" / "articles.jsonl", *sorted((data / "inputs").glob("fakes-*.csv"))]
    return [clean_article(a).text for a in read_sources(inputs) if isinstance(a, Article)]


def test_triggers_tried_by_first_character_are_the_triggers_of_the_one_alternation():
    from eventwatch.extract.triggers import lexicon

    lex = lexicon()
    assert lex.by_char is not None
    texts = [t.lower() for t in seed_texts()]
    assert len(texts) >= 5
    texts.append("the attack attacked; re-attack - shelling,shelled. 'bombing' killed killing ambushed")
    for text in texts:
        one_pass = [(m.start(), m.end(), m.lastgroup) for m in lex.pattern.finditer(text)]
        assert [(m.start(), m.end(), m.lastgroup) for m in lex.finditer(text)] == one_pass
        assert one_pass or text == ""


def test_the_language_model_read_from_its_uncompressed_copy_answers_as_py3langid(tmp_path, monkeypatch):
    import py3langid

    from eventwatch.clean import language_identifier

    monkeypatch.setenv("EVENTWATCH_HOME", str(tmp_path))
    language_identifier.cache_clear()
    try:
        identifier = language_identifier()
        assert list((tmp_path / "langid").iterdir())  # the copy was written
        language_identifier.cache_clear()
        again = language_identifier()  # read from the copy
        samples = ["Ceci est un texte en français sur les manifestations à Paris.",
                   "Dies ist ein deutscher Text über die Proteste in Berlin.",
                   "قتل خمسة أشخاص في انفجار سيارة مفخخة في حلب", "Cinco personas murieron en un ataque en Cali.",
                   "Five people were killed in an attack in Maiduguri, police said.", *seed_texts()[:3]]
        for text in samples:
            assert identifier.classify(text) == again.classify(text) == py3langid.classify(text)
    finally:
        language_identifier.cache_clear()


def test_a_date_pattern_behind_its_look_ahead_still_takes_every_digit():
    import datetime as dt

    from eventwatch.extract.dates import find_dates
    from eventwatch.extract.lookahead import with_lookahead

    assert with_lookahead(r"\b\d+ days ago").startswith(r"(?=[\d])")
    # \d is every Unicode decimal digit: an Arabic-Indic day is a day as before
    found = find_dates("The strike on ٣ March 2017 and on 4 March 2017.", dt.date(2017, 3, 10))
    assert [(d.kind, d.start) for d in found] == [("dmy", dt.date(2017, 3, 3)), ("dmy", dt.date(2017, 3, 4))]


def test_patterns_behind_their_look_ahead_match_as_before():
    import re

    from eventwatch.extract.claims import SPEECH
    from eventwatch.extract.lookahead import behind_lookahead
    from eventwatch.extract.numbers import CUE_FIRST, GROUPS_SUM

    assert SPEECH.pattern.startswith("(?=[") and CUE_FIRST.pattern.startswith("(?=[")
    # a pattern that starts under flags of its own gets no look-ahead (it would be read with other flags)
    assert behind_lookahead(re.compile(r"(?i:abc)")).pattern == "(?i:abc)"
    sentences = [s for t in seed_texts() for s in t.split(". ")]
    sentences += ["KILLING 3 and WOUNDING 4", "30 regime and 39 rebel fighters have been killed", "SANA reported"]
    for pattern in (SPEECH, CUE_FIRST, GROUPS_SUM):
        plain = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern), pattern.flags)  # without it
        assert plain.pattern != pattern.pattern
        for s in sentences:
            assert [m.span() for m in pattern.finditer(s)] == [m.span() for m in plain.finditer(s)]


def test_every_date_match_holds_a_word_its_pattern_is_said_to_need(monkeypatch):
    """dates.NEEDS lets find_dates skip a pattern on a text without its words: every match of the pattern
    on real articles (the seeds, the FA-KES sample, the worldwide inputs) and on sentences of each kind
    holds one of them, and skipping changes nothing found."""
    import datetime as dt

    from eventwatch.extract import dates

    texts = seed_texts() + [
        "He was shot dead on 4/5/2017 and buried today; two days ago a bomb hit the market.",
        "Overnight, jets struck; last night and the day before, this evening, tonight, earlier today.",
        "Tuesdays strike killed 3. Sunday's attack. In the past week, earlier this month, previous year.",
    ]
    checked = 0
    for (_kind, pattern, case_sensitive), needs in zip(dates.LOWER_PATTERNS, dates.NEEDS, strict=True):
        if needs is None:
            continue
        for text in texts:
            for m in pattern.finditer(text if case_sensitive else text.lower()):
                assert any(word in m.group() for word in needs), (pattern.pattern[:60], m.group())
                checked += 1
    assert checked >= 10
    base = dt.date(2019, 7, 28)
    found = [dates.find_dates(text, base) for text in texts]
    monkeypatch.setattr(dates, "NEEDS", [None] * len(dates.NEEDS))  # every pattern on every text
    assert [dates.find_dates(text, base) for text in texts] == found
