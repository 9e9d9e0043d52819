# Quick start: `make run` then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench server serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dask]"
	touch $(STAMP)

## Build the warehouse from the bundled sample sheets (data/samples -> data/warehouse/warehouse.duckdb).
run: $(STAMP)
	$(BIN)/review-sheets build

## The whole test suite (unit, end-to-end, real Prefect server), after the lint.
test: lint
	$(BIN)/python -m pytest -q

## Pyflakes' checks (unused imports and variables, undefined names) over the project.
lint: $(STAMP)
	$(BIN)/ruff check --quiet .

## Unit tests only.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e and not server"

## Benchmarks (see README "Speed and scale"), e.g. make bench ARGS="-n 10000 --incremental".
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench $(ARGS)

## A Prefect server on loopback with its data under data/prefect (Ctrl-C stops it).
server: $(STAMP)
	$(BIN)/python -m flows.server

## Serve build_warehouse on a schedule against `make server` (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/review-sheets serve --cron "0 3 * * *"

clean:
	rm -rf data/warehouse data/prefect data/bench
