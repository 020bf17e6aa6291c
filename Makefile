# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-packages

.PHONY: demo test lint clean

demo: $(STAMP)
	$(PY) -m appealkit build campaigns/bonn-2025.yaml

test: $(STAMP) $(TEST_STAMP)
	$(PY) -m appealkit check
	$(PY) -m mypy
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check appealkit tests benchmarks

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	sh scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e . --group dev
	touch $(STAMP)

# what only the tests use (a browser, pdftoppm): `make demo` does without it
$(TEST_STAMP): $(STAMP) scripts/install-system-deps.sh
	sh scripts/install-system-deps.sh test
	touch $(TEST_STAMP)

clean:
	rm -rf build $(VENV)
