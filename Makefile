# Two commands on a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: setup run test lint snapshots bench clean gateway-check docs-offline-check

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

setup: $(UV)
	$(UV) sync --frozen --all-packages

run: setup
	$(UV) run --frozen --no-sync safety up --demo

# deptry: each workspace member declares what its own code imports (read from the member's pyproject).
lint: setup
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .
	$(UV) run --frozen --no-sync mypy shared/src stack/src services/*/src bench
	$(UV) run --frozen --no-sync lint-imports
	for member in shared stack services/*; do \
		$(UV) run --frozen --no-sync deptry $$member/src --config $$member/pyproject.toml || exit 1; \
	done

# One pytest session, one embedded stack: each reporting module starts from an empty reporting schema and
# consumes from the topics' ends (services/reporting/tests/integration/conftest.py).
test: lint
	$(UV) run --frozen --no-sync pytest

snapshots: setup
	$(UV) run --frozen --no-sync python -m shared.contracts.compatibility

bench: setup
	$(UV) run --frozen --no-sync python -m bench.platform_path

clean:
	rm -rf $(TOOLS) .venv

# Opt-in: runs the gateway template in a real nginx (installed from Debian's packages).
gateway-check: setup
	command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx-light)
	cd tests/deploy && ../../$(UV) run --frozen --no-sync pytest -p no:cacheprovider live_nginx_check.py -o addopts="" -q

# Opt-in: each service's /docs and /redoc rendered by headless Chromium (Debian's) with the network cut off.
docs-offline-check: setup
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	cd tests/contract && ../../$(UV) run --frozen --no-sync pytest -p no:cacheprovider offline_docs_check.py -o addopts="" -q
