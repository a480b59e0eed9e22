# The commands people type. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run test lint format messages bench worker check-compose mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

.env:
	$(PYTHON) scripts/init_env.py

setup: $(STAMP) .env
	@mkdir -p var

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  SI-TPPO Kalsel: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: setup
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

worker: setup
	$(BIN)/celery -A tppo worker -B -l info

check-compose: setup
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

# Seeds tppo_bench_<size> databases on the local PostgreSQL (once), serves each with
# gunicorn and measures; writes docs/benchmarks.md. Sizes: BENCH_SIZES=1000,10000,100000.
# Redis db 15 is the cache, as in production (the bench empties it between sizes).
BENCH_SIZES ?= 1000,10000,100000
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/15
bench: setup
	BENCH_CACHE_URL=$(BENCH_CACHE_URL) $(BIN)/python scripts/bench.py --sizes $(BENCH_SIZES)

# 50 unit clients submitting and updating cases for 5 minutes against gunicorn on a fresh
# tppo_load database (PostgreSQL and Redis running), then every case reconciled; see
# docs/loadtest.md. Shorter: make loadtest LOADTEST_ARGS="--duration 30".
.PHONY: loadtest
LOADTEST_ARGS ?=
loadtest: setup
	$(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)

# A chaos run (not part of `make test`): its own PostgreSQL cluster and Redis in a temporary
# directory, gunicorn, a Celery worker and beat; bounded load through the API and the pages
# while workers are killed, PostgreSQL and Redis restarted and beat stopped across a due
# time; then every acknowledged write, the month's summaries and the reminders reconciled.
# See docs/chaos.md. Shorter: make chaos CHAOS_ARGS="--duration 60".
.PHONY: chaos
CHAOS_ARGS ?=
chaos: setup
	$(BIN)/python scripts/chaos.py $(CHAOS_ARGS)

# Mutation testing of the access rule, the services, the identity hash and the suppression
# module (mutmut; configured in pyproject.toml). Long: run it by hand, then
# `$(BIN)/mutmut results` lists the survivors. MUTATE_ARGS narrows it, e.g. to one module:
# make mutate MUTATE_ARGS="agencies.scoping*"
MUTATE_ARGS ?=
mutate: setup
	$(BIN)/mutmut run $(MUTATE_ARGS)
	$(BIN)/mutmut results
