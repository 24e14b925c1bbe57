#!/usr/bin/env python3
"""An MCP client on the official MCP Python SDK (package `mcp`) that authorizes itself with the SDK's own
OAuthClientProvider, with its default settings, knowing only the MCP server's URL and a pre-registered public
client id:

    python mcp-client.py MCP_URL CLIENT_ID [--timeout 120]
    python mcp-client.py MCP_URL --client-metadata-url URL [--timeout 120]

With neither a client id nor --client-metadata-url the SDK registers itself (RFC 7591) at the realm's
registration_endpoint. With --client-metadata-url the client has no client id: it identifies itself by that Client ID Metadata Document
(CIMD) when the authorization server's metadata says client_id_metadata_document_supported, as the SDK does.

The SDK discovers everything (the 401's resource_metadata, the protected resource metadata, the authorization
server's metadata), picks the scope itself (the 401's `scope`, adding `offline_access` when the server lists it, as
SEP-2207 tells it to) and runs the authorization code grant with PKCE S256, `resource` and RFC 9207's `iss` check.
The redirect comes back to http://127.0.0.1:PORT/callback on a free port.

stdout, one JSON object per line:
  {"event":"redirect_uri","uri":...}                  first
  {"event":"user_action","url":<authorization URL>}   open it in a browser
  {"event":"authorized","access_token":..,"refresh_token":..,"scope":..}
  {"event":"tools","tools":[...]}
  {"event":"whoami","text":"alice","is_error":false}
  {"event":"waiting","for":"expire|next"}             then write a line to stdin:
      `expire`  the clock moves past the access token's expiry: the next call makes the SDK refresh
                -> {"event":"refreshed","access_token":..,"status":200} after a whoami
      `step-up` a call of delete_report (name q3), which a route rule may reserve for a wider scope: on the 403
                insufficient_scope the SDK asks the user again (SEP-2350: the union of the scopes)
                -> {"event":"reauthorization_required","url":..}, then after the approval
                   {"event":"stepped_up","text":"deleted q3","scope":..,"access_token":..}
      `next`    one more call; after a revocation:
                -> {"event":"reauthorization_required","url":..} and
                   {"event":"error","error":..,"mcp_status":401,"refresh":{"status":..,"error":..}}
Exit code 0 when the last call succeeded, 1 after an error event. Every HTTP request goes to stderr.
"""

import argparse
import asyncio
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx2
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken


def emit(event: dict) -> None:
    print(json.dumps(event), flush=True)


def log(message: str) -> None:
    print(f"mcp-client.py: {message}", file=sys.stderr, flush=True)


class Loopback:
    """The redirect URI's listener: one callback, handed to the SDK's callback_handler."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.callbacks: asyncio.Queue[dict] = asyncio.Queue()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                if url.path != "/callback":
                    self.send_response(404)
                    self.end_headers()
                    return
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                ok = "code" in params and "error" not in params
                self.send_response(200 if ok else 400)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(b"<!doctype html><title>Done</title><p>You can close this window.")
                loop.call_soon_threadsafe(owner.callbacks.put_nowait, params)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class MemoryStorage:
    """The SDK's TokenStorage, in memory, holding the pre-registered client."""

    def __init__(self, client_info: OAuthClientInformationFull | None):
        self.client_info = client_info
        self.tokens: OAuthToken | None = None
        self.saved = 0

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens
        self.saved += 1

    async def get_client_info(self) -> OAuthClientInformationFull | None:  # noqa: D102
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class Watch:
    """Only watches the SDK's requests (httpx event hooks): what the MCP endpoint and the token endpoint answered."""

    def __init__(self, mcp_url: str):
        self.mcp_url = mcp_url
        self.mcp_status: int | None = None
        self.grants: list[dict] = []

    async def on_response(self, response: httpx2.Response) -> None:
        request = response.request
        grant = None
        if request.method == "POST" and request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            form = parse_qs(request.content.decode())
            grant = form.get("grant_type", [None])[0]
        log(f"{request.method} {request.url} {'(grant_type=' + grant + ') ' if grant else ''}-> {response.status_code}")
        if grant:
            entry = {"grant_type": grant, "status": response.status_code}
            if response.status_code != 200:
                await response.aread()
                try:
                    entry["error"] = response.json().get("error")
                except ValueError:
                    pass
            self.grants.append(entry)
        elif str(request.url) == self.mcp_url:
            self.mcp_status = response.status_code


async def whoami(client: Client) -> None:
    result = await client.call_tool("whoami", {})
    text = "".join(c.text for c in result.content if getattr(c, "type", None) == "text")
    emit({"event": "whoami", "text": text, "is_error": bool(result.is_error)})


