"""`python -m eventwatch ...`: the `eventwatch` command (so that `python -m cProfile -m eventwatch run ...`
profiles the whole command as a user runs it)."""

from eventwatch.cli import app

app(prog_name="eventwatch")
