#!/usr/bin/env bash
# Stops what `npm run up` started: the services, and Kafka if up started it.
# PostgreSQL and Redis keep running (they were there before, or are shared).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_dir="$TRACKLANE_STATE_DIR/run"

for pid_file in "$run_dir"/*.pid; do
  [ -e "$pid_file" ] || continue
  name="$(basename "$pid_file" .pid)"
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping $name"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pid_file"
done

if [ -f "$run_dir/kafka.started-by-up" ]; then
  # As many nodes as up started (KAFKA_CLUSTER=3 npm run up, then npm run down), whatever this shell says.
  nodes="$(cat "$run_dir/kafka.started-by-up")"
  KAFKA_CLUSTER="${nodes:-1}" stop_kafka
  rm -f "$run_dir/kafka.started-by-up"
fi
say "Tracklane is down"
