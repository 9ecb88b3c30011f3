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
	@# Migrations, then the demo data, in one start-up of Django; the server runs the system checks as it
	@# starts. The compiled translations (.mo) are in the repository: after editing a .po, run
	@# `manage.py compilemessages`.
	$(PY) manage.py seed_demo --migrate --skip-checks
	@echo "Mở http://$(HOST)/ để dùng ứng dụng."
	@# The web server and the task worker together (Procfile); Ctrl+C stops both.
	HOST=$(HOST) $(VENV)/bin/honcho start

# The suite runs twice: on PostgreSQL (production) and on SQLite (the zero-setup `make run` default);
# both must pass. Neither touches the db.sqlite3 that `make run` uses.
PG_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/laichau_clb
SQLITE_TEST_DATABASE_URL ?= sqlite:///$(CURDIR)/.test-sqlite.sqlite3

.PHONY: test-pg test-sqlite test-prepare lint

lint: setup
	$(PY) -m ruff check .

test-prepare: setup lint
	scripts/install-system-packages

test: test-prepare
	$(MAKE) --no-print-directory test-pg test-sqlite

test-pg: test-prepare
	@case "$(PG_TEST_DATABASE_URL)" in *@127.0.0.1:5432/*|*@localhost:5432/*) scripts/start-postgres;; esac
	@echo "== Bộ kiểm thử trên PostgreSQL"
	DATABASE_URL=$(PG_TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: test-prepare
	@echo "== Bộ kiểm thử trên SQLite"
	DATABASE_URL=$(SQLITE_TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)
