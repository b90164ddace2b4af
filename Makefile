# Two commands on a fresh machine (Python 3.11+):
#   make lab    open the example notebooks in JupyterLab (sandbox unless INFLUENCERS_CLUB_API_KEY is set)
#   make test   run every test: lint, types (mypy), unit, contract, property, notebooks (nbval)
# Both create .venv and install what they need the first time; later runs skip the install
# unless pyproject.toml changed.

# found once (:=), quietly: a pyenv shim for a version that is not installed prints errors
ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: lab test lint typecheck bench clean dashboard

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3 --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# --allow-root only where the shell is root (containers, CI boxes): Jupyter refuses otherwise
lab: $(STAMP)
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/

# the app (Discover, Compare audiences, Campaigns) on loopback (sandbox unless INFLUENCERS_CLUB_API_KEY is set)
DASHBOARD_PORT ?= 8866
dashboard: $(STAMP)
	$(BIN)/voila --no-browser --Voila.ip=127.0.0.1 --port=$(DASHBOARD_PORT) widgets/dashboard.ipynb

# the tests get a throwaway cache folder, so a test run never fills ~/.cache and never answers
# from what an earlier session left there; each notebook gets a store of its own, as when it
# was built (scripts/build_notebooks.py): one store shared by all eight let notebook 05's
# enrichments answer part of notebook 08's for free, so its compared costs depended on order
test: $(STAMP)
	$(BIN)/ruff check toolkit widgets tests benchmarks scripts contract
	$(BIN)/ruff format --check toolkit widgets tests benchmarks scripts contract
	$(BIN)/python -m mypy
	XDG_CACHE_HOME=$$(mktemp -d) $(BIN)/python -m pytest tests
	@for nb in notebooks/*.ipynb; do \
	  echo "== nbval $$nb"; \
	  INFLUENCERS_CLUB_STORE_URL=$$(mktemp -d)/store.sqlite3 XDG_CACHE_HOME=$$(mktemp -d) \
	    $(BIN)/python -m pytest -q --nbval-lax --nbval-sanitize-with notebooks/sanitize.cfg \
	    -p no:randomly "$$nb" || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check toolkit widgets tests benchmarks scripts contract
	$(BIN)/ruff format --check toolkit widgets tests benchmarks scripts contract
	$(BIN)/python -m mypy

# mypy, configured in pyproject.toml [tool.mypy] (strict on toolkit and widgets)
typecheck: $(STAMP)
	$(BIN)/python -m mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/frames_bench.py
	$(BIN)/python benchmarks/limiter_bench.py
	$(BIN)/python benchmarks/jobs_bench.py
	$(BIN)/python benchmarks/sandbox_bench.py
	$(BIN)/python benchmarks/decode_bench.py
	$(BIN)/python benchmarks/typeahead_bench.py
	$(BIN)/python benchmarks/pipeline_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
