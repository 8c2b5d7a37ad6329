# Two entry points for a fresh machine: `make demo` (the TUI on the demo project) and
# `make test`. Both create .venv on first use.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean-demo

$(STAMP): pyproject.toml
	@python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kasus needs Python 3.11 or newer")'
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kasus demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy kasus tui

test: lint
	$(PY) -m pytest -n 2

bench: $(STAMP)
	$(PY) bench/run_all.py

clean-demo:
	rm -rf demo/
