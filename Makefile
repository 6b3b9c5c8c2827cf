# The two commands of the README, and a few helpers. Needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SCALE  := $(VENV)/.scale-stamp
DB     ?= eventwatch.db

.PHONY: demo test lint browser test-postgres bench clean eval train

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "eventwatch needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,server]"
	touch $(STAMP)

## the optional Ray extra (about 20 s to install), so that the tests of `run --engine ray` run too
$(SCALE): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,server,scale]"
	touch $(SCALE)

## demo: install, code the bundled sample corpus into ./eventwatch.db, print the events found
demo: $(STAMP)
	$(BIN)/eventwatch run examples/sample --db $(DB)
	$(BIN)/eventwatch events --db $(DB) --limit 30

## test: install, then run the whole test suite (browser tests run when Chromium can be installed)
test: $(STAMP) $(SCALE) browser
	$(BIN)/python -m pytest

## browser: Debian's Chromium for the web map's end-to-end tests, where the system allows it
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  echo "Chromium not installed: the browser tests will be skipped."; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

## test-postgres: the store tests against a throwaway PostgreSQL server (Debian's packages)
test-postgres: $(STAMP) $(SCALE)
	bash scripts/pg-test.sh

## eval: code FA-KES and the worldwide gold corpus afresh, then score every gold set, halves side by side
EVAL_DB ?= eval.db
FAKES   ?= ../shared/corpora/fakes/FA-KES-Dataset.csv
TYPE_MODEL ?=
eval: $(STAMP)
	rm -f $(EVAL_DB) $(EVAL_DB)-wal $(EVAL_DB)-shm
	EVENTWATCH_TYPE_MODEL=$(TYPE_MODEL) $(BIN)/eventwatch run $(FAKES) gold/world/articles.jsonl --db $(EVAL_DB) > /dev/null
	COLUMNS=160 $(BIN)/eventwatch evaluate --db $(EVAL_DB) --fakes $(FAKES) --no-groups \
	  --gold gold/world/tuning.jsonl --gold gold/world/heldout.jsonl \
	  --gold tests/data/gold/fakes-dev.jsonl --gold gold/fakes/heldout.jsonl \
	  --gold gold/fakes/fresh-tuning.jsonl --gold gold/fakes/fresh-heldout.jsonl
	$(BIN)/eventwatch evaluate --db $(EVAL_DB) --gold gold/world/tuning.jsonl --gold gold/world/heldout.jsonl

## train: the type model's training data from the tuning gold (data/training/), then the model itself
## (src/eventwatch/data/models/event_type.json), cross-validated on the tuning half; `make eval TYPE_MODEL=model`
## (or both, rules) scores a setting
train: $(STAMP)
	$(BIN)/python scripts/train_type_model.py data --fakes $(FAKES)
	$(BIN)/python scripts/train_type_model.py train

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/extract.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB)-fuse.lock .pytest_cache
