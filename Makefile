# Atrium: `make run` serves the API, `make test` runs the whole suite. Nothing else to install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib;print(hashlib.sha1(open('pyproject.toml','rb').read()).hexdigest()[:12])")
PORT    ?= 8000
WORKERS ?= 1

.PHONY: run compile test bench migrate clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    serve the API on 127.0.0.1:$(PORT) (embedded PostgreSQL in .data/ unless ATRIUM_DATABASE_URL is set)"
	@echo "make test   run the whole test suite (a throwaway embedded PostgreSQL unless ATRIUM_TEST_DATABASE_URL is set)"
	@echo "make bench  Atrium vs a bare Starlette+asyncpg baseline with wrk; writes bench/results/<date>.md"
	@echo "make fuzz   a long Schemathesis run (stateful phase included) against a live server on a spare port"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Bytecode compiled ahead (a no-op when current): a start then reads ~300 cached modules instead of compiling
# them, which it does on every start where PYTHONDONTWRITEBYTECODE is set (about 0.2 s; docs/performance.md).
compile: $(STAMP)
	$(BIN)/python -m compileall -q domain application adapters entrypoints migrations

run: compile
	PORT=$(PORT) WORKERS=$(WORKERS) $(BIN)/atrium serve

test: $(STAMP)
	$(BIN)/lint-imports --config pyproject.toml
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

migrate: $(STAMP)
	$(BIN)/atrium migrate upgrade

clean:
	rm -rf $(VENV) .hypothesis

.PHONY: fuzz
fuzz: $(STAMP)
	PYTHONPATH=. $(BIN)/python tests/fuzz/run.py $(FUZZ_ARGS)
