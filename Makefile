# Avala: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint system-deps translations messages deps clean browser-test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed system-deps translations

# WeasyPrint subsets fonts ~6x faster with HarfBuzz's subset library.
system-deps:
	@if ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing libharfbuzz-subset0 (fast PDF font subsetting)..."; \
	    apt-get install -y -qq libharfbuzz-subset0 >/dev/null || \
	      { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null; }; \
	  else \
	    echo "Missing libharfbuzz-subset0. Run: sudo apt-get install libharfbuzz-subset0"; exit 1; \
	  fi; \
	fi

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d app/translations >/dev/null

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot app templates
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

run: deps
	$(BIN)/flask db upgrade
	$(BIN)/flask certificates create-key
	$(BIN)/flask demo load
	@echo "Avala is starting on http://127.0.0.1:5000 (Ctrl+C stops the app and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/huey_consumer app.worker.huey --workers 1 --logfile instance/worker.log & \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# Every test on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set. The browser
# tests run their own server on SQLite whatever the database, so they run once, in the first pass.
test: deps lint
	env -u TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "--- the same suite on PostgreSQL ($$TEST_DATABASE_URL), without the browser tests"; \
	  $(BIN)/pytest -q -m "not browser"; \
	fi

# The three journeys in headless Chromium (Debian's chromium package); see tests/browser/.
browser-test: deps
	$(BIN)/pytest -q tests/browser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
