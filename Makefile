# Two commands: `make run` (app with demo data) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup assets migrate seed clean-venv

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

test: setup
	scripts/install-system-packages
	$(PY) -m pytest $(PYTEST_ARGS)
