from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return DATA / "seeds"


@pytest.fixture(scope="session")
def build_sample_db(tmp_path_factory, seeds_dir):
    """A new SQLite database coded with `eventwatch run` from the seeds, the bundled FA-KES development
    sample and an article carrying a <script> (for the API and the web map)."""
    from typer.testing import CliRunner

    from eventwatch.cli import app

    def build(name: str) -> str:
        path = str(tmp_path_factory.mktemp(name) / f"{name}.db")
        sample = DATA.parent.parent / "examples" / "sample" / "fakes-dev-sample.csv"
        result = CliRunner().invoke(app, ["run", str(seeds_dir), str(sample), str(DATA / "web"), "--db", path])
        assert result.exit_code == 0, result.output
        return path

    return build


@pytest.fixture(scope="session")
def serve_app():
    """A function: `with serve_app(app) as base_url:` runs a real uvicorn server for the ASGI `app` on a
    free port of 127.0.0.1, in a thread, and stops it on leaving."""
    import contextlib
    import socket
    import threading
    import time

    @contextlib.contextmanager
    def serving(app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.time() + 20
        while not srv.started and time.time() < deadline:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            srv.should_exit = True
            thread.join(timeout=10)

    return serving


@pytest.fixture(scope="session")
def main_event():
    """A function: the first news (non-background) event coded end to end from a passage and its publication date."""
    from eventwatch.pipeline import code_article
    from eventwatch.records import Article

    def first(text: str, published):
        _, events = code_article(Article(article_id="t", raw_text=text, published=published))
        events = [e for e in events if not e.background]
        assert events, f"no (non-background) event coded from: {text[:90]}..."
        return events[0]

    return first
