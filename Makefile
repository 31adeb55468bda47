# The two commands of the README: `make run` and `make test`. Both set up .venv from python3 alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test lint typecheck pytest pytest-pg bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/taizhang serve --demo --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/pytest -q

# The same suite against PostgreSQL (the document-engine tests do not touch a database and are not repeated).
pytest-pg: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not nodb" -p no:cacheprovider

test: lint typecheck pytest pytest-pg

bench: $(STAMP)
	$(BIN)/python benchmarks/parse_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
