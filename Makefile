# hukou-assistant: the commands of docs/contract/interfaces.md.
# `make run` and `make test` work on a fresh machine (they create .venv/ first).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv/bin
PY := $(VENV)/python
RASA := $(VENV)/rasa
CLI := $(VENV)/hukou-assistant
MODEL := models/hukou.tar.gz
DATA := nlu_data/nlu nlu_data/generated nlu_data/rules nlu_data/stories
RASA_PROJECT := --config assistant/config.yml --domain assistant/domain.yml

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: setup train run chat test bench lint types validate \
        test-fast test-nlu test-core test-e2e deploy-check clean

## setup: create or update .venv/ (idempotent)
setup:
	@scripts/setup.sh

## train: generate NLU data and train the model (skips when nothing changed)
train: setup
	$(CLI) train

## run: train if needed, start the action server and the assistant
run: setup
	$(CLI) run $(if $(HOST),--host $(HOST))

## chat: chat in the terminal (starts a temporary assistant if none runs)
chat: setup
	$(CLI) chat

## test: every test, training what the tests need (what .ci/run calls)
test: setup
	$(CLI) policies validate
	$(PY) -m pytest -q tests/policies tests/nlu
	$(MAKE) --no-print-directory validate
	$(CLI) train --skip-validation
	$(MAKE) --no-print-directory test-nlu test-core test-e2e deploy-check

## test-fast: the tests that need no trained model
test-fast: setup
	$(CLI) policies validate
	$(PY) -m pytest -q tests/policies tests/nlu tests/actions tests/cli tests/wechat/unit \
	  tests/hardening

validate: setup
	$(PY) -m assistant.nlu.generate
	$(RASA) data validate $(RASA_PROJECT) --data $(DATA)

## test-nlu: held-out NLU test set (nlu_data/test/nlu_*.yml), thresholds checked
test-nlu: setup
	rm -rf var/nlu_test results/nlu && mkdir -p var/nlu_test
	cp nlu_data/test/nlu_*.yml var/nlu_test/
	$(RASA) test nlu --nlu var/nlu_test --model $(MODEL) --out results/nlu --no-plot
	$(PY) scripts/check_nlu_report.py results/nlu

## test-core: test stories, failing on any wrong prediction
test-core: setup
	$(RASA) test core --stories nlu_data/test/stories --model $(MODEL) --out results/core \
	  --fail-on-prediction-errors --no-plot

## test-e2e: action, CLI and end-to-end tests (the e2e tests need the trained model);
## tests/e2e/browser drives the web widget in Debian's chromium (installed when missing);
## tests/wechat: the WeChat / WeCom channel (unit tests, then the real assistant against a
## local fake of the WeChat API); tests/hardening: the input guard's units. tests/e2e also
## runs two assistants on PostgreSQL and Redis (both must run on the machine).
test-e2e: setup
	scripts/test_setup.sh
	HUKOU_E2E_REQUIRED=1 $(PY) -m pytest -q tests/actions tests/cli tests/hardening tests/e2e \
	  tests/wechat

## deploy-check: deploy/k8s/ against the Kubernetes schemas, the Dockerfile against the
## repository and the manifests (tools in their own .venv-deploy/; no Docker daemon needed)
deploy-check: setup
	deploy/check.sh

## bench: latency and throughput figures, written to var/bench.json
bench: train
	$(PY) scripts/bench.py

lint: setup
	$(VENV)/ruff check .

types: setup
	$(VENV)/mypy assistant policies actions scripts tests

clean:
	rm -rf results var/nlu_test var/log
