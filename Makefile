# The two commands of the README: `make demo` and `make test`. Both create .venv if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_CONFIG := sample_data/archiver.toml

.PHONY: demo test lint clean

$(BIN)/archiver: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/archiver
	$(BIN)/archiver --config $(SAMPLE_CONFIG) init
	$(BIN)/archiver --config $(SAMPLE_CONFIG) status

test: $(BIN)/archiver
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy archiver cli
	$(BIN)/pytest

clean:
	rm -rf archive build dist .pytest_cache .mypy_cache .ruff_cache
