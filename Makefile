# Two entry points: `make demo` and `make test`. Both set up everything on a fresh machine.
# `make demo` installs the runtime dependencies only; `make test` adds the development extra (pytest, the
# checkers, the optional back-ends). One stamp per set, so `make test` after `make demo` upgrades the venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: demo test install install-dev browser services bench evaluate clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $(RUNTIME)

# the dev set includes the runtime set: it satisfies both stamps
$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(DEV) $(RUNTIME)

install: $(RUNTIME)

install-dev: $(DEV)

# Debian's chromium for the review-page browser test (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

demo: $(RUNTIME)
	$(BIN)/trialsieve match corpora/listings/NCT06935188.txt corpora/cohort/notes.jsonl --as-of 2025-09-01 --out out/matches.jsonl --report out/report.html

# PostgreSQL and Java (for Spark local mode) from Debian's packages, for the store and engine tests.
services:
	bash scripts/services.sh

test: $(DEV) browser services
	$(BIN)/ruff check pipeline
	$(BIN)/mypy pipeline
	$(BIN)/python -m pytest

evaluate: $(RUNTIME)
	$(BIN)/trialsieve evaluate cohort

bench: $(RUNTIME)
	$(BIN)/python scripts/bench_extract.py

clean:
	rm -rf $(VENV) out
