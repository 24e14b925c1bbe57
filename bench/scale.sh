#!/usr/bin/env bash
# Issue 4's scale check: 100,000 delegations and 1,000,000 audit rows in the realm's database (H2 here), then the
# latency of the three things that must stay index-backed: listing one user's delegations, reading one delegation's
# audit trail, revoking one delegation. Prints the query plans (H2 EXPLAIN) and latency percentiles (curl, sequential,
# after a warm-up). Not a test: a measurement to rerun by hand.
#   bench/scale.sh [delegations, default 100000] [audit rows per delegation, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
delegations=${1:-100000}
per_delegation=${2:-10}
port=${BENCH_PORT:-8280}
source bench/lib.sh
install_keycloak scale
log=target/scale-keycloak.log
build_keycloak "$log"

start() {
  start_keycloak "$port" "$log" --db-username=proxyme --db-password=proxyme-scale
  await_ready $((port + 1))
}
stop() { stop_keycloak "$kc"; }
trap 'stop_keycloak $kc' EXIT

base=http://127.0.0.1:$port/realms/proxyme-demo
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
start
# Real delegations of alice (so her listing has her own rows among the seeded ones), then stop to seed the database.
for scope in read write; do
  curl -sf -o /dev/null -u demo-backend:demo-backend-secret -H 'Content-Type: application/json' \
    -d "{\"username\":\"alice\",\"agent_id\":\"demo-agent\",\"scopes\":[\"$scope\"]}" "$base/proxyme/delegate"
done
stop

h2jar=$(ls "$home"/lib/lib/main/com.h2database.h2-*.jar)
sql() { "$JAVA_HOME/bin/java" -cp "$h2jar" org.h2.tools.Shell -url "jdbc:h2:file:$PWD/$home/data/h2/keycloakdb;NON_KEYWORDS=VALUE" \
  -user proxyme -password proxyme-scale -sql "$1"; }
realm_id=$(sql "SELECT ID FROM REALM WHERE NAME='proxyme-demo'" | sed -n 2p | tr -d ' ')
alice_id=$(sql "SELECT ID FROM USER_ENTITY WHERE USERNAME='alice' AND REALM_ID='$realm_id'" | sed -n 2p | tr -d ' ')
now=$(($(date +%s) * 1000))
echo "seeding $delegations delegations over 10000 users and $((delegations * per_delegation)) audit rows ..." >&2
seed_start=$(date +%s)
sql "INSERT INTO PROXYME_DELEGATION (ID, REALM_ID, USER_ID, AGENT_CLIENT_ID, PORTAL_CLIENT_ID, SCOPES, STATUS, CREATED_AT,
       EXPIRES_AT, ENDED_AT, END_REASON, GRANTED_BY_TYPE, GRANTED_BY_ID, TOKENS_ISSUED)
     SELECT CAST(RANDOM_UUID() AS VARCHAR(36)), '$realm_id',
       CASE WHEN MOD(X, 5000) = 0 THEN '$alice_id' ELSE 'seed-user-' || MOD(X, 10000) END,
       'demo-agent', 'demo-portal', 'read', CASE WHEN MOD(X, 3) = 0 THEN 'REVOKED' ELSE 'ACTIVE' END,
       $now - X * 1000, $now + 86400000 - X, CASE WHEN MOD(X, 3) = 0 THEN $now - X * 500 END,
       CASE WHEN MOD(X, 3) = 0 THEN 'revoked_by_user' END, 'BACKEND', 'demo-backend', 1
     FROM SYSTEM_RANGE(1, $delegations)" > /dev/null
sql "INSERT INTO PROXYME_AUDIT (ID, REALM_ID, EVENT_TIME, ACTION, DELEGATION_ID, USER_ID, AGENT_CLIENT_ID, PORTAL_CLIENT_ID,
       ACTOR_TYPE, ACTOR_ID, SOURCE_ADDRESS)
     SELECT CAST(RANDOM_UUID() AS VARCHAR(36)), D.REALM_ID, D.CREATED_AT + R.X, 'TOKEN_ISSUED', D.ID, D.USER_ID,
       D.AGENT_CLIENT_ID, D.PORTAL_CLIENT_ID, 'AGENT', 'demo-agent', '127.0.0.1'
     FROM PROXYME_DELEGATION D, SYSTEM_RANGE(1, $per_delegation) R" > /dev/null
echo "seeded in $(( $(date +%s) - seed_start )) s" >&2
sql "SELECT (SELECT COUNT(*) FROM PROXYME_DELEGATION) AS DELEGATIONS, (SELECT COUNT(*) FROM PROXYME_AUDIT) AS AUDIT_ROWS"

echo "== query plans"
sql "EXPLAIN SELECT * FROM PROXYME_DELEGATION D WHERE D.REALM_ID = '$realm_id' AND D.USER_ID = '$alice_id'
     AND (D.STATUS = 'ACTIVE' OR D.ENDED_AT >= 0) ORDER BY D.CREATED_AT DESC" | sed -n 2,40p | grep -v '^    "D"\.'
sql "EXPLAIN SELECT * FROM PROXYME_AUDIT A WHERE A.REALM_ID = '$realm_id' AND A.DELEGATION_ID = 'x' ORDER BY A.EVENT_TIME, A.ID" | sed -n 2,20p
sql "EXPLAIN SELECT * FROM PROXYME_ISSUED_TOKEN T WHERE T.DELEGATION_ID = 'x' AND T.EXPIRES_AT > 0" | sed -n 2,20p
sample=$(sql "SELECT ID FROM PROXYME_DELEGATION WHERE STATUS = 'ACTIVE' AND USER_ID LIKE 'seed-user-%' LIMIT 300" | sed -n '2,301p' | tr -d ' ')

start
alice_token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=alice -d password=alice "$base/protocol/openid-connect/token" | json "['access_token']")
admin_token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=realm-admin -d password=realm-admin "$base/protocol/openid-connect/token" | json "['access_token']")
admin=http://127.0.0.1:$port/admin/realms/proxyme-demo/proxyme

measure() { # label, then a command that prints curl's time_total per run
  local label=$1; shift
  "$@" | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin.read().split())
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"{sys.argv[1]:<34} n={len(t):<4} p50={p(0.50):7.2f} ms  p99={p(0.99):7.2f} ms  max={t[-1]:7.2f} ms")' "$label"
}
list_mine() { for _ in $(seq 1 "$1"); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $alice_token" "$base/proxyme/my/delegations"; done; }
audit_of() { for id in $(echo "$sample" | head -"$1"); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $admin_token" "$admin/delegations/$id"; done; }
revoke() { for id in $(echo "$sample" | tail -"$1"); do curl -s -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $admin_token" "$admin/delegations/$id/revoke"; done; }
list_mine 100 > /dev/null; audit_of 100 > /dev/null   # warm-up
echo "== latencies (sequential requests on loopback, after warm-up)"
measure "list one user's delegations" list_mine 200
measure "one delegation with its audit" audit_of 200
measure "revoke one delegation" revoke 100
stop
