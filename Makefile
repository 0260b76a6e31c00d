PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint schema bench

$(BIN)/shopwright: pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $(BIN)/shopwright

install: $(BIN)/shopwright

run: install
	$(BIN)/shopwright serve

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

schema: install
	$(BIN)/python -m schema
	$(BIN)/python -m shopwright.openapi

bench: install
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.classification
	$(BIN)/python -m benchmarks.read_paths
	$(BIN)/python -m benchmarks.graphql_overhead
	$(BIN)/python -m benchmarks.rest_overhead
	$(BIN)/python -m benchmarks.ai_slots
	$(BIN)/python -m benchmarks.fanout
	$(BIN)/python -m benchmarks.listing_images
	$(BIN)/python -m benchmarks.analytics_ingest
