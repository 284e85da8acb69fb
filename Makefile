# Quick start: `make run` (web app + Celery worker + embedded broker on http://127.0.0.1:8000)
# and `make test` (ruff and the whole pytest suite). Both install what they need first.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Python 3.12: on PATH first (Docker images, recent distributions), then pyenv's versions.
PYTHON312 := $(shell command -v python3.12 >/dev/null 2>&1 && python3.12 -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && command -v python3.12 || ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V | tail -n 1)

.PHONY: run test lint format install install-dev install-js migrate worker clean

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON312)" || { echo "error: Python 3.12 not found (looked for python3.12 on PATH and in pyenv's versions). Install it, e.g. 'pyenv install 3.12'." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# axe-core, which the browser tests inject into every page (test-only JavaScript).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found: install Node.js and npm (.ci/run does this)." >&2; exit 1; }
	npm ci --no-audit --no-fund --silent

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json
install-js: node_modules/.package-lock.json

migrate: install
	$(PY) manage.py migrate --no-input

run: migrate
	$(PY) manage.py runall --host $(HOST) --port $(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint install-js
	$(PY) -m pytest

clean:
	rm -rf var/ .pytest_cache .ruff_cache node_modules
