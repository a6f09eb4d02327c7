# Both targets work on a bare machine with only Python: they build .venv themselves, from the
# lock file (exact versions and hashes), so a new upstream release never changes what runs here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/dev.txt
PROD_LOCK := requirements/prod.txt
LOCK_ARGS := --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
	--strip-extras --upgrade

.PHONY: demo test lint types unit php venv lock clean bench-quick proof machines

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

# Refresh both lock files to the newest releases pyproject's ranges allow; then `make test`.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4'
	$(BIN)/pip-compile $(LOCK_ARGS) --extra dev --extra postgres -o $(LOCK) pyproject.toml
	$(BIN)/pip-compile $(LOCK_ARGS) --extra postgres -o $(PROD_LOCK) pyproject.toml
	rm -f $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m b2bsync.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

php:
	bash bridge/check.sh

test: lint types php unit

# The crash proof with many seeds (CI runs 3): seed n on SQLite when even, PostgreSQL when odd.
SEEDS ?= 200
proof: $(STAMP)
	PROOF_SEEDS=$(SEEDS) $(BIN)/pytest -q tests/proof

# The workflows' state machines (people, orders) with many runs each (CI runs a few dozen).
EXAMPLES ?= 500
machines: $(STAMP)
	B2BSYNC_MACHINE_EXAMPLES=$(EXAMPLES) $(BIN)/pytest -q --timeout=0 \
		tests/workflows/test_people_machine.py tests/workflows/test_orders_machine.py

bench-quick: $(STAMP)
	$(BIN)/python bench/bitrix_throughput.py --quick

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
