#!/usr/bin/env bash
# Where the time goes on one path: Keycloak (production mode, H2) under wrk load with Java Flight Recorder on; after
# the warm-up, 30 s are recorded and the hottest methods printed (jfr view hot-methods).
#   bench/profile.sh delegate|check [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?delegate or check}
connections=${2:-16}
port=${BENCH_PORT:-8580}
source bench/lib.sh
require_wrk
install_keycloak bench
mkdir -p target
recording=$PWD/target/profile-$scenario.jfr
log=target/bench-profile-keycloak.log
build_keycloak "$log"
export JAVA_OPTS_APPEND="-XX:StartFlightRecording=filename=$recording,settings=profile,delay=75s,duration=30s"
start_keycloak "$port" "$log"
trap 'stop_keycloak $kc' EXIT
await_ready $((port + 1))
base=http://127.0.0.1:$port/realms/proxyme-demo
granted=$(curl -sf -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
  -d '{"username":"alice","agent_id":"demo-agent","scopes":["read"],"expires_in":86400}' "$base/proxyme/delegate")
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
script=$(mktemp)
if [ "$scenario" = delegate ]; then
  url=$base/proxyme/delegate
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Basic %s"\nwrk.body = %s\n' \
    "$(printf demo-agent:demo-agent-secret | base64 -w0)" "'{\"delegation_id\":\"$(echo "$granted" | json delegation_id)\"}'" > "$script"
else
  url=$base/proxyme/proxy/check
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["X-Proxyme-Portal"] = "demo-portal"\nwrk.headers["X-Proxyme-Portal-Secret"] = "demo-portal-secret"\nwrk.headers["X-Forwarded-Method"] = "GET"\nwrk.headers["X-Forwarded-Uri"] = "/reports"\n' \
    "$(echo "$granted" | json delegation_token)" > "$script"
fi
wrk -t2 -c"$connections" -d115s --latency -s "$script" "$url" | sed -n '/Latency Distribution/,/Requests\/sec/p'
for _ in $(seq 1 60); do [ -s "$recording" ] && break; sleep 1; done
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$recording" | head -40
