# Two commands do everything on a fresh machine with Python 3.10+ and make:
#   make book   create .venv, install, build the HTML (executing every chapter)
#   make test   library tests, every chapter executed, HTML built with warnings as errors, browser check
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_FLAGS := -W -n --keep-going
HTML := _build/html/index.html

.PHONY: help book test lab chapter bench clean

help:
	@echo "make book     build the HTML book into _build/html (sets up .venv on first use)"
	@echo "make test     run the whole test-suite (library, chapters, strict build, browser check)"
	@echo "make lab      open JupyterLab; double-click a chapter to run it as a notebook"
	@echo "make chapter CH=chapters/01_perceptron.md   execute one chapter and report the failing cell"
	@echo "make bench    run the benchmarks (ratios against PyTorch CPU when installed)"
	@echo "make clean    remove build output and caches (keeps .venv)"

# Install only when requirements.txt (or the package metadata) changed.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 10) else "Python 3.10 or newer is needed, found %d.%d" % v[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo "The book is at $(abspath $(HTML))"

# --all re-reads every page (an unchanged failing chapter is not skipped); the execution
# cache still spares re-running chapters whose code did not change.
test: $(STAMP)
	$(BIN)/jupyter-book build . --all $(BUILD_FLAGS)
	$(BIN)/python -m pytest

# JupyterLab refuses to start as root (Docker, devcontainers) unless told to: only then is it told.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/python scripts/configure_lab.py
	$(BIN)/jupyter lab $(LAB_ROOT_FLAG)

chapter: $(STAMP)
	$(BIN)/python scripts/run_chapter.py $(CH)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build artifacts .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
