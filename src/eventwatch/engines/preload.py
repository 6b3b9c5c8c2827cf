"""Imported once by the local engine's fork server: the worker processes forked from it start with the
gazetteer matcher, the lexicons and the language model already loaded (each worker then opens its own
gazetteer connection, see local.after_fork)."""

from eventwatch.engines.local import warm_up

warm_up()
