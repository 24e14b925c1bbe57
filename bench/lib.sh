# Shared by the bench scripts: a Keycloak install of its own for a benchmark, with Proxyme and the demo realm.
# Usage: source bench/lib.sh; install_keycloak <name>  -> sets $home to .proxyme/<name>/keycloak-<version>, fresh data.
set -euo pipefail
JAVA_HOME=$(bin/find-jdk); export JAVA_HOME
version=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)

install_keycloak() {
  home=.proxyme/$1/keycloak-$version
  mvn -B -q -DskipTests package
  if [ ! -x "$home/bin/kc.sh" ]; then
    mkdir -p ".proxyme/$1"
    mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory=".proxyme/$1"
    (cd ".proxyme/$1" && "$JAVA_HOME/bin/jar" xf "keycloak-quarkus-dist-$version.zip" && rm "keycloak-quarkus-dist-$version.zip")
    chmod +x "$home"/bin/*.sh
  fi
  rm -rf "$home/data"; mkdir -p "$home/data/import"
  cp target/proxyme-keycloak.jar "$home/providers/"
  cp realm-export/proxyme-demo-realm.json "$home/data/import/"
}

# Builds the install for production mode: DB=dev-file (embedded H2, the default) or DB=postgres; output to the log.
build_keycloak() {
  "$home/bin/kc.sh" build --db="${DB:-dev-file}" --health-enabled=true > "$1" 2>&1
}

# Options every benchmark server gets: the rate limit on tokens per delegation is a policy, not the mint path's cost,
# and would stop a load test at 120 tokens a minute.
BENCH_OPTIONS=(--spi-realm-restapi-extension--proxyme--max-tokens-per-delegation-per-minute=1000000000)

# A PostgreSQL server of the benchmark's own (Debian's binaries, as the postgres user) on <port>, database keycloak;
# sets $pg_data. Usage: start_postgres <port>; stop_postgres
start_postgres() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_port=$1 pg_bin=$bin
  pg_data=$(mktemp -d /tmp/proxyme-bench-pg-XXXXXX); chown postgres "$pg_data"
  runuser -u postgres -- "$bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 > /dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start > /dev/null
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres keycloak
  PG_OPTIONS=(--db-url="jdbc:postgresql://127.0.0.1:$pg_port/keycloak" --db-username=postgres --db-password=postgres)
}
stop_postgres() {
  [ -n "${pg_data:-}" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop > /dev/null 2>&1 || true
}

# The size of the realm's database, in bytes: the H2 file, or PostgreSQL's database after a checkpoint.
database_bytes() {
  if [ "${DB:-dev-file}" = postgres ]; then
    runuser -u postgres -- "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d keycloak -tAc "checkpoint; select pg_database_size('keycloak')" | tail -1
  else
    du -b "$home"/data/h2/*.mv.db | awk '{s += $1} END {print s}'
  fi
}

# Starts the built Keycloak in the background on 127.0.0.1:<port> (management on <port>+1), with any extra options;
# sets $kc to its pid. The caller sets its EXIT trap (stop_keycloak "$kc"), then waits with await_ready.
# Usage: start_keycloak <port> <log> [option ...]
start_keycloak() {
  local port=$1 log=$2
  shift 2
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  "$home/bin/kc.sh" start --optimized --http-enabled=true --hostname-strict=false --http-host=127.0.0.1 \
    --http-port="$port" --http-management-port=$((port + 1)) --import-realm --log-level=WARN "${BENCH_OPTIONS[@]}" \
    ${PG_OPTIONS[@]+"${PG_OPTIONS[@]}"} "$@" >> "$log" 2>&1 &
  kc=$!
}

require_wrk() {
  command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
}

# Waits for Keycloak's management interface to report ready.
await_ready() {
  for _ in $(seq 1 240); do curl -sf -o /dev/null "http://127.0.0.1:$1/health/ready" && return; sleep 1; done
  echo "Keycloak was not ready on management port $1" >&2; exit 1
}

# Stops a Keycloak started in the background: kc.sh runs the JVM as its child, so stop the child as well.
stop_keycloak() {
  pkill -TERM -P "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
