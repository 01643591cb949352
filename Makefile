# Two entry points: `make demo` and `make test`. Both set up everything on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install browser services bench evaluate clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the review-page browser test (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

demo: $(STAMP)
	$(BIN)/trialsieve match corpora/listings/NCT06935188.txt corpora/cohort/notes.jsonl --as-of 2025-09-01 --out out/matches.jsonl --report out/report.html

# PostgreSQL and Java (for Spark local mode) from Debian's packages, for the store and engine tests.
services:
	bash scripts/services.sh

test: $(STAMP) browser services
	$(BIN)/python -m pytest

evaluate: $(STAMP)
	$(BIN)/trialsieve evaluate cohort

bench: $(STAMP)
	$(BIN)/python scripts/bench_extract.py

clean:
	rm -rf $(VENV) out
