# Bookbug: `make run` starts the app on its embedded defaults; `make test` runs every test;
# `make check` runs the type checker and the linter (configured in pyproject.toml).
# Both install what they need first (a virtual environment, the pinned packages, and Node 22
# + bun from the npm registry into .tools/), and skip what is already installed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
TOOLS  := .tools
BIN    := $(VENV)/bin
# axe-core, pinned in tests/browser/package.json: the browser tests inject it to check WCAG 2 A/AA.
BROWSER_TOOLS := tests/browser/node_modules
NODE_VERSION := 22.23.3
BUN_VERSION  := 1.4.5

# Reflex needs Node >= 22.22 and bun >= 1.4.4; both come from the npm registry into .tools.
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
# Only package registries are reachable: ask npmjs directly instead of racing a mirror, and
# skip Reflex's version check.
export NPM_CONFIG_REGISTRY := https://registry.npmjs.org
export REFLEX_CHECK_LATEST_VERSION := false
export PYTHONUNBUFFERED := 1

.PHONY: run test check worker setup migrate clean system

run: setup migrate system
	$(BIN)/reflex run --env prod $(RUN_ARGS)

test: setup system $(BROWSER_TOOLS)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Needs only the Python packages, not Node or the system packages.
check: $(VENV)/.installed
	$(BIN)/mypy
	$(BIN)/ruff check

# Production: as many of these as you like, on any machine sharing REDIS_URL and DATABASE_URL.
worker: setup migrate
	$(BIN)/python -m workers

migrate: setup
	$(BIN)/python -m bookbug.startup

setup: $(VENV)/.installed $(TOOLS)/.installed

# Debian packages: espeak-ng is the offline narrator; epubcheck (with Java) validates the e-book in
# the tests. Installed where missing when we may (root with apt-get); otherwise this says how, the
# books are made without a voice, and the tests that need them skip and say why.
DEBIAN_PACKAGES := espeak-ng epubcheck
system:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Not installed:$$missing. Install with: sudo apt-get install$$missing"; fi; \
	fi

# The pinned packages (deploy/Dockerfile installs these before copying the source).
$(VENV)/.installed-deps: requirements.txt requirements-arq.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# arq pins redis<6 but works with redis-py 7; see requirements-arq.txt.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-arq.txt
	touch $@

$(VENV)/.installed: $(VENV)/.installed-deps pyproject.toml
	# the project itself, for the `bookbug` command-line client
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(TOOLS)/.installed: Makefile
	mkdir -p $(TOOLS)
	test -f $(TOOLS)/package.json || echo '{"name":"bookbug-tools","private":true}' > $(TOOLS)/package.json
	cd $(TOOLS) && npm install --no-audit --no-fund --silent node@$(NODE_VERSION) bun@$(BUN_VERSION)
	touch $@

$(BROWSER_TOOLS)/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) $(BROWSER_TOOLS) .web
