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
