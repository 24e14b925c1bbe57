"""Revoke -> first refused introspection, over many revocations (issue 6). Each round: a trusted backend creates a
delegation and gets a token, the portal sees it active, a revoke_delegation call is timed from just before it is
sent until an introspection by the portal first answers active:false. Keep-alive connections, so process start-up
does not pollute the timings. Usage: revocation.py <base url of the realm> <rounds>"""
import base64, http.client, json, sys, time, urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
rounds = int(sys.argv[2])
conn = http.client.HTTPConnection(base.hostname, base.port)


def basic(client, secret):
    return "Basic " + base64.b64encode(f"{client}:{secret}".encode()).decode()


def post(path, body, content_type, auth):
    conn.request("POST", base.path + path, body=body, headers={"Content-Type": content_type, "Authorization": auth})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def active(token):
    status, body = post("/protocol/openid-connect/token/introspect", urllib.parse.urlencode({"token": token}),
                        "application/x-www-form-urlencoded", basic("demo-portal", "demo-portal-secret"))
    assert status == 200, body
    return body["active"]


backend = basic("demo-backend", "demo-backend-secret")
latencies, polls = [], []
for i in range(rounds):
    status, granted = post("/proxyme/delegate", json.dumps({"username": "alice", "agent_id": "demo-agent",
                                                            "scopes": ["read"], "expires_in": 3600}),
                           "application/json", backend)
    assert status == 200, granted
    assert active(granted["delegation_token"])
    start = time.perf_counter()
    status, revoked = post("/proxyme/revoke_delegation", json.dumps({"delegation_id": granted["delegation_id"]}),
                           "application/json", backend)
    assert status == 200, revoked
    n = 1
    while active(granted["delegation_token"]):
        n += 1
        assert time.perf_counter() - start < 5, "still active 5 s after revocation"
    latencies.append((time.perf_counter() - start) * 1000)
    polls.append(n)

latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"revoke -> first refused introspection, {rounds} revocations: p50 {pick(0.5):.2f} ms, p90 {pick(0.9):.2f} ms, "
      f"p99 {pick(0.99):.2f} ms, max {latencies[-1]:.2f} ms; introspections needed: "
      f"{dict((k, polls.count(k)) for k in sorted(set(polls)))}")
