#!/usr/bin/env bash
# Minting and checking at Keycloak's own speed (issue 12's pairs), each side of a pair in the same server, one after
# the other, three repetitions after a warm-up:
#   renew_spread   an agent's renewals (delegate with delegation_id) spread over 100 delegations of 100 users, RS256
#   renew_hot      the same agent renewing one delegation
#   renew_es256    an ES256 agent's renewals spread over its 100 delegations (the realm has an ecdsa-generated key)
#   client_credentials   Keycloak's own grant for the same RS256 agent: the reference of the three above
#   introspect_delegation / introspect_native   standard introspection by the portal of a delegation token and of a
#                  client_credentials token with the portal in its audience
#   validate_delegation   the first service's validation
# and database growth: the database's size before and after each renewal and client_credentials run (events on, as the
# demo realm has them), per token issued. Keycloak runs in production mode (kc.sh start) on H2 (default) or
# PostgreSQL (DB=postgres, a server of the benchmark's own); wrk (Debian) drives it on loopback.
#   bench/core.sh [seconds per run, default 15] [connection counts, default "8 16"]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connection_counts=${2:-8 16}
warmup=${WARMUP:-90}
port=${BENCH_PORT:-8180}
source bench/lib.sh
require_wrk
install_keycloak bench
log=target/bench-keycloak.log
build_keycloak "$log"
if [ "${DB:-dev-file}" = postgres ]; then
  start_postgres $((port + 5))
fi
start_keycloak "$port" "$log"
trap 'stop_keycloak $kc; stop_postgres' EXIT
await_ready $((port + 1))

base=http://127.0.0.1:$port/realms/proxyme-demo
token_url=$base/protocol/openid-connect/token
json() { python3 -c "import json,sys; v = json.load(sys.stdin)$1; print(v if isinstance(v, str) else json.dumps(v))"; }
setup=$(python3 bench/setup.py "http://127.0.0.1:$port" 100)
basic() { printf 'Basic %s' "$(printf '%s' "$1" | base64 -w0)"; }
scripts=$(mktemp -d)

# A POST of a fixed body, or (with a list of delegation ids) of a body naming a random one of them per request.
lua() { # name content-type auth body [ids-json]
  {
    echo "wrk.method = \"POST\""
    echo "wrk.headers[\"Content-Type\"] = \"$2\""
    echo "wrk.headers[\"Authorization\"] = \"$3\""
    if [ -n "${5:-}" ]; then
      echo "local ids = {$(echo "$5" | python3 -c 'import json,sys; print(",".join(json.dumps(i) for i in json.load(sys.stdin)))')}"
      echo "function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end"
      echo "function request() return wrk.format(nil, nil, nil, '{\"delegation_id\":\"' .. ids[math.random(#ids)] .. '\"}') end"
    else
      echo "wrk.body = '$4'"
    fi
  } > "$scripts/$1.lua"
}
rs256_ids=$(echo "$setup" | json '["rs256_delegations"]')
es256_ids=$(echo "$setup" | json '["es256_delegations"]')
es256_auth=$(basic "$(echo "$setup" | json '["es256_agent"]'):$(echo "$setup" | json '["es256_secret"]')")
hot_id=$(echo "$rs256_ids" | json '[0]')
agent_auth=$(basic demo-agent:demo-agent-secret)
lua renew_spread application/json "$agent_auth" "" "$rs256_ids"
lua renew_hot application/json "$agent_auth" "{\"delegation_id\":\"$hot_id\"}"
lua renew_es256 application/json "$es256_auth" "" "$es256_ids"
lua client_credentials application/x-www-form-urlencoded "$agent_auth" "grant_type=client_credentials"

# Tokens live 300 s, shorter than a whole run: fresh ones before the warm-up and before every repetition, or later
# runs would measure the refusal of expired tokens.
fresh_tokens() {
  delegation_token=$(curl -sf -u demo-agent:demo-agent-secret -H 'Content-Type: application/json' \
    -d "{\"delegation_id\":\"$hot_id\"}" "$base/proxyme/delegate" | json '["delegation_token"]')
  native_token=$(curl -sf -u demo-backend:demo-backend-secret -d grant_type=client_credentials "$token_url" | json '["access_token"]')
  for token in "$delegation_token" "$native_token"; do
    curl -sf -u demo-portal:demo-portal-secret -d "token=$token" "$token_url/introspect" | grep -q '"active":true' \
      || { echo "a benchmark token does not introspect active" >&2; exit 1; }
  done
  lua introspect_delegation application/x-www-form-urlencoded "$(basic demo-portal:demo-portal-secret)" "token=$delegation_token"
  lua introspect_native application/x-www-form-urlencoded "$(basic demo-portal:demo-portal-secret)" "token=$native_token"
  lua validate_delegation application/json "$(basic demo-portal:demo-portal-secret)" "{\"delegation_token\":\"$delegation_token\"}"
}
fresh_tokens

