# Two commands: `make run` (app with demo data) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup

$(PY):
	@PYTHON=$$(scripts/find-python) && $$PYTHON -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.requirements: requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.requirements node_modules/.package-lock.json

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py compilemessages --ignore .venv --ignore node_modules >/dev/null 2>&1 || true
	@echo "Mở http://$(HOST)/ để dùng ứng dụng."
	$(PY) manage.py runserver $(HOST)

# Tests run on PostgreSQL, never on the SQLite file that `make run` uses.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/laichau_clb

.PHONY: lint
lint: setup
	$(PY) -m ruff check .

test: setup lint
	scripts/install-system-packages
	@if [ -z "$$DATABASE_URL" ]; then scripts/start-postgres; fi
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest $(PYTEST_ARGS)
