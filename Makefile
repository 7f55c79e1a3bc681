# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format check install clean audit bench wheel-check screenshots api-schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# axe-core, the Nu HTML Checker and Lighthouse, reinstalled only when the lock file changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run: install
	DEBUG=True $(BIN)/python manage.py migrate --noinput
	DEBUG=True $(BIN)/python manage.py load_demo
	@echo
	@echo "Newsroom is at http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "A task worker and the dispatcher run beside it; emails are printed here."
	@echo
	trap 'kill 0' EXIT; \
	DEBUG=True $(BIN)/python manage.py db_worker --no-reload & \
	DEBUG=True $(BIN)/python manage.py run_dispatcher & \
	DEBUG=True $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install node_modules/.installed
	TESTING=True $(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The wheel installs and runs outside the checkout: built, installed into a fresh venv, then from a
# temporary directory migrate (a scratch PostgreSQL database), check --deploy, collectstatic and
# pages served (.ci/wheel-check; CI runs it after the suite).
wheel-check:
	PYTHON=$(PYTHON) .ci/wheel-check

# Lighthouse scores for home, list, a release, a topic and a person on a throwaway copy of the demo site
# (AUDIT_ARGS=--dark: with the browser preferring the dark theme).
audit: install node_modules/.installed
	$(BIN)/python -m bench.audit $(AUDIT_ARGS)

# Every public page type at 390, 768 and 1280 px, light and dark, on a throwaway copy of the demo
# site, into screenshots/ (git-ignored; screenshots/index.html shows them side by side).
screenshots: install
	$(BIN)/python -m bench.screenshots $(SCREENSHOTS_ARGS)

# Load benchmark of every public page against a bare floor view, page caching off and on, on a
# generated PostgreSQL database (bench_newsroom: made once, kept; BENCH_DATABASE_URL reuses
# another). Never part of `make test`. Options: BENCH_ARGS="--duration 5". See bench/README.md.
bench: install
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles build

# The API's OpenAPI schema, committed: regenerate it when a change to the API is meant
# (tests/api/test_schema.py fails until then).
api-schema: install
	$(BIN)/python manage.py export_openapi_schema --api api.endpoints.api --output api/openapi.json --indent 2 --sorted
