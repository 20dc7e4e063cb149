# The two set-up commands (see README.md), and `make notebooks` for authors. Each creates .venv from
# pyproject.toml when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Jupyter refuses to run as root unless told; only say so when we really are root (CI, containers).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test bench notebooks

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

## notebooks: update each notebook from its jupytext .py twin, then execute it in place
## (NB=06 for one notebook, NB='06 07' for several; the default is all of them)
NB ?=
NB_SOURCES = $(sort $(foreach n,$(or $(NB),*),$(wildcard notebooks/$(n)*.py)))
notebooks: $(VENV)/.installed-test
	@test -n "$(NB_SOURCES)" || { echo "no notebook source matches NB='$(NB)' in notebooks/" >&2; exit 2; }
	$(VENV)/bin/jupytext --update --to ipynb $(NB_SOURCES)
	PRESIGNLAB_TARGET=local $(VENV)/bin/jupyter nbconvert --config tools/nbconvert_config.py \
		--to notebook --execute --inplace $(NB_SOURCES:.py=.ipynb)

## bench: performance side by side with a raw moto server; writes benchmarks/RESULTS.md
bench: $(VENV)/.installed-test
	$(PY) benchmarks/run_all.py
