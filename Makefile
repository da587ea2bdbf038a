# Two commands: `make run` (the portal with demo data at http://localhost:8080) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: translations run test test-unit test-pages test-browser test-security test-scaleout lint typecheck lock bench clean demo-reset \
	saml-metadata

# python3-venv first: without it `python3 -m venv` fails with a message about ensurepip that does not say what to do.
$(PY):
	@PYTHON=$(PYTHON) scripts/require-debian-packages python3-venv openssl
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The exact versions of requirements*.txt (hashes checked), then the project itself without resolving anything again.
$(RUN_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(VENV)/bin/pybabel compile --domain messages --directory locales  # also done at start when missing or stale
	touch $@

$(TEST_STAMP): requirements-test.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@ $(RUN_STAMP)

# Refresh the lock files from pyproject.toml (newest versions its ranges allow); commit both files.
PIP_COMPILE := $(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links
lock: | $(PY)
	$(PY) -m pip install --quiet pip-tools
	$(PIP_COMPILE) --upgrade --output-file=requirements.txt pyproject.toml
	$(PIP_COMPILE) --upgrade --extra test --output-file=requirements-test.txt pyproject.toml

# Extract every t()/N_()/nt()/pt() text into locales/messages.pot, update the sv/en .po files from it (fold in
# any old JSON catalogue, see scripts/json_to_po.py) and compile the .mo files. Translators edit only the .po files.
TRANSLATION_SOURCES := main.py config.py pages components auth services portal
translations: $(RUN_STAMP)
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --no-default-keywords --keywords t --keywords N_ \
		--keywords nt:1,2 --keywords pt:1c,2 --add-comments Translators: --width 120 --sort-by-file \
		--project Monetra --copyright-holder Monetra --output-file locales/messages.pot $(TRANSLATION_SOURCES)
	for lang in sv en; do \
		if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel update --domain messages --input-file locales/messages.pot --output-dir locales \
				--locale $$lang --width 120 --ignore-obsolete --previous; \
		else \
			$(VENV)/bin/pybabel init --domain messages --input-file locales/messages.pot --output-dir locales \
				--locale $$lang --width 120; \
		fi; done
	$(PY) scripts/json_to_po.py sv en
	$(VENV)/bin/pybabel compile --domain messages --directory locales --statistics

.env:
	cp .env.example .env
	@echo "Created .env from .env.example (demo settings)."

run: $(RUN_STAMP) .env
	@scripts/require-debian-packages xmlsec1 fonts-dejavu-core
	$(PY) main.py

# SimpleSAMLphp (with PHP) is the independent Suomi.fi-like IdP of tests/browser/test_simplesamlphp_idp.py.
test: $(TEST_STAMP)
	@scripts/require-debian-packages xmlsec1 chromium fonts-dejavu-core simplesamlphp php-cli php-xml php-mbstring poppler-utils
	$(MAKE) --no-print-directory test-unit test-pages test-browser test-security

# Three pytest runs: NiceGUI's User fixture and sync Playwright do not share one process (see NOTES).
test-unit: $(TEST_STAMP)
	@scripts/require-debian-packages fonts-dejavu-core poppler-utils  # pdfinfo, pdftotext: the receipt tests
	$(PY) -m pytest tests/unit -q
test-pages: $(TEST_STAMP)
	$(PY) -m pytest -p nicegui.testing.user_plugin tests/pages -q
test-browser: $(TEST_STAMP)
	$(PY) -m pytest tests/browser -q
# Attacks (tests/security): requests, forged socket events and the User fixture in one run, the browser ones in another.
test-security: $(TEST_STAMP)
	$(PY) -m pytest -p nicegui.testing.user_plugin tests/security --ignore=tests/security/browser -q
	$(PY) -m pytest tests/security/browser -q
# Two instances behind nginx on PostgreSQL and Redis, fault and API fuzz tests (needs the services running: .ci/run).
test-scaleout: $(TEST_STAMP)
	@scripts/require-debian-packages chromium nginx-light
	$(PY) -m pytest tests/scaleout -q

# The SP metadata to send to Suomi.fi, for the settings in .env / the environment.
saml-metadata: $(RUN_STAMP)
	@scripts/require-debian-packages xmlsec1
	@$(PY) -m auth.saml_sp

# Delete everything in a demo installation and load the demo data again (refuses unless DEMO_DATA=true).
demo-reset: $(RUN_STAMP) .env
	$(PY) -m services.demo_reset

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(MAKE) --no-print-directory typecheck
# mypy, configured in pyproject.toml ([tool.mypy]: the files and how strict).
typecheck: $(TEST_STAMP)
	$(VENV)/bin/mypy

bench: $(TEST_STAMP)
	@scripts/require-debian-packages xmlsec1
	$(PY) -m bench

clean:
	rm -rf $(VENV) test-artifacts
