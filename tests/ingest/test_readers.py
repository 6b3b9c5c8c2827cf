"""Every kind of input a user points eventwatch at: read what can be read, report the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventwatch.ingest import ColumnMap, read_sources
from eventwatch.records import Article, Problem

FAKES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"


def split(items):
    items = list(items)
    arts = [i for i in items if isinstance(i, Article)]
    probs = [i for i in items if isinstance(i, Problem)]
    return arts, probs


def test_text_file_becomes_one_article_named_after_the_file(seeds_dir):
    arts, probs = split(read_sources([seeds_dir / "000_19109e5cf8b1b5c5.txt"]))
    assert probs == []
    assert [a.article_id for a in arts] == ["000_19109e5cf8b1b5c5"]
    assert "Izraa" in arts[0].raw_text
    assert arts[0].published is None  # never the file's mtime


def test_folder_is_read_recursively(seeds_dir):
    arts, _ = split(read_sources([seeds_dir.parent]))
    ids = {a.article_id for a in arts}
    assert {"000_19109e5cf8b1b5c5", "003_86bd7c93810df1c3"} <= ids


def test_binary_and_empty_files_are_reported_not_read(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "image.txt", data_dir / "inputs" / "empty.txt"]))
    assert arts == []
    reasons = {Path(p.path).name: p.reason for p in probs}
    assert "binary" in reasons["image.txt"]
    assert "empty" in reasons["empty.txt"]


def test_windows_1252_text_is_decoded(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "seed000-cp1252.txt"]))
    assert probs == []
    assert "Izraa - Sahwat Al Qameh" in arts[0].raw_text


def test_a_50_mb_single_line_file_is_refused_with_its_size(tmp_path):
    big = tmp_path / "huge.txt"
    big.write_bytes(b"killed " * (50_000_000 // 7))
    arts, probs = split(read_sources([big]))
    assert arts == []
    assert "too large" in probs[0].reason and "MB" in probs[0].reason


def test_missing_path_is_reported(tmp_path):
    _, probs = split(read_sources([tmp_path / "nope.txt"]))
    assert probs[0].reason == "no such file or folder"


def test_csv_rows_with_missing_columns_are_skipped_and_named(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "broken.csv"]))
    assert [a.article_id for a in arts] == ["1915433694", "1918150028"]
    assert len(probs) == 1 and probs[0].row == 2 and "empty or missing" in probs[0].reason


@pytest.mark.skipif(not FAKES.exists(), reason="shared/ corpora not beside the project")
def test_fakes_reads_without_options():
    arts, probs = split(read_sources([FAKES]))
    assert probs == [] and len(arts) == 804
    first = arts[0]
    assert first.article_id == "1914947530"
    assert first.published == dt.date(2017, 4, 5)
    assert first.outlet == "nna" and first.title.startswith("Syria attack symptoms")
    assert first.extra["location"] == "idlib"


def test_jsonl_bad_line_reported_good_lines_read(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "articles.jsonl"]))
    assert len(arts) == 2 and arts[0].published == dt.date(2017, 4, 5)
    assert probs[0].row == 2 and "invalid JSON" in probs[0].reason


def test_column_map_names_other_columns(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("key,headline,body,when\nk1,Shelling in Idlib,Shelling killed 3 people in Idlib.,2018-02-01\n")
    arts, _ = split(read_sources([f], ColumnMap(id="key", title="headline", text="body", date="when")))
    assert arts[0].article_id == "k1" and arts[0].published == dt.date(2018, 2, 1)


def test_html_main_text_and_metadata_with_trafilatura(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "seed000.html"]))
    assert probs == []
    a = arts[0]
    assert a.title == "Terrorists Target Russian Military Police Patrol in Daraa with an IED"
    assert a.published == dt.date(2020, 11, 12)
    assert a.url.startswith("https://syrianews.cc/")
    assert "Izraa" in a.raw_text and "Donate" not in a.raw_text.split("\n")[0]


def test_malformed_html_is_reported(data_dir):
    arts, probs = split(read_sources([data_dir / "inputs" / "malformed.html"]))
    assert arts == [] and "no article text" in probs[0].reason


def test_rss_feed_entries_become_articles(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>Shelling kills three in Idlib</title><link>https://example.org/a</link>
<pubDate>Tue, 06 Feb 2018 10:00:00 GMT</pubDate><description>Shelling killed three civilians in Idlib on Monday.</description></item>
<item><title>Empty</title><link>https://example.org/b</link></item>
</channel></rss>""")
    arts, probs = split(read_sources([feed]))
    assert len(arts) == 1 and arts[0].outlet == "Example Wire" and arts[0].published == dt.date(2018, 2, 6)
    assert probs[0].row == 2


def test_url_is_fetched_from_a_local_server(tmp_path, data_dir):
    import http.server
    import shutil
    import threading

    shutil.copy(data_dir / "inputs" / "seed000.html", tmp_path / "page.html")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/page.html"
        arts, probs = split(read_sources([url]))
        assert probs == [] and "Izraa" in arts[0].raw_text and arts[0].source_path == url
        assert arts[0].url.startswith("https://syrianews.cc/")  # the page's canonical address
    finally:
        server.shutdown()
