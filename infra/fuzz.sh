#!/usr/bin/env bash
# The long fuzz (`npm run fuzz`), on demand: the accepted-bytes properties of
# `npm test` (e2e/test/accepted-bytes.int.spec.ts) with FUZZ_SCALE times as
# many generated requests (default 20: 2,400 clicks, 2,000 postbacks, 1,200
# management and 1,200 reporting requests), against every service started as
# a process on 127.0.0.1 with real Kafka, PostgreSQL and Redis. Bounded: each
# property runs its fixed number of requests, then the promises are checked.
# FUZZ_SEED replays a run (fast-check prints the seed of a failure); FUZZ_DEBUG=1
# prints each refused postback.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$TRACKLANE_STATE_DIR"

# Only local services: the fuzz sends hostile input and must never reach anything else.
for url in "$DATABASE_URL" "$REDIS_URL" "http://${KAFKA_BROKERS%%,*}"; do
  is_local "$(host_of "$url")" || die "npm run fuzz runs against local services only, not $url"
done
ensure_node_modules
ensure_postgres
ensure_redis
kafka_started="$(ensure_kafka)"
[ "$kafka_started" = started ] && trap stop_kafka EXIT
export DATABASE_URL="${DATABASE_URL%/*}/postgres"

export FUZZ_SCALE="${FUZZ_SCALE:-20}"
say "fuzzing every public endpoint, ${FUZZ_SCALE}x the bounded run${FUZZ_SEED:+ (seed $FUZZ_SEED)}"
npx jest --config e2e/jest.config.js --runInBand e2e/test/accepted-bytes.int.spec.ts
