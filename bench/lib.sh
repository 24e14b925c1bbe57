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

# Builds the install for production mode on its embedded (dev-file H2) database; the build's output goes to the log.
build_keycloak() {
  "$home/bin/kc.sh" build --db=dev-file --health-enabled=true > "$1" 2>&1
}

# Starts the built Keycloak in the background on 127.0.0.1:<port> (management on <port>+1), with any extra options;
# sets $kc to its pid. The caller sets its EXIT trap (stop_keycloak "$kc"), then waits with await_ready.
# Usage: start_keycloak <port> <log> [option ...]
start_keycloak() {
  local port=$1 log=$2
  shift 2
  "$home/bin/kc.sh" start --optimized --http-enabled=true --hostname-strict=false --http-host=127.0.0.1 \
    --http-port="$port" --http-management-port=$((port + 1)) --import-realm --log-level=WARN "$@" >> "$log" 2>&1 &
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
