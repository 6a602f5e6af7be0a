# The README's commands. `make run` and `make test` set a fresh clone up by themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WEB_CONCURRENCY ?= 2
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt serve bench bench-transfer install migrate load editor backup restore clean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

load: migrate
	DEBUG=1 $(BIN)/python manage.py load_pyramid

run: load
	@echo ""
	@echo "  pcc is at http://127.0.0.1:$(PORT)/  (editors: make editor, then /admin/)"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

editor: migrate
	DEBUG=1 $(BIN)/python manage.py create_editor

# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# --durations: every run names its slowest tests, so a test that grows shows where the time went.
# -n: one pytest worker per core, at most 4 (pytest-xdist); each has its own test database and
# loads the shipped facts once. TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
test: install chromium
	$(BIN)/python -m pytest -q --durations=15 -n $(TEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pcc series

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn pcc.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --max-requests 100000 --max-requests-jitter 10000

bench: install
	$(BIN)/python bench/run.py

# Bytes a first visit to each page type transfers (docs/benchmarks.md).
bench-transfer: install
	$(BIN)/python bench/transfer.py --write

# DEBUG defaults on only where the environment does not say (a clone has no SECRET_KEY); a server's
# own DEBUG=0 and DATABASE_URL are kept. `make backup [FILE=...]`, `make restore FILE=...`.
backup: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup $(if $(FILE),--output "$(FILE)",)

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/pcc-....sqlite3" >&2; exit 2; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) var staticfiles test-output
