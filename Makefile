# The two set-up commands (see README.md), and `make notebooks` for authors. Each creates .venv from
# pyproject.toml when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Jupyter refuses to run as root unless told; only say so when we really are root (CI, containers).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# make lab's port (make lab PORT=8899); JupyterLab fails rather than pick another when it is taken.
PORT ?= 8888
JS_SDK_URLS := tools/js-sdk-urls

.PHONY: lab test lint bench notebooks js-sdk-urls

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The test extra includes the lab extra, so installing it also satisfies the lab stamp.
$(VENV)/.installed-%: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[$*]'
	touch $@ $(if $(filter test,$*),$(VENV)/.installed-lab)

## lab: JupyterLab on notebooks/ at 127.0.0.1:$(PORT), opening on 00-overview
# (LabApp's default_url: JupyterLab overrides ServerApp's with its own /lab)
lab: $(VENV)/.installed-lab
	BOTO_DISABLE_CRT=true $(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
		--notebook-dir=notebooks $(ROOT_FLAG) --LabApp.default_url=/lab/tree/00-overview.ipynb

## lint: the style checks CI runs before the tests (versions pinned in the test extra)
LINTED := helpers tests benchmarks notebooks conftest.py
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy

## test: every unit test and every notebook under strict nbval
test: $(VENV)/.installed-test
	BOTO_DISABLE_CRT=true $(PY) -m pytest $(NBVAL) tests notebooks

## notebooks: update each notebook from its jupytext .py twin, then execute it in place
## (NB=06 for one notebook, NB='06 07' for several; the default is all of them)
NB ?=
NB_SOURCES = $(sort $(foreach n,$(or $(NB),*),$(wildcard notebooks/$(n)*.py)))
notebooks: $(VENV)/.installed-test
	@test -n "$(NB_SOURCES)" || { echo "no notebook source matches NB='$(NB)' in notebooks/" >&2; exit 2; }
	$(VENV)/bin/jupytext --update --to ipynb $(NB_SOURCES)
	BOTO_DISABLE_CRT=true PRESIGNLAB_TARGET=local $(VENV)/bin/jupyter nbconvert --config tools/nbconvert_config.py \
		--to notebook --execute --inplace $(NB_SOURCES:.py=.ipynb)

## bench: performance side by side with a raw moto server; writes benchmarks/RESULTS.md
bench: $(VENV)/.installed-test
	$(PY) benchmarks/run_all.py

## js-sdk-urls: rewrite the JS SDK presigned-URL fixtures with the SDKs pinned in tools/js-sdk-urls
js-sdk-urls:
	cd $(JS_SDK_URLS) && npm ci && node generate.mjs ../../helpers/presignlab/lab/data/js_sdk_urls.json
