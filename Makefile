# Kurukan — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint bench serve clean

$(BIN)/kurukan: pyproject.toml
	@PY=$$(scripts/find-python) && echo "Using $$PY" && $$PY -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/kurukan

## Set up a demo database (SQLite in ./var), load Mali's reference data and synthetic incidents, serve it.
demo: $(BIN)/kurukan
	KURUKAN_REQUIRE_2FA=$${KURUKAN_REQUIRE_2FA:-0} \
	KURUKAN_EMAIL_BACKEND=$${KURUKAN_EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend} $(BIN)/kurukan demo

serve: $(BIN)/kurukan
	$(BIN)/kurukan serve

## Run the whole test suite (SQLite by default; set KURUKAN_DATABASE_URL for PostgreSQL).
test: $(BIN)/kurukan
	scripts/system-deps
	@# The Spark backend of record linkage is tested too: its extra is large, so only tests install it.
	@$(BIN)/python -c "import pyspark" 2>/dev/null || $(BIN)/pip install --quiet -e '.[dev,spark]'
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/kurukan
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/kurukan
	KURUKAN_DATA_DIR=$$(mktemp -d) $(BIN)/kurukan makemigrations --check --dry-run

bench: $(BIN)/kurukan
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache
