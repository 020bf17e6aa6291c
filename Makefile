# The two commands of the README: `make demo` and `make test`; `make install` puts the `appealkit`
# command on this user's PATH. Each step says what it does on one line, since pip is quiet for a minute.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-packages
# `make install` without pipx or uv: a private environment here, its command linked into BIN
TOOL_HOME ?= $(HOME)/.local/share/appealkit
BIN ?= $(HOME)/.local/bin

.PHONY: demo test lint install wheel clean lower-bounds

demo: $(STAMP)
	@echo "make demo: building the example campaign (appealkit build campaigns/bonn-2025.yaml)"
	$(PY) -m appealkit build campaigns/bonn-2025.yaml

# pytest-xdist: one worker per core; tests/test_types.py runs mypy on one of them meanwhile
test: $(STAMP) $(TEST_STAMP)
	@echo "make test: checking the example workspace, then the test suite with mypy in it"
	$(PY) -m appealkit check
	$(PY) -m pytest -q -n auto --dist worksteal

lint: $(STAMP)
	$(PY) -m ruff check appealkit tests benchmarks

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	@echo "make: installing the system libraries that are missing (Pango, fonts, git: scripts/install-system-deps.sh)"
	@sh scripts/install-system-deps.sh
	@echo "make: creating the Python environment in $(VENV)/"
	@$(PYTHON) -m venv $(VENV)
	@echo "make: installing appealkit and its packages into $(VENV)/ (a minute the first time)"
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -e . --group dev
	@touch $(STAMP)

# what only the tests use (a browser, pdftoppm): `make demo` does without it
$(TEST_STAMP): $(STAMP) scripts/install-system-deps.sh
	@echo "make: installing what only the tests use (poppler-utils, chromium)"
	@sh scripts/install-system-deps.sh test
	@touch $(TEST_STAMP)

# The checkout as a command for this user: pipx or uv when there is one, else a private environment.
install:
	@echo "make install: installing the system libraries that are missing"
	@sh scripts/install-system-deps.sh
	@if command -v pipx >/dev/null 2>&1; then \
		echo "make install: pipx install ."; pipx install --force . ; \
	elif command -v uv >/dev/null 2>&1; then \
		echo "make install: uv tool install ."; uv tool install --force . ; \
	else \
		echo "make install: no pipx or uv; a private environment in $(TOOL_HOME), the command in $(BIN)"; \
		$(PYTHON) -m venv --clear $(TOOL_HOME)/venv && \
		$(TOOL_HOME)/venv/bin/python -m pip install -q --disable-pip-version-check . && \
		mkdir -p $(BIN) && ln -sf $(TOOL_HOME)/venv/bin/appealkit $(BIN)/appealkit ; \
	fi
	@echo "make install: done; appealkit doctor checks this machine (if the shell does not find appealkit, add $(BIN) to PATH)"

# The wheel that `pipx install` / `uv tool install` take, in dist/
wheel: $(STAMP)
	@echo "make wheel: building dist/appealkit-*.whl"
	@$(PY) -m pip wheel -q --disable-pip-version-check --no-deps -w dist .

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
	rm -rf build dist $(VENV) $(LOWEST)
