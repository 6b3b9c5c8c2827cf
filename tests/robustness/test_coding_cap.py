"""Past bounds.MAX_CODED_CHARS only the first part of an article is coded: cut at a sentence end, the whole
text kept, every evidence span inside it, and nothing changed below the cap."""

from __future__ import annotations

import datetime as dt

from eventwatch.bounds import coded_length, coding_cap_warning
from eventwatch.pipeline import code_article
from eventwatch.records import Article

EARLY = "On Monday five civilians were killed in an airstrike on the town of Saraqib in Idlib province. "
FILLER = "the talks went on and on without any word from anyone about anything of note at all. "
LATE = "\n\nSeparately, on Friday police arrested 40 protesters in Baghdad, Iraq.\n"


def article(text: str) -> Article:
    return Article(article_id="cap", raw_text=text, published=dt.date(2019, 5, 1))


def test_the_cut_falls_at_a_sentence_end_before_the_limit():
    text = "One two three. " * 100
    cut = coded_length(text, 700)
    assert cut <= 700 and text[:cut].endswith(". ")
    assert coded_length(text, None) == coded_length(text, len(text)) == len(text)
    assert coded_length("x" * 1000, 300) == 300  # no sentence end, no space: the limit itself
    assert coded_length("abc " * 250, 301) == 300  # no sentence end: the last space


def test_only_the_first_part_is_coded_and_the_whole_text_is_kept():
    text = EARLY + FILLER * 40 + LATE
    limit = len(EARLY) + len(FILLER) * 20
    whole, all_events = code_article(article(text), limit=None)
    kept, capped = code_article(article(text), limit=limit)
    assert kept.text == whole.text  # the stored text is the whole text
    assert [e.sub_event_type for e in all_events] == ["Air/drone strike", "Protest with intervention"]
    assert [e.sub_event_type for e in capped] == ["Air/drone strike"]  # the arrests past the cut: not coded
    cut = coded_length(kept.text, limit)
    for e in capped:
        for ev in e.evidence:
            assert ev.end <= cut and kept.text[ev.start:ev.end] == ev.text
    warning = coding_cap_warning("a/b.txt", kept.text, limit)
    assert warning.startswith("a/b.txt: text of ") and f"first {cut:,} only" in warning
    assert coding_cap_warning("a/b.txt", kept.text, None) is None


def test_below_the_cap_nothing_changes():
    text = EARLY + FILLER * 3 + LATE
    assert [e.model_dump() for e in code_article(article(text))[1]] == \
           [e.model_dump() for e in code_article(article(text), limit=None)[1]]


def test_the_api_says_when_it_coded_only_part_of_an_article(tmp_path, serve_app):
    import httpx

    from eventwatch.api import create_app
    from eventwatch.bounds import MAX_CODED_CHARS

    text = EARLY + FILLER * (MAX_CODED_CHARS // len(FILLER) + 100)  # past the cap, under the 2 MB body limit
    with serve_app(create_app(db=str(tmp_path / "api.db"), token="cap-token")) as base:
        answer = httpx.post(base + "/api/articles", json={"text": text, "published": "2019-05-01"},
                            headers={"Authorization": "Bearer cap-token"}, timeout=120)
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["events"] and len(body["warnings"]) == 1
        assert body["warnings"][0].startswith(f"{body['article_id']}: text of {len(text.strip()):,} characters")
        stored = httpx.get(base + f"/api/articles/{body['article_id']}").json()
        assert len(stored["text"]) == len(text.strip())  # stored whole
