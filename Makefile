# Two commands: `make run` and `make test`. Everything else is a helper they call.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bootstrap lint types contracts pytest screenshots bench clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh
	touch $(STAMP)

bootstrap: $(STAMP)

run: $(STAMP)
	$(PY) -m app.cli run-demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	$(PY) -m pytest

test: lint types contracts pytest

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) scripts/screenshots.py

bench: $(STAMP)
	$(PY) bench/bench_inbox.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
