#!/usr/bin/env bash
# Revoke -> first refused introspection, distribution over many revocations (default 1,000), after a warm-up.
#   bench/revocation.sh [rounds, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1000}
port=${BENCH_PORT:-8480}
source bench/lib.sh
install_keycloak bench
log=target/bench-revocation-keycloak.log
build_keycloak "$log"
start_keycloak "$port" "$log"
trap 'stop_keycloak $kc' EXIT
await_ready $((port + 1))
python3 bench/revocation.py "http://127.0.0.1:$port/realms/proxyme-demo" 300 > /dev/null   # warm-up
python3 bench/revocation.py "http://127.0.0.1:$port/realms/proxyme-demo" "$rounds"
