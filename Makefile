# The two commands of the README are `make run` and `make test`; the rest are for developers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-services lint fmt migrate demo messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load demo data, build the search index, serve on http://127.0.0.1:8000
run: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py rebuild_index --noinput
	@echo ""
	@echo "  Help center:  http://$(HOST):$(PORT)/"
	@echo "  Agent desk:   http://$(HOST):$(PORT)/desk/"
	@echo "  Admin:        http://$(HOST):$(PORT)/admin/"
	@echo "  API docs:     http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  Health:       http://$(HOST):$(PORT)/healthz"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite with pytest (SQLite and eager tasks unless DATABASE_URL/REDIS_URL are set)
test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

migrate: $(VENV)/.installed
	$(PY) manage.py migrate

## messages: extract UI strings, fill translations from locale/strings/*.yml, compile .mo files
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fi -l ar -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=static --no-obsolete
	$(PY) scripts/translate.py

clean:
	rm -rf var/helpdesk.sqlite3* var/whoosh_index var/static

## demo-host: serve demo/host (a shop page embedding the chat widget) on http://127.0.0.1:8001
.PHONY: demo-host
demo-host:
	python3 -m http.server 8001 --bind 127.0.0.1 --directory demo/host
