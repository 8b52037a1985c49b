# Two commands matter: `make run` and `make test`. Both set up what they need first.
# Every other target is listed by `make help`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CODESIGN := $(VENV)/bin/codesign
PORT ?= 8501
ADDRESS ?= 0.0.0.0
# The installer: uv (from the package registry) when it can be had, else pip.
UV_VERSION := 0.13.8
INSTALL_LOG := $(VENV)/install.log
# pytest-xdist spreads the suite over the cores; browser and PostgreSQL tests each use their
# own port and database, so they run in parallel safely. `make test PYTEST_ARGS=tests/x.py` for one file.
PYTEST_ARGS ?= -n auto

.PHONY: help run test lint format typecheck bench doctor passcode-reset display-link venv clean

help:
	@echo "make run                  install, set up the database and the demo, start the app (PORT=8501 ADDRESS=0.0.0.0)"
	@echo "make test                 lint, type-check and run the tests (PYTEST_ARGS='tests/x/test_y.py -q')"
	@echo "make doctor               check what the tests and the report need, and say how to install what is missing"
	@echo "make passcode-reset       print a new facilitator passcode (once)"
	@echo "make display-link CODE=X  print workshop X's display link (codesign display-link)"
	@echo "make lint | format | typecheck | bench | clean"

# install(requirements file, what): uv into $(VENV), else pip; one progress line, the details in the log.
define install
	@mkdir -p $(VENV)
	@printf 'Installing %s… ' "$(2)"; start=$$(date +%s); \
	uv=$$(command -v uv || true); \
	if [ -z "$$uv" ] && [ -x $(VENV)/.uv/bin/uv ]; then uv=$(VENV)/.uv/bin/uv; fi; \
	if [ -z "$$uv" ] && $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(VENV)/.uv \
	      uv==$(UV_VERSION) >>$(INSTALL_LOG) 2>&1; then uv=$(VENV)/.uv/bin/uv; fi; \
	if [ -n "$$uv" ]; then \
	  how=uv; \
	  { [ -x $(PY) ] || "$$uv" venv --quiet --seed --allow-existing --python $(PYTHON) $(VENV) >>$(INSTALL_LOG) 2>&1; } && \
	  "$$uv" pip install --python $(PY) -r $(1) >>$(INSTALL_LOG) 2>&1; \
	else \
	  how=pip; \
	  { [ -x $(PY) ] || $(PYTHON) -m venv $(VENV) >>$(INSTALL_LOG) 2>&1; } && \
	  $(PY) -m pip install --quiet --disable-pip-version-check -r $(1) >>$(INSTALL_LOG) 2>&1; \
	fi; \
	status=$$?; \
	if [ $$status -ne 0 ]; then echo "failed ($$how). The last lines of $(INSTALL_LOG):"; tail -n 15 $(INSTALL_LOG); exit $$status; fi; \
	echo "done with $$how in $$(( $$(date +%s) - start )) s"
endef

# The app's own requirements (requirements.txt installs this folder too); `make test` adds the test tools.
$(VENV)/.app: requirements.txt pyproject.toml
	$(call install,requirements.txt,the app into $(VENV))
	@touch $@

$(VENV)/.dev: $(VENV)/.app requirements-dev.txt
	$(call install,requirements-dev.txt,the test tools into $(VENV))
	@touch $@

venv: $(VENV)/.dev

# `codesign setup` prints the progress lines and the passcode; serve prints the addresses once the app answers.
run: $(VENV)/.app
	@CODESIGN_SERVE_NEXT=1 $(CODESIGN) setup --port $(PORT)
	@exec $(PY) -m codesign.ui.serve --address $(ADDRESS) --port $(PORT)

passcode-reset: $(VENV)/.app
	@$(CODESIGN) passcode reset

# The display link of workshop CODE, from `codesign display-link`.
display-link: $(VENV)/.app
	@if [ -z "$(CODE)" ]; then echo "Usage: make display-link CODE=<join code>   (codes: $(CODESIGN) workshops list)"; exit 2; fi
	@$(CODESIGN) display-link $(CODE)

doctor:
	@PYTHONPATH=src $(PYTHON) -m codesign.tools.doctor

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: venv
	$(VENV)/bin/mypy

test: venv lint typecheck
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: venv
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
