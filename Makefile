# Two commands: `make run` and `make test`. Everything else is a helper they call.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bootstrap lock messages lint types contracts pytest pytest-clock screenshots bench bench-documents bench-intake bench-card bench-passport bench-box bench-report bench-payments bench-outage bench-verifier bench-retention msi clean

$(STAMP): pyproject.toml uv.lock scripts/bootstrap.sh scripts/locked.py printing/verifier_page/package-lock.json
	bash scripts/bootstrap.sh
	touch $(STAMP)

bootstrap: $(STAMP)

# re-resolve every dependency to its newest allowed release, on purpose: review uv.lock's diff,
# run `make test`, commit both files together
lock: $(STAMP)
	$(VENV)/bin/uv lock --upgrade
	bash scripts/bootstrap.sh

# The embedded default: SQLite in the demo profile's own data folder (never the seat's real
# one; the title bar says so), schema brought to head, demo data once; the FIT-Connect sandbox,
# the forms mailbox and the printer run beside the app and stop with it (also on SIGTERM).
DEMO := BUERGERBUERO_PROFILE=demo
run: $(STAMP)
	$(DEMO) $(VENV)/bin/buergerbuero db upgrade
	$(DEMO) $(VENV)/bin/buergerbuero demo --if-empty
	$(DEMO) $(VENV)/bin/buergerbuero sandbox demo

# the message catalogue (app/locale): the code's new keys into de.po and en.po, the template,
# the compiled .mo files the application reads (docs/translating.md)
messages: $(STAMP)
	$(PY) scripts/messages.py update
	$(PY) scripts/messages.py compile
	$(PY) scripts/messages.py check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	$(PY) -m pytest

# No test may depend on today's date: the domain, store and integration tests with the wall
# clock a year ahead, then the domain and store tests a year back (libfaketime, for the tests
# and every process they start: scripts/shifted_clock.py)
SHIFTED = $(PY) scripts/shifted_clock.py
CLOCK_TESTS = tests/domain tests/store tests/integrations
PYTEST_QUIET = $(PY) -m pytest -q -p no:cacheprovider
pytest-clock: $(STAMP)
	$(SHIFTED) +365d -- $(PYTEST_QUIET) $(CLOCK_TESTS)
	$(SHIFTED) -365d -- $(PYTEST_QUIET) tests/domain tests/store

# CI: three runs at once, each with peers of its own (ports, pcscd, PostgreSQL): the
# clock-sensitive tests a year ahead in two halves of about equal length (the intake's share
# of the integration tests, then domain and store a year ahead, the domain a year back and
# the documentation's commands on today's clock; the rest of the integration tests), and
# everything else on today's clock (its slowest tests named at the end); lint, types and the
# import contracts beside them (their half minute no longer waits in front). The suite mostly
# waits on its real servers, so three runs share the 2 cores well. `make pytest` runs all on
# today's clock.
INTAKE_SHARE = $(addprefix tests/integrations/,test_intake.py test_whole_way.py \
	test_sandbox_spec.py test_oaep_decode.py test_intake_task.py test_settings_secrets.py)
test: $(STAMP)
	@status=0; first=$$(mktemp); second=$$(mktemp); checks=$$(mktemp); \
	$(MAKE) --no-print-directory lint types contracts >$$checks 2>&1 & checking=$$!; \
	( $(SHIFTED) +365d -- $(PYTEST_QUIET) $(INTAKE_SHARE) tests/domain tests/store \
	    --durations=10 && \
	  $(SHIFTED) -365d -- $(PYTEST_QUIET) tests/domain && \
	  $(PYTEST_QUIET) tests/test_documented_commands.py ) >$$first 2>&1 & one=$$!; \
	$(SHIFTED) +365d -- $(PYTEST_QUIET) tests/integrations --durations=10 \
	  $(addprefix --ignore=,$(INTAKE_SHARE)) >$$second 2>&1 & two=$$!; \
	$(PY) -m pytest $(addprefix --ignore=,$(CLOCK_TESTS)) \
	  --ignore=tests/test_documented_commands.py --durations=15 || status=1; \
	wait $$one || status=1; wait $$two || status=1; wait $$checking || status=1; \
	echo "--- lint, types and import contracts:"; cat $$checks; \
	echo "--- the intake's integration tests, domain and store, a year ahead (and back);"; \
	echo "    the documentation's commands:"; \
	cat $$first; \
	echo "--- the other integration tests, a year ahead:"; cat $$second; \
	rm -f $$first $$second $$checks; exit $$status

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) scripts/screenshots.py
	xvfb-run -a -s "-screen 0 1280x800x24" env SCREENSHOT_SIZE=1280x800 $(PY) scripts/screenshots.py
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/printing/test_verifier_page.py tests/ui/test_identity_gui.py tests/ui/test_passport_gui.py tests/ui/test_box_gui.py tests/ui/test_dashboard_gui.py tests/ui/test_keyboard_tasks.py tests/ui/test_till_gui.py tests/ui/test_privacy_gui.py

# every benchmark runs and reports, even after one misses its budget; the target fails after
bench: $(STAMP)
	status=0; \
	$(PY) bench/bench_inbox.py || status=1; \
	$(PY) bench/bench_documents.py || status=1; \
	$(PY) bench/bench_intake.py || status=1; \
	$(PY) bench/bench_card.py || status=1; \
	$(PY) bench/bench_passport.py || status=1; \
	$(PY) bench/bench_box.py || status=1; \
	$(PY) bench/bench_report.py || status=1; \
	$(PY) bench/bench_payments.py || status=1; \
	$(PY) bench/bench_outage.py || status=1; \
	$(PY) bench/bench_verifier.py || status=1; \
	$(PY) bench/bench_retention.py || status=1; \
	exit $$status

bench-documents: $(STAMP)
	$(PY) bench/bench_documents.py

bench-intake: $(STAMP)
	$(PY) bench/bench_intake.py

bench-card: $(STAMP)
	$(PY) bench/bench_card.py

bench-passport: $(STAMP)
	$(PY) bench/bench_passport.py

bench-box: $(STAMP)
	$(PY) bench/bench_box.py

bench-payments: $(STAMP)
	$(PY) bench/bench_payments.py

bench-outage: $(STAMP)
	$(PY) bench/bench_outage.py

bench-verifier: $(STAMP)
	$(PY) bench/bench_verifier.py

bench-retention: $(STAMP)
	$(PY) bench/bench_retention.py

bench-report: $(STAMP)
	$(PY) bench/bench_report.py

# the per-machine x64 MSI (installer/build_msi.py), into dist/
msi: $(STAMP)
	$(PY) installer/build_msi.py --out dist

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