declare -A url=([renew_spread]=$base/proxyme/delegate [renew_hot]=$base/proxyme/delegate [renew_es256]=$base/proxyme/delegate
                [client_credentials]=$token_url [introspect_delegation]=$token_url/introspect
                [introspect_native]=$token_url/introspect [validate_delegation]=$base/proxyme/validate_delegation)
scenarios="renew_spread client_credentials renew_hot renew_es256 introspect_delegation introspect_native validate_delegation"

ms() { awk -v q="$1" '$1==q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
run() { # scenario seconds connections -> "rps p50_ms p99_ms requests non2xx"
  out=$(wrk -t2 -c"$3" -d"$2s" --latency -s "$scripts/$1.lua" "${url[$1]}")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF} /Socket errors/ {print "socket-errors"}' | tr '\n' ' ')
  echo "$rps $(echo "$out" | ms 50%) $(echo "$out" | ms 99%) $requests ${errors:-0}"
}

echo "warm-up ${warmup}s ..." >&2
for scenario in $scenarios; do run "$scenario" $((warmup / 7)) 16 > /dev/null; done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); Keycloak $version production mode, ${DB:-dev-file}; wrk -t2, ${duration}s per run"
printf '%-28s %10s %9s %9s %9s %s\n' scenario req/s p50_ms p99_ms bytes/tok non-2xx
results=$(mktemp)
for connections in $connection_counts; do
  for rep in 1 2 3; do
    fresh_tokens
    for scenario in $scenarios; do
      before=$(database_bytes)
      read -r rps p50 p99 requests errors <<< "$(run "$scenario" "$duration" "$connections")"
      grown=$(( $(database_bytes) - before ))
      per_token=$([ "$scenario" = "${scenario#introspect}" ] && [ "$scenario" != validate_delegation ] \
        && awk -v g="$grown" -v n="$requests" 'BEGIN {printf "%.0f", g / n}' || echo -)
      printf '%-28s %10s %9s %9s %9s %s\n' "$scenario c$connections #$rep" "$rps" "$p50" "$p99" "$per_token" "$errors" | tee -a "$results"
      echo "$scenario $connections $rep $rps $p99 $grown $requests" >> "$results.raw"
    done
  done
done
# Ratios of each pair, per repetition (both sides measured in the same run, one after the other).
awk '{rps[$1, $2, $3] = $4; p99[$1, $2, $3] = $5; grown[$1] += $6; tokens[$1] += $7; cs[$2] = 1}
     END {for (c in cs) for (r = 1; r <= 3; r++)
            printf "c%s rep %d: spread/cc %.2f  hot/cc %.2f (p99 %s vs %s ms)  es256/cc %.2f  introspect delegation/native %.2f  validate/introspect %.2f\n",
              c, r, rps["renew_spread", c, r] / rps["client_credentials", c, r], rps["renew_hot", c, r] / rps["client_credentials", c, r],
              p99["renew_hot", c, r], p99["client_credentials", c, r], rps["renew_es256", c, r] / rps["client_credentials", c, r],
              rps["introspect_delegation", c, r] / rps["introspect_native", c, r], rps["validate_delegation", c, r] / rps["introspect_native", c, r]
          renewals = tokens["renew_spread"] + tokens["renew_hot"] + tokens["renew_es256"]
          grown_renewals = grown["renew_spread"] + grown["renew_hot"] + grown["renew_es256"]
          printf "database growth: renewals %.0f bytes/token (%d tokens), client_credentials %.0f bytes/token (%d tokens), ratio %.2f\n",
            grown_renewals / renewals, renewals, grown["client_credentials"] / tokens["client_credentials"], tokens["client_credentials"],
            (grown_renewals / renewals) / (grown["client_credentials"] / tokens["client_credentials"])}' "$results.raw"
rm -f "$results" "$results.raw"
