# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install lint bench wheel clean

$(BIN)/tracker: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/tracker

# The `tracker` command reads .env (git-ignored), so every command run from this checkout is in
# development mode. Written once: an .env the developer edited is left alone.
.env:
	printf '%s\n' '# Written by `make run`; read by the tracker command (see .env.example).' \
		'TRACKER_ENV=development' > $@

## Set up a local SQLite database with the demo rollout and serve it on http://127.0.0.1:5000
run: install .env
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed --demo
	$(BIN)/tracker serve --host 127.0.0.1 --port 5000

## Run the whole test suite (SQLite and PostgreSQL; browser tests in Chromium)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint: ruff, and vulture for dead code (settings in pyproject.toml, vulture_whitelist.py)
lint: install
	$(BIN)/ruff check .
	$(BIN)/vulture

bench: install
	$(BIN)/python bench/run_all.py

## The wheel an operator installs with plain pip (README: Installing from the wheel)
wheel: install
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) instance .pytest_cache dist
