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

# Every sample export of the fictional City of Rancho Verde (sample_data/README.md).
DEMO_EXPORTS := facebook_page_dyi facebook_graph_api instagram_dyi x_archive.zip \
	youtube_takeout youtube_data_api bluesky_repo.car

demo: $(BIN)/archiver
	$(BIN)/archiver --config $(SAMPLE_CONFIG) init
	for export in $(DEMO_EXPORTS); do \
		$(BIN)/archiver --config $(SAMPLE_CONFIG) ingest sample_data/exports/$$export || exit 1; \
	done
	$(BIN)/archiver --config $(SAMPLE_CONFIG) retention load
	$(BIN)/archiver --config $(SAMPLE_CONFIG) --as clerk search '"Elm Street" closure from:2024-03-01 to:2024-05-31' --per-page 5
	$(BIN)/archiver --config $(SAMPLE_CONFIG) status

test: $(BIN)/archiver
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy archiver cli
	$(BIN)/pytest

clean:
	rm -rf archive build dist .pytest_cache .mypy_cache .ruff_cache
