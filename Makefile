# Two commands on a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: setup run web test lint snapshots bench clean gateway-check docs-offline-check

# The web console (web/): its npm packages, installed again when the lock changes (never a browser download), and
# its embedded build (web/dist-embedded, served by `safety up`), built again when a source under web/ changes.
WEB_NPM_CACHE := $(TOOLS)/npm/web
WEB_DEPS := web/node_modules/.make-npm-ci
WEB_BUILT := web/dist-embedded/index.html
WEB_SOURCES := $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -path web/dist-embedded -prune \
	-o -path web/test-results -prune -o -path web/playwright-report -prune -o -type f -print 2>/dev/null)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

setup: $(UV)
	$(UV) sync --frozen --all-packages

run: setup web
	$(UV) run --frozen --no-sync safety up --demo

# Without npm the APIs still run; the console's address then shows how to build it.
web:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(WEB_BUILT); \
	else echo "npm not found: the web console is skipped (install Node.js 20 and npm, then run make web)"; fi

$(WEB_DEPS): web/package-lock.json
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --cache ../$(WEB_NPM_CACHE)
	touch $@

$(WEB_BUILT): $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npm run build:embedded
	touch $@

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
