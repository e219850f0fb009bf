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

# WeasyPrint subsets fonts ~6x faster with HarfBuzz's subset library. Optional: without it
# certificates still render, only slower, so a missing library warns and never stops the build.
HARFBUZZ_HINT := certificates will render about 6x slower. To install it: sudo apt-get install libharfbuzz-subset0
system-deps:
	@if ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing libharfbuzz-subset0 (fast PDF font subsetting)..."; \
	    apt-get install -y -qq libharfbuzz-subset0 >/dev/null || \
	      { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null; } || \
	      echo "WARNING: could not install libharfbuzz-subset0 with apt-get; $(HARFBUZZ_HINT)" >&2; \
	  else \
	    echo "WARNING: libharfbuzz-subset0 is missing; $(HARFBUZZ_HINT)" >&2; \
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

# The same checks as .pre-commit-config.yaml.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every test on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set. The passes run
# side by side: the browser journeys (on SQLite whatever the database, so once) mostly wait for
# Chromium, and the PostgreSQL pass partly for its server, so on two cores the whole takes about
# the time of the longest pass rather than their sum. Each pass has its own database and Redis
# database (tests/conftest.py); the SQLite pass reports as it goes, the others after it.
BROWSER_LOG := .pytest-browser.log
POSTGRES_LOG := .pytest-postgres.log
test: deps lint
	@env -u TEST_DATABASE_URL $(BIN)/pytest -q -m browser > $(BROWSER_LOG) 2>&1 & browser=$$!; \
	  postgres=; \
	  if [ -n "$$TEST_DATABASE_URL" ]; then \
	    $(BIN)/pytest -q -m "not browser" > $(POSTGRES_LOG) 2>&1 & postgres=$$!; \
	  fi; \
	  trap 'kill $$browser $$postgres 2>/dev/null; exit 130' INT TERM; \
	  echo "--- the suite on SQLite (the browser journeys$${postgres:+ and the PostgreSQL pass} run beside it)"; \
	  env -u TEST_DATABASE_URL $(BIN)/pytest -q -m "not browser"; status=$$?; \
	  wait $$browser; browser_status=$$?; \
	  echo "--- the browser journeys (headless Chromium), run beside the tests above"; \
	  cat $(BROWSER_LOG); rm -f $(BROWSER_LOG); \
	  postgres_status=0; \
	  if [ -n "$$postgres" ]; then \
	    wait $$postgres; postgres_status=$$?; \
	    echo "--- the same suite on PostgreSQL ($$TEST_DATABASE_URL), without the browser tests"; \
	    cat $(POSTGRES_LOG); rm -f $(POSTGRES_LOG); \
	  fi; \
	  [ $$status = 0 ] && [ $$browser_status = 0 ] && [ $$postgres_status = 0 ]

# The three journeys in headless Chromium (Debian's chromium package); see tests/browser/.
browser-test: deps
	AVALA_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(BROWSER_LOG) $(POSTGRES_LOG) tests/interop/node_modules
