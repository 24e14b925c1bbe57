#!/usr/bin/env bash
# Proxyme's delegate (an agent renewing under an active delegation) against Keycloak's own client_credentials grant,
# standard introspection of a delegation token against a client_credentials token, and validate_delegation (the
# first service's validation) against standard introspection.
# Keycloak runs in production mode (kc.sh start) on H2, wrk (Debian) drives it on loopback. Both sides of each
# pair run in the same server, alternating, after a warm-up; compare ratios, not absolute numbers.
#   bench/core.sh [seconds per run, default 20] [connections, default 4]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
connections=${2:-4}
warmup=${WARMUP:-90}
port=${BENCH_PORT:-8180}
source bench/lib.sh
require_wrk
install_keycloak bench

log=target/bench-keycloak.log
build_keycloak "$log"
start_keycloak "$port" "$log"
trap 'stop_keycloak $kc' EXIT
await_ready $((port + 1))

base=http://127.0.0.1:$port/realms/proxyme-demo
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
granted=$(curl -sf -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
  -d '{"username":"alice","agent_id":"demo-agent","scopes":["read"],"expires_in":86400}' "$base/proxyme/delegate")
delegation_id=$(echo "$granted" | json delegation_id)
delegation_token=$(echo "$granted" | json delegation_token)

# A client_credentials token the portal may introspect: an audience mapper puts demo-portal in its aud
# (Keycloak answers introspection only to a client in the token's audience).
admin_token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=realm-admin -d password=realm-admin \
  "$base/protocol/openid-connect/token" | json access_token)
backend_uuid=$(curl -sf -H "Authorization: Bearer $admin_token" \
  "http://127.0.0.1:$port/admin/realms/proxyme-demo/clients?clientId=demo-backend" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
curl -sf -o /dev/null -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d '{"name":"bench audience","protocol":"openid-connect","protocolMapper":"oidc-audience-mapper","config":{"included.client.audience":"demo-portal","access.token.claim":"true","introspection.token.claim":"true"}}' \
  "http://127.0.0.1:$port/admin/realms/proxyme-demo/clients/$backend_uuid/protocol-mappers/models"
native_token=$(curl -sf -u demo-backend:demo-backend-secret -d grant_type=client_credentials \
  "$base/protocol/openid-connect/token" | json access_token)
for token in "$delegation_token" "$native_token"; do
  curl -sf -u demo-portal:demo-portal-secret -d "token=$token" "$base/protocol/openid-connect/token/introspect" | grep -q '"active":true' \
    || { echo "a benchmark token does not introspect active" >&2; exit 1; }
done

scripts=$(mktemp -d)
basic() { printf 'Basic %s' "$(printf '%s' "$1" | base64 -w0)"; }
lua() { # name method content-type auth body
  cat > "$scripts/$1.lua" <<LUA
wrk.method = "$2"
wrk.headers["Content-Type"] = "$3"
wrk.headers["Authorization"] = "$4"
wrk.body = '$5'
LUA
}
lua delegate POST application/json "$(basic demo-agent:demo-agent-secret)" "{\"delegation_id\":\"$delegation_id\"}"
lua client_credentials POST application/x-www-form-urlencoded "$(basic demo-agent:demo-agent-secret)" "grant_type=client_credentials"
# Tokens live 300 s, shorter than a whole run: mint fresh ones before the warm-up and before every repetition, or
# later runs would measure the refusal of expired tokens.
fresh_tokens() {
  delegation_token=$(curl -sf -u demo-agent:demo-agent-secret -H 'Content-Type: application/json' \
    -d "{\"delegation_id\":\"$delegation_id\"}" "$base/proxyme/delegate" | json delegation_token)
  native_token=$(curl -sf -u demo-backend:demo-backend-secret -d grant_type=client_credentials \
    "$base/protocol/openid-connect/token" | json access_token)
  lua introspect_delegation POST application/x-www-form-urlencoded "$(basic demo-portal:demo-portal-secret)" "token=$delegation_token"
  lua introspect_native POST application/x-www-form-urlencoded "$(basic demo-portal:demo-portal-secret)" "token=$native_token"
  lua validate_delegation POST application/json "$(basic demo-portal:demo-portal-secret)" "{\"delegation_token\":\"$delegation_token\"}"
}
fresh_tokens

token_url=$base/protocol/openid-connect/token
declare -A url=([delegate]=$base/proxyme/delegate [client_credentials]=$token_url
                [introspect_delegation]=$token_url/introspect [introspect_native]=$token_url/introspect
                [validate_delegation]=$base/proxyme/validate_delegation)
scenarios="delegate client_credentials introspect_delegation introspect_native validate_delegation"

ms() { awk -v q="$1" '$1==q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
run() { # scenario seconds -> "rps p50_ms p99_ms errors"
  out=$(wrk -t2 -c"$connections" -d"$2s" --latency -s "$scripts/$1.lua" "${url[$1]}")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF} /Socket errors/ {print "socket-errors"}' | tr '\n' ' ')
  echo "$rps $(echo "$out" | ms 50%) $(echo "$out" | ms 99%) ${errors:-0}"
}

echo "warm-up ${warmup}s ..." >&2
for scenario in $scenarios; do run "$scenario" $((warmup / 5)) > /dev/null; done
fresh_tokens

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); Keycloak $version production mode, H2; wrk -t2 -c$connections, ${duration}s per run"
printf '%-24s %10s %9s %9s %s\n' scenario req/s p50_ms p99_ms non-2xx
results=$(mktemp)
for rep in 1 2 3; do
  fresh_tokens
  for scenario in $scenarios; do
    result=$(run "$scenario" "$duration")
    printf '%-24s %10s %9s %9s %s\n' "$scenario#$rep" $result | tee -a "$results"
  done
done
# Ratios of each pair, per repetition (both sides measured in the same run, one after the other).
awk '{split($1, s, "#"); rps[s[1], s[2]] = $2}
     END {for (r = 1; r <= 3; r++) printf "rep %d: delegate/client_credentials %.2f  introspect delegation/native %.2f  validate/introspect %.2f\n", r,
            rps["delegate", r] / rps["client_credentials", r], rps["introspect_delegation", r] / rps["introspect_native", r],
            rps["validate_delegation", r] / rps["introspect_native", r]}' "$results"