async def read_line() -> str:
    return (await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)).strip()


async def refresh_probe(provider: OAuthClientProvider, storage: MemoryStorage) -> dict:
    """After a refused call: what the token endpoint says to the refresh token the SDK holds (reported, not used)."""
    token_endpoint = str(provider.context.oauth_metadata.token_endpoint)
    async with httpx2.AsyncClient() as http:
        response = await http.post(
            token_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": storage.tokens.refresh_token,
                "client_id": storage.client_info.client_id,
            },
        )
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    return {"status": response.status_code, "error": body.get("error")}


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mcp_url")
    parser.add_argument("client_id", nargs="?")
    parser.add_argument("--client-metadata-url")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    loopback = Loopback(asyncio.get_running_loop())
    emit({"event": "redirect_uri", "uri": loopback.uri})
    authorizations = 0
    allowed_authorizations = 1

    async def redirect_handler(url: str) -> None:
        emit({"event": "reauthorization_required" if authorizations else "user_action", "url": url})

    async def callback_handler() -> AuthorizationCodeResult:
        nonlocal authorizations
        if authorizations >= allowed_authorizations:
            raise RuntimeError("another authorization is not part of this run")
        try:
            params = await asyncio.wait_for(loopback.callbacks.get(), args.timeout)
        except TimeoutError:
            raise RuntimeError(f"no redirect to {loopback.uri} within {args.timeout} s") from None
        if "error" in params:
            raise RuntimeError(f"authorization failed: {params['error']}: {params.get('error_description')}")
        authorizations += 1
        return AuthorizationCodeResult(code=params["code"], state=params.get("state"), iss=params.get("iss"))

    storage = MemoryStorage(
        None
        if args.client_metadata_url or not args.client_id
        else OAuthClientInformationFull(
            client_id=args.client_id, redirect_uris=[loopback.uri], token_endpoint_auth_method="none"
        )
    )
    provider = OAuthClientProvider(
        server_url=args.mcp_url,
        client_metadata=OAuthClientMetadata(
            client_name="Proxyme test MCP client (Python SDK)",
            redirect_uris=[loopback.uri],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
        client_metadata_url=args.client_metadata_url,
    )
    watch = Watch(args.mcp_url)
    http = httpx2.AsyncClient(auth=provider, event_hooks={"response": [watch.on_response]})
    try:
        async with Client(streamable_http_client(args.mcp_url, http_client=http)) as client:
            tokens = storage.tokens
            emit(
                {
                    "event": "authorized",
                    "access_token": tokens.access_token,
                    "refresh_token": tokens.refresh_token,
                    "scope": tokens.scope,
                }
            )
            tools = await client.list_tools()
            emit({"event": "tools", "tools": sorted(t.name for t in tools.tools)})
            await whoami(client)
            while True:
                emit({"event": "waiting", "for": "expire|next"})
                command = await read_line()
                if command == "expire":
                    # What the SDK would do once the token's lifetime has passed, without waiting it out.
                    provider.context.token_expiry_time = 1  # 1970: past (0 reads as no expiry)
                    before = storage.tokens.access_token
                    await whoami(client)
                    refreshed = [g for g in watch.grants if g["grant_type"] == "refresh_token"]
                    emit(
                        {
                            "event": "refreshed",
                            "access_token": storage.tokens.access_token,
                            "changed": storage.tokens.access_token != before,
                            "status": refreshed[-1]["status"] if refreshed else None,
                        }
                    )
                elif command == "step-up":
                    allowed_authorizations += 1
                    result = await client.call_tool("delete_report", {"name": "q3"})
                    text = "".join(c.text for c in result.content if getattr(c, "type", None) == "text")
                    emit(
                        {
                            "event": "stepped_up",
                            "text": text,
                            "is_error": bool(result.is_error),
                            "scope": storage.tokens.scope,
                            "access_token": storage.tokens.access_token,
                        }
                    )
                elif command == "next":
                    watch.mcp_status = None
                    await whoami(client)
                    return 0
                else:
                    return 0
    except BaseException as error:  # noqa: BLE001 - the SDK wraps failures in exception groups
        if isinstance(error, KeyboardInterrupt):
            raise
        message = repr(error)
        while isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
            message = repr(error)
        log(f"failed: {message}")
        event = {"event": "error", "error": type(error).__name__, "error_description": message}
        if watch.mcp_status is not None:
            event["mcp_status"] = watch.mcp_status
        if storage.tokens is not None and storage.tokens.refresh_token and provider.context.oauth_metadata:
            event["refresh"] = await refresh_probe(provider, storage)
        emit(event)
        return 1
    finally:
        await http.aclose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
