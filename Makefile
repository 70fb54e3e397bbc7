# Everything a newcomer needs: `make run` to use the service, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-postgres check-content reset-demo bench clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(FLASK) db upgrade
	$(FLASK) lms demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

reset-demo: install
	rm -f instance/lms.sqlite3 instance/lms.sqlite3-wal instance/lms.sqlite3-shm
	$(FLASK) db upgrade
	$(FLASK) lms demo

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	LMS_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/pytest $(PYTEST_ARGS)

check-content: install
	$(FLASK) lms check-content

clean:
	rm -rf $(VENV) node_modules .pytest_cache
