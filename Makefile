# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-packages

.PHONY: demo test lint clean lower-bounds

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

# The declared minimum of every dependency, installed into its own virtualenv, against a smoke
# subset: one test module per library the lower bounds could break (scripts/lower_bounds.py).
LOWEST := .venv-lowest
SMOKE := tests/test_cli.py tests/test_api.py tests/test_read_pdf.py tests/test_read_docx.py \
	tests/test_sandbox.py tests/test_yamlsource.py tests/test_bundle.py tests/test_languages.py

lower-bounds: $(STAMP)
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(PY) scripts/lower_bounds.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install -q --upgrade pip
	$(LOWEST)/bin/python -m pip install -q . pytest hypothesis pytest-timeout --constraint $(LOWEST)/constraints.txt
	cd tests && ../$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider -m "not slow" $(SMOKE:tests/%=%)

clean:
	rm -rf build $(VENV) $(LOWEST)
