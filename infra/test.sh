#!/usr/bin/env bash
# The test command (`npm test`): everything a fresh clone needs, then lint,
# type checks, unit tests and integration tests against real Kafka,
# PostgreSQL and Redis. Leaves the machine as it found it: a broker this
# script started is stopped again, test databases, topics and keys are dropped.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$TRACKLANE_STATE_DIR"

ensure_node_modules
ensure_postgres
ensure_redis
ensure_dnsmasq
ensure_geoip
ensure_chromium
ensure_pgbouncer
kafka_started="$(ensure_kafka)"
[ "$kafka_started" = started ] && trap stop_kafka EXIT

# Integration tests create their own databases on this server, and their own topics and keys.
export DATABASE_URL="${DATABASE_URL%/*}/postgres"
# Drop databases left behind by test processes that died (their pid is in the name); never those of
# a test run still going on.
psql "$DATABASE_URL" -XAtqc "SELECT datname FROM pg_database WHERE datname LIKE 'tracklane\_test\_%'" |
  while read -r name; do
    pid="$(cut -d_ -f3 <<<"$name")"
    kill -0 "$pid" 2>/dev/null || psql "$DATABASE_URL" -Xqc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
# Migrated templates are rebuilt on demand; drop the ones of earlier migration sets (not while in use).
psql "$DATABASE_URL" -XAtqc "SELECT datname FROM pg_database WHERE datname LIKE 'tracklane\_template\_%'" |
  while read -r name; do psql "$DATABASE_URL" -Xqc "DROP DATABASE IF EXISTS \"$name\"" >/dev/null 2>&1 || true; done

say "lint, type checks and unit tests"
npx nx run-many -t lint typecheck test --outputStyle=stream-without-prefixes --skipNxCache
say "integration tests (real Kafka at $KAFKA_BROKERS, PostgreSQL, Redis)"
npx nx run-many -t int-test --exclude=e2e --parallel="${TEST_PARALLEL:-2}" --outputStyle=stream-without-prefixes --skipNxCache
# The whole platform as processes, killed and restarted on purpose: alone, so its timings are its own.
say "end-to-end tests (every service as a process)"
npx nx run e2e:int-test --outputStyle=stream-without-prefixes --skipNxCache
say "all tests passed"
