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
kafka_started="$(ensure_kafka)"
[ "$kafka_started" = started ] && trap stop_kafka EXIT

# Integration tests create their own databases on this server, and their own topics and keys.
export DATABASE_URL="${DATABASE_URL%/*}/postgres"
psql "$DATABASE_URL" -XAtqc "SELECT 'DROP DATABASE IF EXISTS ' || quote_ident(datname) || ' WITH (FORCE);' FROM pg_database WHERE datname LIKE 'tracklane\_test\_%'" \
  | psql "$DATABASE_URL" -Xq >/dev/null 2>&1 || true

say "lint, type checks and unit tests"
npx nx run-many -t lint typecheck test --outputStyle=stream-without-prefixes --skipNxCache
say "integration tests (real Kafka at $KAFKA_BROKERS, PostgreSQL, Redis)"
npx nx run-many -t int-test --parallel="${TEST_PARALLEL:-2}" --outputStyle=stream-without-prefixes --skipNxCache
say "all tests passed"
