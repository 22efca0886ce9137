# gonogo: the front door. `make help` lists the targets; `make verify` and `make test` are all a
# fresh machine needs (they install what is missing first).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE ?= node
ARGS ?=
# node parses NODE_EXTRA_CA_CERTS before any of gonogo runs (80 ms of a warm make verify where it names
# the system bundle); gonogo takes it as GONOGO_EXTRA_CA_CERTS and reads it for a TLS connection only
# (orchestrator/target/extra-ca.ts). Only the CLI's own process: npm and the tests keep it as it is.
CLI := env -u NODE_EXTRA_CA_CERTS GONOGO_EXTRA_CA_CERTS="$${NODE_EXTRA_CA_CERTS:-$${GONOGO_EXTRA_CA_CERTS:-}}" \
	$(NODE) dist/orchestrator/cli.js

.PHONY: help deps build verify rehearse test lint bench mutate cluster-up cluster-down clean

help: ## List the documented targets
	@echo "gonogo: go/no-go gate for migration 20251229010228_add_master_tables_final_v2"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-13s %s\n", $$1, $$2}'
	@echo
	@echo "  Pass options with ARGS, e.g. make verify ARGS='--baseline text --report-dir reports'"
	@echo "  Staging: DATABASE_URL=postgresql://user@host/db make verify"
	@echo "  CI and scripts: ./gonogo verify ... exits with gonogo's own status (0 GO, 1 NO-GO, 2 HOLD,"
	@echo "  3 could not complete, 130 interrupted); make exits 2 for anything but GO and adds a line."

deps: ## Install PostgreSQL 15, pgTAP, pg_prove and node modules if missing
	@bash scripts/install-deps.sh

# make's own wildcard, not a find process: make verify evaluates this on every call
SOURCES := $(filter-out %.test.ts,$(wildcard orchestrator/*.ts orchestrator/*/*.ts)) scripts/bundle.mjs \
	tsconfig.json tsconfig.build.json package.json

build: deps dist/orchestrator/cli.js ## Compile the orchestrator to dist/ (when a source changed)

dist/orchestrator/cli.js: $(SOURCES)
	@npm run --silent build
	@chmod +x $@

# make cannot pass a recipe's exit status on (any failure is make's own 2, plus an "Error N" line):
# CI and scripts run ./gonogo, which execs the CLI (test/integration/command_line/scripts_and_ci_get_gonogos_own_answers.test.ts).
verify: build ## Run the suite and print the verdict (throwaway cluster, or DATABASE_URL); ARGS=... for options
	@$(CLI) verify $(ARGS)

mutate: build ## Mutation testing: each guarantee removed in a clone, the suite must notice (exit 0 = all killed or allowlisted)
	@$(CLI) mutate $(ARGS)

rehearse: build ## Rehearse the deployment on a copy of a database: ARGS='--from URL [--report-dir DIR]'
	@$(CLI) rehearse $(ARGS)

test: build ## Unit and integration tests (vitest)
	npx vitest run $(VITEST_ARGS)

lint: deps ## biome, tsc --noEmit and the SQL lint
	npm run lint

bench: build ## Benchmarks (bench/run.mjs)
	@if [ -f bench/run.mjs ]; then $(NODE) bench/run.mjs $(ARGS); else echo "no bench/run.mjs yet"; fi

cluster-up: build ## Start a local cluster prepared like verify's (prints DATABASE_URL); ARGS='--baseline text'
	@$(CLI) cluster up $(ARGS)

cluster-down: ## Stop and remove the cluster from cluster-up
	@$(CLI) cluster down

clean: ## Remove dist/, reports/ and a kept cluster
	-@[ -f dist/orchestrator/cli.js ] && $(CLI) cluster down >/dev/null 2>&1 || true
	rm -rf dist reports .gonogo
