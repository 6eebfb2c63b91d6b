# The two README commands. Each sets itself up on a fresh machine with Python 3.11 and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DUMPS ?= dumps
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: survey test lint golden bench eval-local train-local clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

## survey: build the survey of dumps/ into outputs/ with the offline default model
survey: $(STAMP_RUN)
	$(BIN)/taxonomist build $(DUMPS) --out outputs

## test: run the whole test suite
test: $(STAMP_DEV)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## lint: ruff and mypy
lint: $(STAMP_DEV)
	$(BIN)/ruff check pipeline schemas tests bench
	$(BIN)/mypy pipeline schemas

## golden: regenerate tests/golden/ (the expected outputs of tests/test_golden.py); review the diff
golden: $(STAMP_DEV)
	$(BIN)/python tests/golden_regen.py

## eval-local: cross-validated scores of the local model over every labelled set (fitted vs held out)
eval-local: $(STAMP_DEV)
	$(BIN)/python bench/eval_local.py --cv

## train-local: refit the local model's learned weights (pipeline/local_model/weights.json)
train-local: $(STAMP_DEV)
	$(BIN)/python bench/train_local.py

clean:
	rm -rf $(VENV) .taxonomist .pytest_cache .mypy_cache .ruff_cache
