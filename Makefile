# Hamlet's two set-up commands: `make demo` and `make test`. Both need only Python 3.11+
# and make; they create the virtual environment in .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean bench bench-queries bench-import bench-extract

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The demo runs with production settings (DEBUG off, so the real error pages and
# static files pipeline), except that plain HTTP on this machine is allowed and two-factor
# sign-in is off, so the demo users sign in with the password alone.
DEMO_KEY := $(VENV)/demo-secret-key
DEMO_PSEUDONYM_KEY := $(VENV)/demo-pseudonym-key
DEMO_BACKUP_CODE_KEY := $(VENV)/demo-backup-code-key
DEMO_ENV = DEBUG=0 HAMLET_DEMO=1 SECRET_KEY="$$(cat $(DEMO_KEY))" HAMLET_PSEUDONYM_KEY="$$(cat $(DEMO_PSEUDONYM_KEY))" HAMLET_BACKUP_CODE_KEY="$$(cat $(DEMO_BACKUP_CODE_KEY))" ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 HAMLET_2FA=0

$(DEMO_KEY) $(DEMO_PSEUDONYM_KEY) $(DEMO_BACKUP_CODE_KEY): | venv
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## Serve the demo on SQLite at http://127.0.0.1:$(PORT)
demo: venv $(DEMO_KEY) $(DEMO_PSEUDONYM_KEY) $(DEMO_BACKUP_CODE_KEY)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo "Hamlet is at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver --skip-checks 127.0.0.1:$(PORT)

## Run the whole suite (SQLite, or the PostgreSQL named by DATABASE_URL), a worker a core
# (pytest-xdist; each worker has its own test database). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: venv
	$(BIN)/pytest -n $(TEST_WORKERS)

# The benchmark (README, "Benchmark"): PostgreSQL with the national synthetic data,
# gunicorn with BENCH_WORKERS workers on 127.0.0.1, wrk at BENCH_CLIENTS concurrent clients
# for BENCH_SECONDS on each page. Production settings, except plain HTTP on this machine,
# keys that guard only fake data, and custody managers signing in with two factors too.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hamlet_bench
BENCH_WORKERS ?= 2
BENCH_CLIENTS ?= 4
BENCH_SECONDS ?= 15
# The figures' shared cache (hamlet.computed), as production has it; BENCH_REDIS_URL= measures without.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) CACHE_KEY_PREFIX=bench \
	DJANGO_SETTINGS_MODULE=hamlet.settings_bench DEBUG=0 \
	HAMLET_SYNTHETIC=1 SECRET_KEY=bench-only-key-for-synthetic-data-never-for-real-data \
	HAMLET_PSEUDONYM_KEY=bench-only-pseudonym-key-for-synthetic-data \
	HAMLET_BACKUP_CODE_KEY=bench-only-backup-code-key-for-synthetic-data ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 HAMLET_2FA=1 HAMLET_2FA_ROLES="Custody manager" \
	LOG_LEVEL=WARNING

## Measure the pages at national scale, as ratios of a signed-in "hello" (needs PostgreSQL and wrk)
bench: venv
	$(BENCH_ENV) $(BIN)/python bench/run.py --workers $(BENCH_WORKERS) --connections $(BENCH_CLIENTS) \
		--seconds $(BENCH_SECONDS) $(BENCH_ARGS)

## One page's queries, slowest first, explained (and PROFILE=1 for pyinstrument), on the bench data
bench-queries: venv
	$(BENCH_ENV) $(BIN)/python bench/queries.py "$(PAGE)" --user $(or $(USER_NAME),manager.001) $(if $(PROFILE),--profile)

## Time an import of 10,000 residents into the bench data (rolled back afterwards)
bench-import: venv
	$(BENCH_ENV) $(BIN)/python bench/import_speed.py

## Download the research extract for every wing through gunicorn, with the worker's peak memory
bench-extract: venv
	$(BENCH_ENV) $(BIN)/python bench/extract_memory.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
