#!/usr/bin/python3
"""Authorization code grant + PKCE S256 + resource indicator (RFC 8707), with Debian's python3-authlib.

    /usr/bin/python3 auth-code.py ISSUER CLIENT_ID [--client-secret SECRET] [--auth-method client_secret_basic|client_secret_post]
                     [--scope SCOPE] [--resource URI] [--envelope JSON] [--port N] [--timeout 120] [--pause-before-revoke]
                     [--verify-revocation]

Run it with Debian's /usr/bin/python3: that is the interpreter python3-authlib is installed for.

Without --client-secret (or OAUTH_CLIENT_SECRET in the environment) the client is public (token_endpoint_auth_method
"none"). A loopback server on 127.0.0.1 (a free port unless --port) receives the redirect (RFC 8252 §7.3).

stdout, one JSON object per line:
    {"event":"redirect_uri","uri":"http://127.0.0.1:PORT/callback"}            always first
    {"event":"user_action","url":"<authorization URL>"}
    {"event":"tokens","access_token":..,"refresh_token":..,"expires_in":..,"scope":..,"token_type":..}
    {"event":"refreshed",...same fields...}
    {"event":"waiting","for":"revoke"}                                          only with --pause-before-revoke: send a line
    {"event":"revoked","status":200}                                            RFC 7009 answer for the refresh token
    {"event":"refresh_after_revocation","error":..,"error_description":..}      only with --verify-revocation
    {"event":"error","error":..,"error_description":..}                         then exit code 1
Diagnostics go to stderr.

HTTP: authlib's own clients for a framework are authlib.integrations.requests_client.OAuth2Session (needs
python3-requests) and the httpx one (needs python3-httpx). When requests can be imported, OAuth2Session is used; when
it cannot (Debian's python3-authlib does not depend on it), authlib's framework-independent OAuth2Client is given the
small standard-library session below. Every OAuth message is built and parsed by authlib either way.
"""

import argparse
import http.server
import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url


