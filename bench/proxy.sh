#!/usr/bin/env bash
# Issue 5's measurement: a request through nginx with Proxyme's check (the shipped proxy/nginx.conf) against nginx
# straight to the same portal, in one run, wrk on loopback. The portal is an nginx server answering a small JSON
# body, so the difference is the check. Issue 14's: the check with the activity log on (the default) against the
# check with it off (realm attribute proxyme.activity=false), one after the other. Keycloak runs in production mode on H2.
#   bench/proxy.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
warmup=${WARMUP:-90}
port=${BENCH_PORT:-8380}
source bench/lib.sh
require_wrk
install_keycloak bench
log=target/bench-proxy-keycloak.log
build_keycloak "$log"
start_keycloak "$port" "$log"
work=$(mktemp -d)
trap 'stop_keycloak $kc; [ -f "$work/checked/nginx.pid" ] && kill "$(cat "$work/checked/nginx.pid")"; [ -f "$work/plain/nginx.pid" ] && kill "$(cat "$work/plain/nginx.pid")"; true' EXIT
await_ready $((port + 1))

portal_port=$((port + 2)) direct_port=$((port + 3)) checked_port=$((port + 4))
mkdir -p "$work/plain" "$work/checked"
cat > "$work/plain/nginx.conf" <<CONF
worker_processes 1;
error_log $work/plain/error.log warn;
pid $work/plain/nginx.pid;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $work/plain/t1; proxy_temp_path $work/plain/t2; fastcgi_temp_path $work/plain/t3;
  uwsgi_temp_path $work/plain/t4; scgi_temp_path $work/plain/t5;
  upstream portal { server 127.0.0.1:$portal_port; keepalive 16; }
  server { listen 127.0.0.1:$portal_port; default_type application/json; location / { return 200 '{"portal":"ok"}'; } }
  server { listen 127.0.0.1:$direct_port;
           location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://portal; } }
}
CONF
sed -e "s|\${LISTEN}|127.0.0.1:$checked_port|" -e "s|\${KEYCLOAK}|127.0.0.1:$port|g" -e "s|\${PORTAL}|127.0.0.1:$portal_port|" \
    -e "s|\${REALM}|proxyme-demo|g" -e "s|\${PORTAL_CLIENT_ID}|demo-portal|g" -e "s|\${PORTAL_SECRET}|demo-portal-secret|g" \
    -e "s|\${PREFIX}|$work/checked|g" \
    proxy/nginx.conf > "$work/checked/nginx.conf"
nginx -p "$work/plain" -c "$work/plain/nginx.conf"
nginx -p "$work/checked" -c "$work/checked/nginx.conf"

token=$(curl -sf -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
  -d '{"username":"alice","agent_id":"demo-agent","scopes":["read"],"expires_in":86400}' \
  "http://127.0.0.1:$port/realms/proxyme-demo/proxyme/delegate" | python3 -c 'import json,sys; print(json.load(sys.stdin)["delegation_token"])')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$checked_port/reports")" = 200 ] \
  || { echo "the checked path does not answer 200" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$checked_port/reports")" = 401 ] || { echo "no token must be 401" >&2; exit 1; }
# Tokens live 300 s, shorter than a whole run: a fresh one before every repetition, or later runs would measure
# the refusal of an expired token.
fresh_token() {
  token=$(curl -sf -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
    -d '{"username":"alice","agent_id":"demo-agent","scopes":["read"],"expires_in":86400}' \
    "http://127.0.0.1:$port/realms/proxyme-demo/proxyme/delegate" | python3 -c 'import json,sys; print(json.load(sys.stdin)["delegation_token"])')
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" > "$work/token.lua"
  # The check as nginx calls it, but straight at Keycloak: the cost of the decision alone.
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["X-Proxyme-Portal"] = "demo-portal"\nwrk.headers["X-Proxyme-Portal-Secret"] = "demo-portal-secret"\nwrk.headers["X-Forwarded-Method"] = "GET"\nwrk.headers["X-Forwarded-Uri"] = "/reports"\nwrk.headers["X-Forwarded-Host"] = "portal.example"\n' \
    "$token" > "$work/check.lua"
}
fresh_token
check_url="http://127.0.0.1:$port/realms/proxyme-demo/proxyme/proxy/check"
# The activity log on or off for the demo realm (realm attribute proxyme.activity), as its administrator sets it.
activity() {
  admin=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "http://127.0.0.1:$port/realms/master/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"attributes\":{\"proxyme.activity\":\"$1\"}}" "http://127.0.0.1:$port/admin/realms/proxyme-demo" > /dev/null
}

run() { # url connections seconds [script] -> "rps p50_ms p99_ms non2xx"
  out=$(wrk -t2 -c"$2" -d"$3s" --latency ${4:+-s "$4"} "$1")
  ms() { awk -v q="$1" '$1==q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | ms 50%) $(echo "$out" | ms 99%) $(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)"
}
echo "warm-up ${warmup}s ..." >&2
run "http://127.0.0.1:$checked_port/reports" 16 "$warmup" "$work/token.lua" > /dev/null
run "http://127.0.0.1:$direct_port/reports" 16 10 > /dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); Keycloak $version production mode, H2; nginx $(nginx -v 2>&1 | sed 's/.*\///'); heap ${JAVA_OPTS_KC_HEAP:-Keycloak default (-Xms64m -Xmx512m)}; wrk -t2, ${duration}s per run"
printf '%-28s %10s %9s %9s %s\n' scenario req/s p50_ms p99_ms non-2xx
results=$(mktemp)
for connections in 4 16; do
  for rep in 1 2 3; do
    fresh_token
    printf '%-28s %10s %9s %9s %s\n' "through nginx, checked c$connections #$rep" $(run "http://127.0.0.1:$checked_port/reports" "$connections" "$duration" "$work/token.lua") | tee -a "$results"
    activity false
    printf '%-28s %10s %9s %9s %s\n' "through nginx, unrecorded c$connections #$rep" $(run "http://127.0.0.1:$checked_port/reports" "$connections" "$duration" "$work/token.lua") | tee -a "$results"
    activity true
    printf '%-28s %10s %9s %9s %s\n' "through nginx, no check c$connections #$rep" $(run "http://127.0.0.1:$direct_port/reports" "$connections" "$duration") | tee -a "$results"
    printf '%-28s %10s %9s %9s %s\n' "check alone c$connections #$rep" $(run "$check_url" "$connections" "$duration" "$work/check.lua") | tee -a "$results"
  done
done
# The pair, per repetition: nginx with the check against nginx straight to the portal, measured one after the other.
awk '{kind = ($3 == "checked") ? "checked" : ($3 == "unrecorded") ? "unrecorded" : ($3 == "no") ? "direct" : "alone"; c = $(NF-5); r = $(NF-4)
      rps[kind, c, r] = $(NF-3); p99[kind, c, r] = $(NF-1)}
     END {for (ci = 1; ci <= 2; ci++) { c = (ci == 1) ? "c4" : "c16"; for (r = 1; r <= 3; r++)
            printf "%s rep %d: checked/direct req/s %.3f  p99 checked %s ms vs direct %s ms (check alone %s ms)  activity on/off req/s %.2f (p99 %s vs %s ms)\n", c, r,
              rps["checked", c, "#" r] / rps["direct", c, "#" r], p99["checked", c, "#" r], p99["direct", c, "#" r], p99["alone", c, "#" r],
              rps["checked", c, "#" r] / rps["unrecorded", c, "#" r], p99["checked", c, "#" r], p99["unrecorded", c, "#" r]}}' "$results"
rm -f "$results"
