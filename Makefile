# Sijill: two commands on a fresh Debian/Ubuntu machine.
#   make demo   installs everything, then ingests a few sample letters
#   make test   installs everything, then runs the whole suite

SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := tesseract-ocr tesseract-ocr-ara tesseract-ocr-fra tesseract-ocr-osd tesseract-ocr-uig \
	poppler-utils qpdf ocrmypdf fonts-noto-core fonts-hosny-amiri fonts-dejavu-core softhsm2 \
	postgresql redis-server dovecot-imapd icc-profiles-free chromium \
	fonts-kacst fonts-kacst-one fonts-sil-scheherazade fonts-arabeyes fonts-liberation \
	libreoffice-writer-nogui libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_HOME ?= var/demo

.PHONY: demo test test-sqlite test-postgres system venv lint bench-ocr bench-search bench-understand bench-sign bench-migrate bench-scale bench-web bench-api bench-textlayers clean

system: .stamp-system
.stamp-system: Makefile  # a package added here is installed at the next make
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@touch $@

venv: $(BIN)/sijill
$(BIN)/sijill: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

demo: system venv
	rm -rf demo-mail
	$(BIN)/python -m tests.fixtures.letters demo-mail
	SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill doctor
	SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill ingest demo-mail
	SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill list
	SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill search "رخصة" --facets
	@pw=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(9))'); \
	for spec in "clerk clerk" "agent agent urbanisme" "head head urbanisme" "signatory signatory" \
	            "archivist archivist" "admin admin"; do \
	  set -- $$spec; \
	  SIJILL_USER_PASSWORD="$$pw" SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill user add "demo-$$1" --role "$$2" \
	    $${3:+--service $$3} >/dev/null || exit 1; \
	done; \
	echo; echo "Demo users (one per role): demo-clerk, demo-agent, demo-head, demo-signatory, demo-archivist, demo-admin"; \
	echo "Their password: $$pw"
	@echo; echo "Catalogue and archive are in $(DEMO_HOME). Open the web application with:"
	@echo "  SIJILL_HOME=$(DEMO_HOME) $(BIN)/sijill serve    # then http://127.0.0.1:8000/"

# The whole suite twice: on the embedded SQLite catalogue, then on a throw-away PostgreSQL
# server on 127.0.0.1 (tests/fixtures/pgserver.py). OCR and browser tests run once (SQLite).
test: system venv
	$(BIN)/ruff check .
	$(BIN)/pytest
	$(BIN)/python -m tests.fixtures.pgserver -- $(BIN)/pytest -m "not ocr and not browser" -p no:cacheprovider

test-sqlite: system venv
	$(BIN)/pytest

test-postgres: system venv
	$(BIN)/python -m tests.fixtures.pgserver -- $(BIN)/pytest -p no:cacheprovider

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

bench-ocr: system venv
	$(BIN)/python bench/ocr.py

bench-textlayers: system venv
	$(BIN)/python bench/textlayers.py

bench-search: venv
	$(BIN)/python bench/search.py

bench-understand: system venv
	$(BIN)/python bench/understand.py

bench-sign: system venv
	$(BIN)/python bench/sign.py

bench-migrate: system venv
	$(BIN)/python bench/migrate.py

bench-web: venv
	$(BIN)/python bench/web.py

bench-scale: system venv
	$(BIN)/python bench/scale.py --postgres

bench-api: system venv
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) var demo-mail .stamp-system .pytest_cache .ruff_cache
