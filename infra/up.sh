#!/usr/bin/env bash
# Brings the whole platform up on this machine and returns once it is healthy:
# dependencies (Kafka from Maven Central jars; PostgreSQL and Redis as
# running, or started from Debian's packages), migrations, topics, the demo
# network, then every service in infra/services.conf. Stop it with `npm run down`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_dir="$TRACKLANE_STATE_DIR/run"
log_dir="$TRACKLANE_STATE_DIR/logs"
mkdir -p "$run_dir" "$log_dir"

ensure_node_modules
ensure_postgres
ensure_redis
ensure_geoip
# The marker holds how many nodes up started, so that a plain `npm run down` stops a whole cluster too.
[ "$(ensure_kafka)" = started ] && echo "${KAFKA_CLUSTER:-1}" > "$run_dir/kafka.started-by-up"

say "migrating $DATABASE_URL"
npm run --silent db:migrate
node -r @swc-node/register infra/create-topics.ts

mapfile -t services < <(grep -Ev '^\s*(#|$)' infra/services.conf)
# The demo's affiliate server (demo-receiver) listens on loopback, which management and postback-dispatch
# refuse unless allowed: exactly its scheme, address and port are opened, no other service on this machine.
demo_receiver_port=$(awk '$1 == "demo-receiver" { print $2 }' infra/services.conf)
export DEMO_RECEIVER_URL="${DEMO_RECEIVER_URL:-http://127.0.0.1:${demo_receiver_port:-8086}}"
export POSTBACK_ALLOWED_TARGETS="${POSTBACK_ALLOWED_TARGETS:-$DEMO_RECEIVER_URL}"
if [ -f apps/management/src/seed.ts ]; then
  say "seeding the demo network"
  node -r @swc-node/register apps/management/src/seed.ts > "$run_dir/demo.env"
fi

if [ "${#services[@]}" -gt 0 ]; then
  say "building services"
  names=$(printf '%s\n' "${services[@]}" | awk '{print $1}' | paste -sd, -)
  npx nx run-many -t build --projects="$names" --outputStyle=static >/dev/null
fi

for line in "${services[@]}"; do
  read -r name port <<<"$line"
  pid_file="$run_dir/$name.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "$name already running (pid $(cat "$pid_file"))"
    continue
  fi
  say "starting $name on 127.0.0.1:$port"
  PORT="$port" setsid nohup node --enable-source-maps "dist/apps/$name/apps/$name/src/main.js" \
    >>"$log_dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$pid_file"
done

for line in "${services[@]}"; do
  read -r name port <<<"$line"
  deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      tail -n 20 "$log_dir/$name.log" >&2
      die "$name did not become ready; log: $log_dir/$name.log"
    fi
    sleep 0.5
  done
done

say "Tracklane is up"
for line in "${services[@]}"; do
  read -r name port <<<"$line"
  printf '  %-18s http://127.0.0.1:%s   (log %s)\n' "$name" "$port" "$log_dir/$name.log"
done
[ -s "$run_dir/demo.env" ] && { echo; cat "$run_dir/demo.env"; }
console_port=$(awk '$1 == "console" { print $2 }' infra/services.conf)
if [ -n "$console_port" ]; then
  echo
  echo "Operator console: http://127.0.0.1:$console_port  (sign in with DEMO_ADMIN_KEY, DEMO_ADVERTISER_KEY or DEMO_AFFILIATE_KEY)"
fi
echo
echo "Stop everything with: npm run down"
