# EIT Savoie — the README's two commands are `make demo` and `make test`.
# Each installs what it needs (Debian packages, the .venv), idempotently: a second run
# installs nothing.

SHELL := /bin/bash
PYTHON_SYS := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
QGIS_PLUGINS_PY := /usr/share/qgis/python/plugins
export QT_QPA_PLATFORM ?= offscreen
export PYTHONPATH := $(CURDIR):$(QGIS_PLUGINS_PY)$(if $(PYTHONPATH),:$(PYTHONPATH))
export PYTHONDONTWRITEBYTECODE := 1
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)

APT_PACKAGES := qgis python3-qgis qgis-providers python3-pandas python3-networkx python3-scipy \
	python3-numpy python3-jinja2 python3-venv python3-pip xvfb xauth pyqt5-dev-tools \
	qttools5-dev-tools poppler-utils zip unzip \
	postgresql postgresql-15-postgis-3 gdal-bin
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
DIST := dist
PACKAGE_ZIP ?= $(DIST)/eit_plugin-$(VERSION).zip
OUT := out

.PHONY: help setup apt venv test lint complexity unit qgis-tests demo package deploy i18n bench sample model clean

help:
	@echo "make demo     full analysis of the embedded Métropole Savoie sample into $(OUT)/"
	@echo "make test     lint + complexity gate + the whole test suite (headless)"
	@echo "make package  $(PACKAGE_ZIP), for QGIS 'Install from ZIP'"
	@echo "make deploy   install the package into the current user's QGIS profile"
	@echo "make i18n     refresh i18n/*.ts (pylupdate5) and build the .qm (lrelease)"
	@echo "make bench    benchmarks at 10k, 100k and 1M establishments"

# --- set-up ---------------------------------------------------------------------------------
setup: apt venv

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt | apt
	@[ -x $(PY) ] || $(PYTHON_SYS) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# --- checks ---------------------------------------------------------------------------------
lint: setup
	$(VENV)/bin/ruff check eit_plugin tests tools bench

# Ratchet: no function above cyclomatic complexity 25, no module over 600 lines, except the
# known offenders of tools/complexity_baseline.txt, which may only shrink.
complexity: setup
	$(PY) -m tools.complexity

unit: setup
	$(PY) -m pytest -p no:qgis tests/unit

qgis-tests: setup i18n-build
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(PY) -m pytest tests/qgis

test: lint complexity unit qgis-tests

# --- i18n -----------------------------------------------------------------------------------
TS_FILES := $(wildcard i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

i18n: setup
	$(PY) tools/i18n.py update
	$(MAKE) i18n-build

i18n-build: $(QM_FILES)

i18n/%.qm: i18n/%.ts | apt
	lrelease -silent $< -qm $@

# --- package --------------------------------------------------------------------------------
package: setup i18n-build
	$(PY) tools/package.py --output $(PACKAGE_ZIP)

deploy: package
	$(PY) tools/package.py --deploy $(PACKAGE_ZIP)

# --- demo, sample, bench --------------------------------------------------------------------
demo: package
	$(PY) tools/demo.py --package $(PACKAGE_ZIP) --out $(OUT)

model: setup
	$(PY) -m tools.build_model

sample: setup
	$(PY) -m tools.generate_sample --sample resources/sample

bench: package
	$(PY) bench/run.py --package $(PACKAGE_ZIP)

clean:
	rm -rf build $(DIST) $(OUT) .pytest_cache .ruff_cache
