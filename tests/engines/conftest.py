"""A throwaway PostgreSQL server for the engine tests, started the way scripts/pg-test.sh starts one
(Debian's initdb/pg_ctl, trust auth on 127.0.0.1, a temporary folder), or the server that
EVENTWATCH_TEST_PG_URL names; the tests that need it skip with a reason when neither is there."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_url():
    if os.environ.get("EVENTWATCH_TEST_PG_URL"):
        yield os.environ["EVENTWATCH_TEST_PG_URL"]
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")])
    if not bins or not os.path.exists(os.path.join(bins[-1], "initdb")):
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (the server extra)")
    bin_dir = bins[-1]
    folder = tempfile.mkdtemp(prefix="ew-pg-")
    port = free_port()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(folder, "postgres")

    def as_pg(cmd: str) -> None:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if as_root else ["sh", "-c", cmd]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    as_pg(f"{bin_dir}/initdb -D {folder}/data -U postgres -A trust")
    as_pg(f"{bin_dir}/pg_ctl -D {folder}/data -o '-p {port} -k {folder} -c listen_addresses=127.0.0.1' "
          f"-l {folder}/log -w start")
    try:
        as_pg(f"{bin_dir}/createdb -h 127.0.0.1 -p {port} -U postgres eventwatch_test")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/eventwatch_test"
    finally:
        as_pg(f"{bin_dir}/pg_ctl -D {folder}/data -m fast stop")
        shutil.rmtree(folder, ignore_errors=True)
