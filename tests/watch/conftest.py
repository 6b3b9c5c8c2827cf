from __future__ import annotations

import pytest
from watchsite import start_site


@pytest.fixture()
def site():
    site, server = start_site()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture()
def db(tmp_path) -> str:
    return str(tmp_path / "watch.db")


@pytest.fixture()
def fast():
    """Settings for tests: no rate limit, short timeouts, no waiting between retries."""
    from eventwatch.watch import WatchSettings

    return WatchSettings(workers=4, rate=0, timeout=1.5, retries=1, backoff=0, alert_backoff=0,
                         alert_retry_after=0)
