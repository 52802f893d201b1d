# Two set-up commands (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test lint bench screenshots

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

## Install, migrate, load the demo data and serve on http://$(HOST):$(PORT)
demo: install
	$(BIN)/leadbook migrate
	$(BIN)/leadbook demo --seed-tokens
	$(BIN)/leadbook serve --host $(HOST) --port $(PORT)

## Lint, then run the whole suite against SQLite, then against the local PostgreSQL,
## spread over the cores (pytest-xdist; TEST_WORKERS=0 runs it in one process)
TEST_WORKERS ?= auto
test: lint
	./scripts/test-env
	LEADBOOK_TEST_DB=sqlite $(BIN)/pytest -n $(TEST_WORKERS)
	LEADBOOK_TEST_DB=postgres $(BIN)/pytest -n $(TEST_WORKERS)

## ruff, and mypy over src/leadbook (configured in pyproject.toml)
lint: install-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

bench: install-test
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/run.py

## Every web page at 1440 and 390 px with the demo data, into docs/web-ui/ (docs/web-ui.md)
screenshots: install-test
	./scripts/test-env
	./scripts/screenshots