def emit(event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def fail(error, description=None, **extra):
    emit({"event": "error", "error": error, "error_description": description, **extra})
    sys.exit(1)


def log(message):
    sys.stderr.write("auth-code: %s\n" % message)
    sys.stderr.flush()


class StdlibResponse:
    """The part of a requests.Response that authlib's OAuth2Client reads."""

    def __init__(self, status_code, content):
        self.status_code = status_code
        self.content = content
        self.text = content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError("HTTP %d: %s" % (self.status_code, self.text[:300]))


class StdlibSession:
    """The HTTP half of authlib's OAuth2Client (post/request with data, headers, auth) over urllib."""

    def post(self, url, data=None, headers=None, auth=None, **kwargs):
        return self.request("POST", url, data=data, headers=headers, auth=auth)

    def request(self, method, url, data=None, headers=None, auth=None, **kwargs):
        headers = dict(headers or {})
        body = urllib.parse.urlencode(data or {})
        if auth is not None:  # authlib's ClientAuth: Basic header, client_secret_post or client_id (none)
            url, headers, body = auth.prepare(method, url, headers, body)
        request = urllib.request.Request(url, data=body.encode() if method != "GET" else None,
                                         headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return StdlibResponse(response.status, response.read())
        except urllib.error.HTTPError as e:
            return StdlibResponse(e.code, e.read())


def make_client(transport, **kwargs):
    if transport in ("auto", "requests"):
        try:
            from authlib.integrations.requests_client import OAuth2Session
            log("HTTP through authlib.integrations.requests_client.OAuth2Session")
            return OAuth2Session(**kwargs)
        except ImportError:
            if transport == "requests":
                fail("client_error", "python3-requests is not installed")
    from authlib.oauth2.client import OAuth2Client
    log("HTTP through authlib.oauth2.client.OAuth2Client and urllib (python3-requests not importable)")
    return OAuth2Client(StdlibSession(), **kwargs)


def token_event(event, token):
    return {
        "event": event,
        "access_token": token.get("access_token"),
        "refresh_token": token.get("refresh_token"),
        "expires_in": token.get("expires_in"),
        "scope": token.get("scope"),
        "token_type": token.get("token_type"),
    }


def start_loopback(port):
    """A one-shot HTTP server on 127.0.0.1 that remembers the first /callback request."""
    received = {}
    arrived = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = urllib.parse.urlsplit(self.path)
            if path.path != "/callback" or arrived.is_set():
                self.send_response(404)
                self.end_headers()
                return
            received["path"] = self.path
            params = dict(urllib.parse.parse_qsl(path.query))
            ok = "code" in params and "error" not in params
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>Done</title><p>"
                             + (b"Signed in. You can close this window." if ok else b"Authorization failed.")
                             + b"</p>")
            arrived.set()

        def log_message(self, fmt, *args):
            log("loopback: " + fmt % args)

    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received, arrived


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("issuer")
    parser.add_argument("client_id")
    parser.add_argument("--client-secret", default=os.environ.get("OAUTH_CLIENT_SECRET"))
    parser.add_argument("--auth-method", default="client_secret_basic",
                        choices=["client_secret_basic", "client_secret_post"],
                        help="token endpoint authentication of a confidential client")
    parser.add_argument("--scope")
    parser.add_argument("--resource")
    parser.add_argument("--envelope", help="a task envelope (JSON) proposed with the authorization request")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--transport", default="auto", choices=["auto", "requests", "urllib"])
    parser.add_argument("--pause-before-revoke", action="store_true",
                        help='after refreshing, print {"event":"waiting","for":"revoke"} and wait for a line on stdin')
    parser.add_argument("--verify-revocation", action="store_true",
                        help="after revoking, try the refresh token once more and print what the server said")
    args = parser.parse_args()

    server, received, arrived = start_loopback(args.port)
    redirect_uri = "http://127.0.0.1:%d/callback" % server.server_address[1]
    emit({"event": "redirect_uri", "uri": redirect_uri})

    # authlib treats only https:// and http://localhost: as secure; the test servers are on http://127.0.0.1.
    if args.issuer.startswith(("http://127.0.0.1:", "http://localhost:")):
        os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

    try:
        # OpenID Connect Discovery: {issuer}/.well-known/openid-configuration.
        url = get_well_known_url(args.issuer, external=True)
        with urllib.request.urlopen(url, timeout=30) as response:
            metadata = OpenIDProviderMetadata(json.load(response))
        metadata.validate()
        if metadata["issuer"] != args.issuer:
            fail("invalid_issuer", "discovery names issuer %s, expected %s" % (metadata["issuer"], args.issuer))
        if "S256" not in metadata.get("code_challenge_methods_supported", []):
            fail("unsupported_pkce", "the server does not list S256 in code_challenge_methods_supported")

        secret = args.client_secret
        client = make_client(
            args.transport,
            client_id=args.client_id,
            client_secret=secret,
            token_endpoint_auth_method=args.auth_method if secret else "none",
            revocation_endpoint_auth_method=args.auth_method if secret else "none",
            scope=args.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )
        resource = {"resource": args.resource} if args.resource else {}

        code_verifier = generate_token(64)  # RFC 7636 §4.1: 43..128 unreserved characters
        extra = {"envelope": args.envelope} if args.envelope else {}
        authorization_url, state = client.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=code_verifier, **resource, **extra)
        emit({"event": "user_action", "url": authorization_url})

        if not arrived.wait(args.timeout):
            fail("timeout", "no redirect to %s within %g s" % (redirect_uri, args.timeout))
        server.shutdown()
        callback = "http://127.0.0.1:%d%s" % (server.server_address[1], received["path"])
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
        if "error" in params:  # RFC 6749 §4.1.2.1, e.g. access_denied
            fail(params["error"], params.get("error_description"), state_ok=params.get("state") == state)
        if "iss" in params and params["iss"] != metadata["issuer"]:  # RFC 9207
            fail("invalid_issuer", "authorization response from %s" % params["iss"])

        # The token request repeats the resource (RFC 8707 §2.2) and proves possession of the verifier.
        token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, state=state,
                                   code_verifier=code_verifier, **resource)
        emit(token_event("tokens", token))

        refresh_token = token.get("refresh_token")
        if not refresh_token:
            fail("no_refresh_token", "the token response carried no refresh_token")
        refreshed = client.refresh_token(metadata["token_endpoint"], refresh_token=refresh_token, **resource)
        emit(token_event("refreshed", refreshed))

        if args.pause_before_revoke:
            emit({"event": "waiting", "for": "revoke"})
            sys.stdin.readline()

        revocation_endpoint = metadata.get("revocation_endpoint")
        if not revocation_endpoint:
            fail("no_revocation_endpoint", "discovery lists no revocation_endpoint")
        current = refreshed.get("refresh_token") or refresh_token
        response = client.revoke_token(revocation_endpoint, token=current, token_type_hint="refresh_token")
        emit({"event": "revoked", "status": response.status_code})
        if response.status_code != 200:
            fail("revocation_failed", "HTTP %d: %s" % (response.status_code, response.text[:300]))

        if args.verify_revocation:
            try:
                client.refresh_token(metadata["token_endpoint"], refresh_token=current, **resource)
                emit({"event": "refresh_after_revocation", "error": None, "error_description": None})
            except AuthlibBaseError as e:
                emit({"event": "refresh_after_revocation", "error": e.error, "error_description": e.description})
    except AuthlibBaseError as e:  # OAuth error responses, state mismatch, missing code
        fail(e.error, e.description)
    except ValueError as e:  # invalid discovery metadata
        fail("invalid_metadata", str(e))
    except (urllib.error.URLError, OSError, RuntimeError) as e:
        fail("client_error", str(e))


if __name__ == "__main__":
    main()
