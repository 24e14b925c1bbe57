#!/usr/bin/env bash
# Issue 22's cost of metrics: the proxy check straight at Keycloak (as nginx calls it, activity log on), wrk on loopback,
# 16 connections, same install and demo realm. MODE=keycloak (the default): Keycloak built without metrics, then with
# --metrics-enabled=true (Keycloak's own meters and Proxyme's). MODE=proxyme: Keycloak's metrics on throughout, Proxyme's
# meters off then on (SPI option metrics), one restart per run, alternating, so that drift hits both alike.
# The ratio is with/without; Proxyme's target is at most 2 % less.
#   [MODE=proxyme] bench/metrics.sh [seconds per run, default 15] [repetitions, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
reps=${2:-3}
warmup=${WARMUP:-60}
port=${BENCH_PORT:-8480}
source bench/lib.sh
require_wrk
install_keycloak bench-metrics
log=target/bench-metrics-keycloak.log
work=$(mktemp -d)
kc=
trap 'if [ -n "$kc" ]; then stop_keycloak $kc; fi' EXIT

check_script() {
  token=$(curl -sf -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
    -d '{"username":"alice","agent_id":"demo-agent","scopes":["read"],"expires_in":86400}' \
    "http://127.0.0.1:$port/realms/proxyme-demo/proxyme/delegate" | python3 -c 'import json,sys; print(json.load(sys.stdin)["delegation_token"])')
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["X-Proxyme-Portal"] = "demo-portal"\nwrk.headers["X-Proxyme-Portal-Secret"] = "demo-portal-secret"\nwrk.headers["X-Forwarded-Method"] = "GET"\nwrk.headers["X-Forwarded-Uri"] = "/reports"\nwrk.headers["X-Forwarded-Host"] = "portal.example"\n' \
    "$token" > "$work/check.lua"
}
run() { # -> "rps p99_ms non2xx"
  out=$(wrk -t2 -c16 -d"$1s" --latency -s "$work/check.lua" "http://127.0.0.1:$port/realms/proxyme-demo/proxyme/proxy/check")
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $p99 $(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)"
}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); Keycloak $version production mode, H2; heap ${JAVA_OPTS_KC_HEAP:-Keycloak default}; wrk -t2 -c16, ${duration}s per run, warm-up ${warmup}s; mode ${MODE:-keycloak} (false/true: $([ "${MODE:-keycloak}" = proxyme ] && echo "Proxyme's meters, Keycloak's metrics on" || echo "Keycloak's metrics"))"
printf '%-22s %10s %9s %s\n' scenario req/s p99_ms non-2xx
results=$(mktemp)
measure() { # label rep [start options...]: one server start, a warm-up, one measured run
  local label=$1 rep=$2; shift 2
  start_keycloak "$port" "$log" "$@"
  await_ready $((port + 1))
  check_script
  run "$warmup" > /dev/null
  check_script
  printf '%-22s %10s %9s %s\n' "$label #$rep" $(run "$duration") | tee -a "$results"
  if [ "$label" = "metrics true" ] && [ "$rep" = "$reps" ]; then
    curl -sf "http://127.0.0.1:$((port + 1))/metrics" | grep '^proxyme_' | sed 's/^/  /'
  fi
  stop_keycloak $kc
  kc=
}
if [ "${MODE:-keycloak}" = proxyme ]; then
  "$home/bin/kc.sh" build --db="${DB:-dev-file}" --health-enabled=true --metrics-enabled=true > "$log" 2>&1
  for rep in $(seq 1 "$reps"); do
    for metrics in false true; do
      measure "metrics $metrics" "$rep" --spi-realm-restapi-extension--proxyme--metrics=$metrics
    done
  done
else
  for metrics in false true; do
    "$home/bin/kc.sh" build --db="${DB:-dev-file}" --health-enabled=true --metrics-enabled=$metrics > "$log" 2>&1
    for rep in $(seq 1 "$reps"); do
      measure "metrics $metrics" "$rep"
    done
  done
fi
awk '{rps[$2, $3] = $4} END {for (r = 1; r <= 3; r++) if (rps["true", "#" r] != "")
       printf "rep %d: with/without metrics req/s %.3f\n", r, rps["true", "#" r] / rps["false", "#" r]}' "$results"
rm -f "$results"
