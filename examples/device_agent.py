#!/usr/bin/env python3
"""An example agent: it asks a user for access with the OAuth 2.0 device authorization grant (RFC 8628).

The agent never sees the user's password. It asks Keycloak for a device code, shows the user where to approve,
polls until the user has decided, and prints the claims of the token it got. Standard library only.

    python3 examples/device_agent.py [--issuer URL] [--client-id ID] [--client-secret SECRET]
                                     [--scope read] [--resource URL] [--purpose TEXT]

The defaults are the demo of bin/run (realm proxyme-demo on http://127.0.0.1:8080, agent demo-agent) asking for
scope "read" on the docker-compose portal http://127.0.0.1:8081/.
"""

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def post_form(url, fields, client_id, client_secret):
    """POST an application/x-www-form-urlencoded body with HTTP Basic client authentication; returns the JSON."""
    credentials = "%s:%s" % (urllib.parse.quote(client_id, safe=""), urllib.parse.quote(client_secret, safe=""))
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:  # OAuth errors come as 400/401 with a JSON body
        return json.load(e)


def claims_of(jwt):
    """The payload of a JWT, NOT verified: a portal checks the token itself (introspection or the realm's keys)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def main():
    parser = argparse.ArgumentParser(description="Ask a user for access with the OAuth device grant.")
    parser.add_argument("--issuer", default="http://127.0.0.1:8080/realms/proxyme-demo")
    parser.add_argument("--client-id", default="demo-agent")
    parser.add_argument("--client-secret", default="demo-agent-secret")
    parser.add_argument("--scope", default="read")
    parser.add_argument("--resource", default="http://127.0.0.1:8081/", help="the portal (RFC 8707 resource indicator)")
    parser.add_argument("--purpose", default="Summarise this month's invoices", help="shown to the user")
    args = parser.parse_args()

    # 1. Where are the endpoints? The realm says so itself (OpenID Connect Discovery).
    with urllib.request.urlopen(args.issuer + "/.well-known/openid-configuration", timeout=30) as response:
        metadata = json.load(response)

    # 2. Ask for a device code: what we want (scope), where (resource) and why (purpose).
    device = post_form(metadata["device_authorization_endpoint"],
                       {"scope": args.scope, "resource": args.resource, "purpose": args.purpose},
                       args.client_id, args.client_secret)
    if "error" in device:
        sys.exit("Keycloak refused: %s %s" % (device["error"], device.get("error_description", "")))

    # 3. The user approves in their own browser, on any device.
    print("Open this URL and approve (code %s):" % device["user_code"])
    print("    " + device.get("verification_uri_complete", device["verification_uri"]))

    # 4. Poll until the user decides, no faster than Keycloak asks (RFC 8628 §3.4, §3.5).
    interval = device.get("interval", 5)
    deadline = time.monotonic() + device["expires_in"]
    while time.monotonic() < deadline:
        time.sleep(interval)
        token = post_form(metadata["token_endpoint"],
                          {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                           "device_code": device["device_code"], "resource": args.resource},
                          args.client_id, args.client_secret)
        error = token.get("error")
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += 5
            continue
        if error:
            sys.exit("No access: %s %s" % (error, token.get("error_description", "")))
        break
    else:
        sys.exit("The user did not decide in time.")

    # 5. What did we get? (scope, audience, expiry, and who acts for whom.)
    print("Access token for %d s, scope %r. Its claims:" % (token.get("expires_in", 0), token.get("scope")))
    print(json.dumps(claims_of(token["access_token"]), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
