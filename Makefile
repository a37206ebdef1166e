# Two commands set everything up on a fresh machine (Python 3.11, pip, git):
#   make run   — create the venv, index the bundled sample, serve http://127.0.0.1:8000
#   make test  — create the venv, install Debian's chromium if missing, run the whole suite
#   make check — the contributors' quick loop: ruff, mypy and the suite without the browser,
#                OpenSearch and chaos tests (no Chromium, JDK or Maven needed; under 2 minutes)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX_DIR ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE := data/sample
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check venv chromium lint format index serve clean bench bench-index bench-langid \
	bench-relevance bench-tools chaos test-opensearch wrk opensearch-node
.PHONY: axe-core

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
	$(BIN)/mypy

# The quick loop for contributors (README, "Contributing"): no browser, no OpenSearch node.
check: lint
	$(BIN)/python -m pytest -q -m "not browser and not opensearch and not chaos" \
	  --ignore=tests/browser --ignore=tests/chaos

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# axe-core (npm) for the accessibility checks in tests/browser; node_modules stays out of git.
axe-core:
	@test -d tests/browser/node_modules/axe-core || { \
	  echo "installing axe-core for the browser tests"; \
	  if [ -f tests/browser/package-lock.json ]; then npm ci --prefix tests/browser --no-audit --no-fund; \
	  else npm install --prefix tests/browser --no-audit --no-fund; fi; }

# Java 17 and Maven build the OpenSearch 2.19 test node (jars from Maven Central into ~/.m2).
opensearch-node:
	@command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
	  echo "installing Java 17 and Maven for the OpenSearch tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null; }
	mvn -q -B -f tests/opensearch/node/pom.xml compile

test: venv chromium axe-core opensearch-node lint
	$(BIN)/python -m pytest

CORPUS ?= ../shared/corpus

# Benchmarks read the research corpus from ../shared/corpus (never copied into the project).
# Issue 6: Manchette, plain Whoosh and SQLite FTS5 side by side at 1,000, 10,000 and all
# articles, plus wrk against `manchette serve`: bench/results/<date>.json, doc/benchmarks.md.
# First, the vectorised executor must give the matchers' hits and scores on the bench queries.
bench: venv wrk
	$(BIN)/python bench/vectorized_check.py --corpus $(CORPUS)
	$(BIN)/python bench/suite.py --corpus $(CORPUS)
	$(BIN)/python bench/batch.py --corpus $(CORPUS)

# Issue 15: 1,000 names as a batch and a broad export, full corpus (bench/results/tools-*.json)
bench-tools: venv
	$(BIN)/python bench/batch.py --corpus $(CORPUS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for the web load"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

bench-index: venv
	$(BIN)/python bench/index_corpus.py --corpus $(CORPUS)

bench-langid: venv
	$(BIN)/python bench/langid.py --corpus $(CORPUS)

bench-relevance: venv
	$(BIN)/python bench/relevance.py --corpus $(CORPUS)

# Issue 7: scenarios that take minutes (kill loops, disk full, soak); CI runs them too.
# (~35 min on 2 cores; summarised in doc/reliability.md). Results go to the scratch folder
# var/chaos-results/ (gitignored); `make chaos RECORD=1` writes them to bench/results/chaos-*.json,
# the tracked record, to commit them.
CHAOS_RESULTS := $(if $(RECORD),bench/results,var/chaos-results)
chaos: venv wrk opensearch-node
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python -m pytest -m chaos tests/chaos -p no:cacheprovider
	CHAOS_RESULTS=$(CHAOS_RESULTS) CHAOS_HOSTILE_EXAMPLES=4000 $(BIN)/python -m pytest \
	  -m "not browser" -p no:cacheprovider tests/chaos/test_hostile_queries.py
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python bench/chaos/kill_index.py
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python bench/chaos/kill_loop.py
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python bench/chaos/load.py --seconds 90 --every 20 --name load
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python bench/chaos/load.py --seconds 600 --every 60 --name soak
	CHAOS_RESULTS=$(CHAOS_RESULTS) $(BIN)/python -m pytest -p no:cacheprovider \
	  tests/opensearch/chaos_cluster.py

# Issue 8: the contract suite against a real OpenSearch node only.
test-opensearch: venv opensearch-node
	$(BIN)/python -m pytest tests/contract -k "opensearch or migrat"

clean:
	rm -rf $(VENV) var .pytest_cache
