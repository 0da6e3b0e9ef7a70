# Shared by up.sh, down.sh and test.sh. Every function is idempotent.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# KAFKA_CLUSTER=3: a local three-node cluster (infra/kafka/kafka.sh) instead of one broker, and topics
# with three replicas of which two must have a write before it is acknowledged.
if [ "${KAFKA_CLUSTER:-1}" -gt 1 ]; then
  export KAFKA_CLUSTER
  export KAFKA_BROKERS="${KAFKA_BROKERS:-$(bash "$root/infra/kafka/kafka.sh" brokers)}"
  if [ "$KAFKA_CLUSTER" -ge 3 ]; then replicas=3 in_sync=2; else replicas="$KAFKA_CLUSTER" in_sync=1; fi
  export KAFKA_REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-$replicas}" KAFKA_MIN_INSYNC_REPLICAS="${KAFKA_MIN_INSYNC_REPLICAS:-$in_sync}"
fi
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/tracklane}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export TRACKLANE_STATE_DIR="${TRACKLANE_STATE_DIR:-$HOME/.local/state/tracklane}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

host_of() { local hp="${1#*://}"; hp="${hp#*@}"; hp="${hp%%/*}"; echo "${hp%%:*}"; }
port_of() { local hp="${1#*://}"; hp="${hp#*@}"; hp="${hp%%/*}"; [[ "$hp" == *:* ]] && echo "${hp##*:}" || echo "$2"; }
is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost ]]; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

apt_install() {
  command -v apt-get >/dev/null || die "cannot install $*: no apt-get on this machine"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing $* from Debian's packages"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# node_modules matching package-lock.json, and the generated Prisma client.
ensure_node_modules() {
  local stamp="node_modules/.tracklane-lock.sha"
  local want; want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
  # The project's own Node 24 (the `node` package) first, also when a script is run without npm.
  case ":$PATH:" in *":$root/node_modules/.bin:"*) ;; *) export PATH="$root/node_modules/.bin:$PATH" ;; esac
  [[ "$(node --version)" == v24.* ]] || die "node_modules/.bin/node is not Node 24 ($(node --version)); run npm ci"
  npm run --silent db:generate >/dev/null 2>&1 || npm run db:generate
}

ensure_postgres() {
  local host port; host="$(host_of "$DATABASE_URL")"; port="$(port_of "$DATABASE_URL" 5432)"
  port_open "$host" "$port" && return 0
  is_local "$host" || die "PostgreSQL at $host:$port does not answer (DATABASE_URL)"
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  for _ in $(seq 1 60); do port_open "$host" "$port" && return 0; sleep 0.5; done
  die "PostgreSQL did not start on $host:$port"
}

ensure_redis() {
  local host port; host="$(host_of "$REDIS_URL")"; port="$(port_of "$REDIS_URL" 6379)"
  port_open "$host" "$port" && return 0
  is_local "$host" || die "Redis at $host:$port does not answer (REDIS_URL)"
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "${TMPDIR:-/tmp}" --logfile "$TRACKLANE_STATE_DIR/redis.log"
  for _ in $(seq 1 40); do port_open "$host" "$port" && return 0; sleep 0.25; done
  die "Redis did not start on $host:$port"
}

# A real DNS server for the DNS-rebinding test of outbound postbacks (libs/dispatch).
ensure_dnsmasq() {
  command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || apt_install dnsmasq-base
}

# The offline GeoIP country database click-ingest reads (CLICK_GEOIP_DIR), and geoiplookup, against which
# its reader is checked (apps/click-ingest/test/country-database.int.spec.ts).
ensure_geoip() {
  [ -f /usr/share/GeoIP/GeoIP.dat ] && [ -f /usr/share/GeoIP/GeoIPv6.dat ] && command -v geoiplookup >/dev/null && return 0
  apt_install geoip-database geoip-bin
}

# Headless Chromium for the console's browser tests: Debian's package (browser downloads are not possible
# here); CHROMIUM_PATH names another one.
ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_install chromium
}

# PgBouncer for the test of transaction pooling (e2e/test/pgbouncer.int.spec.ts), which starts one of its own.
# The package starts a daemon of its own on port 6432 (systemd, or its init script): stopped and disabled.
ensure_pgbouncer() {
  [ -x "${PGBOUNCER_PATH:-/usr/sbin/pgbouncer}" ] && return 0
  apt_install pgbouncer
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now pgbouncer.service pgbouncer.socket >/dev/null 2>&1 || true
  else
    $sudo /etc/init.d/pgbouncer stop >/dev/null 2>&1 || true
    $sudo update-rc.d pgbouncer disable >/dev/null 2>&1 || true
  fi
}

# Starts the local broker unless KAFKA_BROKERS names one that already answers.
# Prints "started" when this call started it (so the caller may stop it again).
ensure_kafka() {
  local first="${KAFKA_BROKERS%%,*}" host port
  host="${first%%:*}"; port="${first##*:}"
  if port_open "$host" "$port"; then return 0; fi
  is_local "$host" || die "Kafka at $first does not answer (KAFKA_BROKERS)"
  # Only the verdict goes to stdout: callers capture it, and Maven or apt may print there too.
  {
    command -v java >/dev/null || apt_install openjdk-17-jre-headless
    command -v mvn >/dev/null || apt_install maven
    KAFKA_PORT="$port" bash infra/kafka/kafka.sh start
  } >&2
  echo started
}

stop_kafka() {
  local first="${KAFKA_BROKERS%%,*}"
  KAFKA_PORT="${first##*:}" bash infra/kafka/kafka.sh stop
}
