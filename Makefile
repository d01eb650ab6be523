# Two commands do all the set-up on a fresh machine (Python 3.11+, git, package registries):
#   make run    creates .venv, installs riskkit, starts the app on http://localhost:8501 (this machine only)
#   make test   the same set-up plus test tools, Chromium and PostgreSQL, then the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run room test check bench system-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m ui.serve

# a workshop: reachable from the room's network, editor key required (generated and printed if unset)
room: $(VENV)/.installed
	$(BIN)/python -m ui.serve --room

system-deps:
	bash scripts/system-deps.sh

# lint and types: ruff on all our code, mypy strict on riskkit/, the app's modules as far as Streamlit's types allow
check: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/mypy --config-file scripts/mypy-app.ini

# Test files run in parallel, one file per worker at a time (pytest-xdist; a file's servers and
# browsers stay in its worker), as many workers as cores up to 4: most of the suite's time is
# spent waiting on Chromium, Streamlit and LibreOffice. PYTEST_PARALLEL= runs it in one process.
PYTEST_PARALLEL ?= -n auto --maxprocesses=4 --dist loadfile
# PostgreSQL: a throwaway server on loopback unless RISKKIT_TEST_DATABASE_URL names one
test: $(VENV)/.installed system-deps check
	@url="$${RISKKIT_TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then url="$$(bash scripts/test-postgres.sh)" || exit 1; fi; \
	echo "PostgreSQL for the tests: $$url"; \
	RISKKIT_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest $(PYTEST_PARALLEL)

# back-end tables (benchmarks/results.md), then what users feel in Chromium (benchmarks/browser.md)
bench: $(VENV)/.installed system-deps
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.browser

clean:
	rm -rf $(VENV) .pytest_cache build dist
