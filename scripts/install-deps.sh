#!/usr/bin/env bash
# Installs what gonogo needs on a bare Debian machine, and nothing that is already there:
# PostgreSQL 15 server binaries, pgTAP, pg_prove, then the npm packages (npm ci).
# Safe to run again; CI and `make verify` / `make test` call it first.
set -euo pipefail
# no subprocess for the path (make verify runs this on every call): scripts/install-deps.sh, or
# install-deps.sh run from scripts/ itself
here="${BASH_SOURCE[0]%/*}"
[ "$here" = "${BASH_SOURCE[0]}" ] && here=.
cd "$here/.."

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
missing=()
[ -x "$PG_BIN/initdb" ] || missing+=("postgresql-${PG_MAJOR}")
[ -x "$PG_BIN/pgbench" ] || missing+=("postgresql-${PG_MAJOR}")
[ -f "/usr/share/postgresql/${PG_MAJOR}/extension/pgtap.control" ] || missing+=("postgresql-${PG_MAJOR}-pgtap")
command -v pg_prove >/dev/null 2>&1 || missing+=("libtap-parser-sourcehandler-pgtap-perl")
command -v psql >/dev/null 2>&1 || missing+=("postgresql-client-${PG_MAJOR}")
[ -x /usr/bin/time ] || missing+=("time") # bench/: peak memory of the orchestrator (time -v)

if [ "${#missing[@]}" -gt 0 ]; then
  # de-duplicate while keeping order
  read -r -a missing <<<"$(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
  if [ "$EUID" -ne 0 ]; then
    echo "gonogo: missing Debian packages: ${missing[*]}; install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "gonogo: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The server refuses to run as root: the orchestrator runs it as 'postgres' (postgresql-common creates it).
if [ "$EUID" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

# npm ci when node_modules is absent or older than the lockfile; prepare builds dist/.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
elif [ ! -f dist/orchestrator/cli.js ]; then
  npm run --silent build
fi
