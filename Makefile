# Jiyi — the two commands a newcomer needs are `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
DEV    := FLASK_DEBUG=1 JIYI_DEMO=1
PYTEST := $(PY) -m pytest -p no:cacheprovider
## Keep compiled modules: every test process (each pass's workers, the scheduler processes a
## test starts) would otherwise compile the app, the tests and pytest's rewritten asserts again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: build-packages run test test-sqlite test-postgresql bench translations extract-messages system-packages clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

## PyICU (look-alike logins) compiles against Debian's ICU: those packages come before pip.
build-packages:
	@pkg-config --exists icu-i18n 2>/dev/null && command -v g++ >/dev/null || { \
	  echo "installing Debian packages: libicu-dev pkg-config g++"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    libicu-dev pkg-config g++; }

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt | build-packages
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## Compiled message catalogues (.mo) are built, never committed.
translations: $(VENV)/.runtime
	$(VENV)/bin/pybabel compile -d app/translations

## After changing user-facing strings: refresh the catalogue, then translate the new entries.
extract-messages: $(VENV)/.runtime
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations

## The embedded default: SQLite under instance/, demo data, http://127.0.0.1:5000, and the
## scheduler process beside the web server (timed jobs, mail to the console). Ctrl-C stops
## both: the trap sends the scheduler SIGTERM (it stops cleanly) whichever way the server ends.
run: $(VENV)/.runtime translations
	$(DEV) $(FLASK) db upgrade
	$(DEV) $(FLASK) seed-demo
	@echo ""
	@echo "  Jiyi is running at http://127.0.0.1:5000 with its scheduler  (demo data; stop with Ctrl-C)"
	@echo ""
	@$(DEV) $(FLASK) scheduler run & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' INT TERM EXIT; \
	$(DEV) $(FLASK) run --host 127.0.0.1 --port 5000 --no-debugger

## Debian packages the tests use (a browser, a CJK font, QR and PDF tools); installs what is missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "wenquanyi zen hei" || missing="$$missing fonts-wqy-zenhei"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

## The whole suite, on SQLite and then on PostgreSQL (JIYI_TEST_PG_URL, default the local server).
## Stops at the first pass that fails; PYTEST_ARGS go to every pass (`PYTEST_ARGS="tests/orgs -x"`).
test: $(VENV)/.dev translations system-packages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgresql

## One process per core, each with its own database (tests/conftest.py); a test file stays on
## one worker, so a module's fixtures are built once. `XDIST=` runs a pass in one process.
XDIST ?= -n auto --dist loadfile
## Exit status 5 is pytest's "no test selected": PYTEST_ARGS may pick none of one pass's tests.
NONE_SELECTED_IS_FINE := || [ $$? -eq 5 ]

test-sqlite:
	JIYI_TEST_DB=sqlite $(PYTEST) $(XDIST) $(PYTEST_ARGS)

## In parallel all but the race tests; then the race tests (marker postgres_only) alone, in one
## process: each opens up to 100 connections, all the server allows, so nothing may run beside them.
## The exception, in a whole run: the two-scheduler test needs a few connections and mostly waits
## for its processes' timers, so it runs beside the parallel pass (its output follows that pass's).
BESIDE := tests/jobs/test_two_schedulers.py
test-postgresql:
ifeq ($(strip $(PYTEST_ARGS)),)
	@log=$$(mktemp); JIYI_TEST_DB=postgresql $(PYTEST) -m postgres_only $(BESIDE) > $$log 2>&1 & beside=$$!; \
	JIYI_TEST_DB=postgresql $(PYTEST) $(XDIST) -m "not postgres_only"; parallel=$$?; \
	wait $$beside; alone=$$?; echo "$(BESIDE), run beside the parallel pass:"; cat $$log; rm -f $$log; \
	[ $$parallel -eq 0 ] && [ $$alone -eq 0 ]
	JIYI_TEST_DB=postgresql $(PYTEST) -m postgres_only --ignore=$(BESIDE)
else
	JIYI_TEST_DB=postgresql $(PYTEST) $(XDIST) -m "not postgres_only" $(PYTEST_ARGS) $(NONE_SELECTED_IS_FINE)
	JIYI_TEST_DB=postgresql $(PYTEST) -m postgres_only $(PYTEST_ARGS) $(NONE_SELECTED_IS_FINE)
endif

## Benchmarks on gunicorn (4 workers) and PostgreSQL; figures in bench/results/.
bench: $(VENV)/.dev translations
	command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance app/translations/*/LC_MESSAGES/*.mo
