#!/usr/bin/env python3
"""Prepares the demo realm of a benchmark server for bench/core.sh and prints what the wrk scripts need, as JSON.

  bench/setup.py <base url, e.g. http://127.0.0.1:8180> [users, default 100]

Creates <users> users, one delegation of read to demo-agent (RS256, the realm's default) for each, an EC signing key
(Keycloak's ecdsa-generated provider), an ES256 agent with a delegation for each user, and an audience mapper so that
a client_credentials token of demo-backend may be introspected by demo-portal (Keycloak answers introspection only to
a client in the token's audience). Standard library only.
"""
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
users = int(sys.argv[2]) if len(sys.argv) > 2 else 100
realm_url = base + "/realms/proxyme-demo"
admin_url = base + "/admin/realms/proxyme-demo"


def call(url, body=None, auth=None, method=None, form=False):
    headers = {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None), response.headers
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method or 'GET/POST'} {url}: {error.code} {error.read().decode()[:300]}")


def basic(client, secret):
    return "Basic " + base64.b64encode(f"{client}:{secret}".encode()).decode()


def token(realm, username, password):
    _, body, _ = call(f"{base}/realms/{realm}/protocol/openid-connect/token", {"grant_type": "password", "client_id": "admin-cli",
                      "username": username, "password": password}, form=True)
    return "Bearer " + body["access_token"]


def admin_token():
    """The server's bootstrap administrator (bench/lib.sh starts it with admin/admin): components need manage-realm."""
    return token("master", "admin", "admin")


admin = admin_token()
realm_id = call(admin_url, auth=admin)[1]["id"]
call(admin_url + "/components", {"name": "bench-ecdsa", "providerId": "ecdsa-generated", "providerType": "org.keycloak.keys.KeyProvider",
     "parentId": realm_id, "config": {"ecdsaEllipticCurveKey": ["P-256"], "priority": ["100"]}}, admin)
es256 = call(realm_url + "/proxyme/register_agent", {"name": "ES256 bench agent", "scopes": ["read"], "portals": ["demo-portal"],
             "token_signing_alg": "ES256"}, token("proxyme-demo", "realm-admin", "realm-admin"))[1]

rs256_delegations, es256_delegations = [], []
backend = basic("demo-backend", "demo-backend-secret")
for n in range(users):
    if n % 25 == 0:
        admin = admin_token()
    username = f"bench-user-{n}"
    call(admin_url + "/users", {"username": username, "enabled": True, "email": f"{username}@example.org",
         "firstName": "Bench", "lastName": str(n)}, admin)
    for agent, ids in (("demo-agent", rs256_delegations), (es256["client_id"], es256_delegations)):
        granted = call(realm_url + "/proxyme/delegate", {"username": username, "agent_id": agent, "scopes": ["read"],
                       "portal": "demo-portal", "expires_in": 86400}, backend)[1]
        ids.append(granted["delegation_id"])

backend_id = call(admin_url + "/clients?clientId=demo-backend", auth=admin)[1][0]["id"]
call(admin_url + f"/clients/{backend_id}/protocol-mappers/models", {"name": "bench audience", "protocol": "openid-connect",
     "protocolMapper": "oidc-audience-mapper", "config": {"included.client.audience": "demo-portal", "access.token.claim": "true",
     "introspection.token.claim": "true"}}, admin)

json.dump({"rs256_delegations": rs256_delegations, "es256_delegations": es256_delegations,
           "es256_agent": es256["client_id"], "es256_secret": es256["client_secret"]}, sys.stdout)
