# The two commands of the README: `make build` and `make test`. Each sets up its own
# virtual environment (.venv) on first use, and the system packages it needs (a JDK for
# HermiT and the OWL API check; Debian's OWL API), then runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint clean deps release validate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,sources]'
	touch $(STAMP)

# Installs only what is missing (apt-get, as root); quick and silent when all is there.
deps:
	sh scripts/install-system-deps.sh

# `mmkg build` runs every check of `mmkg validate` (records, SHACL, check queries, the
# ROBOT-style report) on the graph before it writes it, and stops on any error: so
# `make build` validates, and never writes a graph that `make validate` rejects.
build: deps $(STAMP)
	$(BIN)/mmkg build && $(BIN)/mmkg site

# The full report, warnings and info included (build prints only the errors).
validate: $(STAMP)
	$(BIN)/mmkg validate

release: deps $(STAMP)
	$(BIN)/mmkg release

test: deps $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest --numprocesses auto --dist loadscope --durations=25

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) build
