#!/usr/bin/env bash
# Runs a single-node Apache Kafka (KRaft, broker + controller) from Maven
# Central jars with the machine's Java 17. Idempotent: every command may be
# repeated.
#
#   kafka.sh provision   resolve the broker jars into the cache (once)
#   kafka.sh start       provision, format storage if new, start, wait until ready
#   kafka.sh stop        graceful stop (SIGTERM, then SIGKILL after a grace period)
#   kafka.sh kill        SIGKILL, for fault tests
#   kafka.sh status      exit 0 when the broker answers
#
# Environment (all optional):
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m),
#   TRACKLANE_CACHE_DIR (~/.cache/tracklane), TRACKLANE_STATE_DIR (~/.local/state/tracklane),
#   KAFKA_STATE_DIR (state dir of this broker; default $TRACKLANE_STATE_DIR/kafka-$KAFKA_PORT),
#   KAFKA_START_TIMEOUT (60 seconds)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
heap="${KAFKA_HEAP:-512m}"
cache_dir="${TRACKLANE_CACHE_DIR:-$HOME/.cache/tracklane}"
lib_dir="$cache_dir/kafka-$kafka_version/lib"
state_dir="${KAFKA_STATE_DIR:-${TRACKLANE_STATE_DIR:-$HOME/.local/state/tracklane}/kafka-$port}"
pid_file="$state_dir/kafka.pid"
log_file="$state_dir/kafka.log"
start_timeout="${KAFKA_START_TIMEOUT:-60}"

log() { echo "kafka: $*" >&2; }

provision() {
  [ -f "$lib_dir/.complete" ] && return 0
  command -v java >/dev/null || { log "java (17+) is required"; exit 1; }
  command -v mvn >/dev/null || { log "maven is required to fetch the broker jars"; exit 1; }
  log "resolving Apache Kafka $kafka_version from Maven Central into $lib_dir"
  local tmp="$lib_dir.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  mvn -q -B -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp"
  rm -rf "$lib_dir" && mv "$tmp" "$lib_dir" && touch "$lib_dir/.complete"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid; pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

write_config() {
  mkdir -p "$state_dir/data"
  cat > "$state_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$state_dir/data
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=1048577
log.retention.hours=168
delete.topic.enable=true
PROPS
}

# With java_exec=exec the calling shell becomes the JVM, so the pid that start
# records is the broker's own and stop/kill signal the broker, not a wrapper.
java_cmd() {
  ${java_exec:-} java -Xms128m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$here/log4j2.xml" \
    -cp "$lib_dir/*" "$@"
}

start() {
  if running_pid >/dev/null; then
    wait_ready && { log "already running on 127.0.0.1:$port"; return 0; }
  elif port_open "$port"; then
    log "something already listens on 127.0.0.1:$port; using it as the broker"
    return 0
  fi
  provision
  write_config
  if [ ! -f "$state_dir/data/meta.properties" ]; then
    local cluster_id; cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n 1)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$state_dir/server.properties" --ignore-formatted >/dev/null
  fi
  : > "$log_file"
  setsid nohup bash -c "$(declare -f java_cmd); java_exec=exec heap='$heap' here='$here' lib_dir='$lib_dir' java_cmd kafka.Kafka '$state_dir/server.properties'" \
    >>"$log_file" 2>&1 < /dev/null &
  echo $! > "$pid_file"
  wait_ready || { log "not ready within ${start_timeout}s; see $log_file"; tail -n 20 "$log_file" >&2; exit 1; }
  log "ready on 127.0.0.1:$port (pid $(cat "$pid_file"), log $log_file)"
}

wait_ready() {
  local deadline=$((SECONDS + start_timeout))
  while [ $SECONDS -lt $deadline ]; do
    if port_open "$port" && grep -q "Kafka Server started\|Transition from STARTING to STARTED" "$log_file" 2>/dev/null; then
      return 0
    fi
    running_pid >/dev/null || return 1
    sleep 0.3
  done
  return 1
}

stop() {
  local pid
  pid="$(running_pid)" || { log "not running"; rm -f "$pid_file"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && { log "still running after 30s; killing"; kill -KILL "$pid"; }
  rm -f "$pid_file"
  log "stopped"
}

hard_kill() {
  local pid
  pid="$(running_pid)" || return 0
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pid_file"
}

case "${1:-}" in
  provision) provision ;;
  start) start ;;
  stop) stop ;;
  kill) hard_kill ;;
  status) running_pid >/dev/null || port_open "$port" ;;
  *) echo "usage: $0 provision|start|stop|kill|status" >&2; exit 2 ;;
esac
