"""Imported once by the local engine's fork server: the worker processes forked from it start with the
gazetteer matcher, the lexicons and the language model already loaded (each worker then opens its own
gazetteer connection, see local.after_fork)."""

import gc

from eventwatch.engines.local import warm_up

warm_up()
# The resources live as long as the process: out of the collector's sight, a full collection no longer
# walks them, and the forked workers do not touch (and so copy) their pages to do it.
gc.freeze()
