# The two set-up commands (see README.md). Each creates .venv from pyproject.toml when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Jupyter refuses to run as root unless told; only say so when we really are root (CI, containers).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[$*]'
	touch $@

## lab: JupyterLab on notebooks/ (bound to 127.0.0.1), opening on 00-overview
lab: $(VENV)/.installed-lab
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(ROOT_FLAG) \
		--ServerApp.default_url=/lab/tree/00-overview.ipynb

## test: every unit test and every notebook under strict nbval
test: $(VENV)/.installed-test
	$(PY) -m pytest $(NBVAL) tests notebooks

## bench: performance side by side with a raw moto server; writes benchmarks/RESULTS.md
bench: $(VENV)/.installed-test
	$(PY) benchmarks/run_all.py
