# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The XStatic packages build from sdists that still need pkg_resources (setuptools < 81).
# pip >= 25.3 reads build constraints from PIP_BUILD_CONSTRAINT; older pips from PIP_CONSTRAINT.
export PIP_CONSTRAINT := $(CURDIR)/.ci/build-constraints.txt
export PIP_BUILD_CONSTRAINT := $(CURDIR)/.ci/build-constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install lint bench clean

$(BIN)/tracker: pyproject.toml .ci/build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/tracker

## Set up a local SQLite database with the demo rollout and serve it on http://127.0.0.1:5000
run: install
	TRACKER_ENV=development $(BIN)/tracker db upgrade
	TRACKER_ENV=development $(BIN)/tracker seed --demo
	TRACKER_ENV=development $(BIN)/tracker serve --host 127.0.0.1 --port 5000

## Run the whole test suite (SQLite and PostgreSQL; browser tests in Chromium)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache
