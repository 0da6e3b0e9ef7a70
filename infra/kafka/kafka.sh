#!/usr/bin/env bash
# Runs Apache Kafka (KRaft, each node broker + controller) from Maven Central
# jars with the machine's Java 17: one node by default, or a cluster of
# KAFKA_CLUSTER nodes on consecutive local ports. Idempotent: every command
# may be repeated.
#
#   kafka.sh provision        resolve the broker jars into the cache (once)
#   kafka.sh start            provision, format storage if new, start every node, wait until ready
#   kafka.sh stop             graceful stop (SIGTERM, then SIGKILL after a grace period)
#   kafka.sh kill             SIGKILL, for fault tests
#   kafka.sh status           exit 0 when the (first) broker answers
#   kafka.sh brokers          print the bootstrap list (host:port,…) for KAFKA_BROKERS
#   kafka.sh start-node N, stop-node N, kill-node N    one node of a cluster, for fault tests
#
# Environment (all optional):
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m; 256m per cluster node),
#   KAFKA_CLUSTER (1; 3 gives three nodes: node N's broker on KAFKA_PORT+2(N-1), its controller on the
#   port after, replication factor 3 and min.insync.replicas 2 by default),
#   TRACKLANE_CACHE_DIR (~/.cache/tracklane), TRACKLANE_STATE_DIR (~/.local/state/tracklane),
#   KAFKA_STATE_DIR (state dir; default $TRACKLANE_STATE_DIR/kafka-$KAFKA_PORT, a cluster's nodes in node-N below it),
#   KAFKA_START_TIMEOUT (60 seconds)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
base_port="${KAFKA_PORT:-9092}"
nodes="${KAFKA_CLUSTER:-1}"
[[ "$nodes" =~ ^[1-9]$ ]] || { echo "kafka: KAFKA_CLUSTER must be a number of nodes from 1 to 9" >&2; exit 2; }
if [ "$nodes" -gt 1 ]; then default_heap=256m; else default_heap=512m; fi
heap="${KAFKA_HEAP:-$default_heap}"
cache_dir="${TRACKLANE_CACHE_DIR:-$HOME/.cache/tracklane}"
lib_dir="$cache_dir/kafka-$kafka_version/lib"
cluster_dir="${KAFKA_STATE_DIR:-${TRACKLANE_STATE_DIR:-$HOME/.local/state/tracklane}/kafka-$base_port}"
start_timeout="${KAFKA_START_TIMEOUT:-60}"
# A cluster keeps two in-sync copies of every write; one node keeps one.
if [ "$nodes" -ge 3 ]; then replication=3; min_isr=2; else replication="$nodes"; min_isr=1; fi

broker_port() { echo $((base_port + 2 * ($1 - 1))); }
controller_port() {
  if [ "$nodes" -eq 1 ]; then echo "${KAFKA_CONTROLLER_PORT:-$((base_port + 1))}"; else echo $((base_port + 2 * ($1 - 1) + 1)); fi
}
# One node keeps its files in the state dir itself (as before clusters existed); cluster nodes in node-N.
node_dir() { if [ "$nodes" -eq 1 ]; then echo "$cluster_dir"; else echo "$cluster_dir/node-$1"; fi; }
# Selects node N: the variables the functions below work on.
use_node() {
  node="$1"; port="$(broker_port "$1")"; state_dir="$(node_dir "$1")"
  pid_file="$state_dir/kafka.pid"; log_file="$state_dir/kafka.log"
}
voters() {
  local list="" n
  for n in $(seq 1 "$nodes"); do list="$list${list:+,}$n@127.0.0.1:$(controller_port "$n")"; done
  echo "$list"
}
brokers() {
  local list="" n
  for n in $(seq 1 "$nodes"); do list="$list${list:+,}127.0.0.1:$(broker_port "$n")"; done
  echo "$list"
}

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
node.id=$node
controller.quorum.voters=$(voters)
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$(controller_port "$node")
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$state_dir/data
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=$replication
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
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

