# Two commands set everything up on a fresh machine (Python 3.11, pip, git):
#   make run   — create the venv, index the bundled sample, serve http://127.0.0.1:8000
#   make test  — create the venv, install Debian's chromium if missing, run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX_DIR ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE := data/sample
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv chromium lint format index serve clean bench bench-index bench-langid bench-relevance \
	chaos test-opensearch

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

# Exit code 1 means "committed, some inputs rejected": the demo still serves.
index: venv
	$(BIN)/manchette index $(SAMPLE) --index-dir $(INDEX_DIR) || [ $$? -eq 1 ]

serve: venv
	$(BIN)/manchette serve --index-dir $(INDEX_DIR) --host $(HOST) --port $(PORT)

run: index serve

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: venv chromium lint
	$(BIN)/python -m pytest

CORPUS ?= ../shared/corpus

# Benchmarks read the research corpus from ../shared/corpus (never copied into the project).
bench-index: venv
	$(BIN)/python bench/index_corpus.py --corpus $(CORPUS)

bench-langid: venv
	$(BIN)/python bench/langid.py --corpus $(CORPUS)

bench-relevance: venv
	$(BIN)/python bench/relevance.py --corpus $(CORPUS)

# Issue 7: scenarios that take minutes (kill loops, disk full, soak); CI runs them too.
chaos: venv
	@echo "chaos: nothing yet"

# Issue 8: the contract suite against a real OpenSearch node only.
test-opensearch: venv
	@echo "test-opensearch: nothing yet"

clean:
	rm -rf $(VENV) var .pytest_cache