# Starts the selected node without waiting: a cluster's nodes wait for each other's votes.
launch() {
  if running_pid >/dev/null; then return 0; fi
  if port_open "$port"; then
    log "something already listens on 127.0.0.1:$port; using it as the broker"
    return 0
  fi
  write_config
  if [ ! -f "$state_dir/data/meta.properties" ]; then
    java_cmd kafka.tools.StorageTool format -t "$(cluster_id)" -c "$state_dir/server.properties" --ignore-formatted >/dev/null
  fi
  : > "$log_file"
  setsid nohup bash -c "$(declare -f java_cmd); java_exec=exec heap='$heap' here='$here' lib_dir='$lib_dir' java_cmd kafka.Kafka '$state_dir/server.properties'" \
    >>"$log_file" 2>&1 < /dev/null &
  echo $! > "$pid_file"
}

# Every node of a cluster is formatted with the same id, made once.
cluster_id() {
  local file="$cluster_dir/cluster.id"
  mkdir -p "$cluster_dir"
  [ -s "$file" ] || java_cmd kafka.tools.StorageTool random-uuid | tail -n 1 > "$file"
  cat "$file"
}

start_nodes() {
  provision
  local n
  for n in "$@"; do use_node "$n"; launch; done
  for n in "$@"; do
    use_node "$n"
    if port_open "$port" && ! running_pid >/dev/null; then continue; fi
    wait_ready || { log "node $n not ready within ${start_timeout}s; see $log_file"; tail -n 20 "$log_file" >&2; exit 1; }
    log "ready on 127.0.0.1:$port (node $n, pid $(cat "$pid_file"), log $log_file)"
  done
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

# SIGTERM to the given nodes at once, then up to 30 s for them to exit; SIGKILL (and wait for the exit, so
# the ports are free when this returns) for any still running. A cluster's nodes stop together: one by one,
# the last would wait out its controlled shutdown with no controller quorum left.
stop_nodes() {
  local n pid entry alive waiting=()
  for n in "$@"; do
    use_node "$n"
    if pid="$(running_pid)"; then kill -TERM "$pid"; waiting+=("$pid:$pid_file"); else rm -f "$pid_file"; fi
  done
  [ "${#waiting[@]}" -gt 0 ] || { log "not running"; return 0; }
  for _ in $(seq 1 150); do
    alive=0
    for entry in "${waiting[@]}"; do kill -0 "${entry%%:*}" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for entry in "${waiting[@]}"; do
    pid="${entry%%:*}"
    if kill -0 "$pid" 2>/dev/null; then
      log "node with pid $pid still running after 30s; killing"
      kill -KILL "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "${entry#*:}"
  done
  log "stopped"
}

hard_kill() {
  local pid
  pid="$(running_pid)" || return 0
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pid_file"
}

all_nodes() { seq 1 "$nodes"; }
one_node() {
  [[ "${1:-}" =~ ^[1-9]$ ]] && [ "$1" -le "$nodes" ] || { echo "kafka: name a node from 1 to $nodes" >&2; exit 2; }
  echo "$1"
}

case "${1:-}" in
  provision) provision ;;
  start) start_nodes $(all_nodes) ;;
  stop) stop_nodes $(all_nodes) ;;
  kill) for n in $(all_nodes); do use_node "$n"; hard_kill; done ;;
  status) use_node 1; running_pid >/dev/null || port_open "$port" ;;
  brokers) brokers ;;
  start-node) start_nodes "$(one_node "${2:-}")" ;;
  stop-node) stop_nodes "$(one_node "${2:-}")" ;;
  kill-node) use_node "$(one_node "${2:-}")"; hard_kill ;;
  *) echo "usage: $0 provision|start|stop|kill|status|brokers|start-node N|stop-node N|kill-node N" >&2; exit 2 ;;
esac
