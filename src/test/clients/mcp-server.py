#!/usr/bin/env python3
"""A tiny MCP server written with the official MCP Python SDK (package `mcp`), meant to run BEHIND Proxyme's
identity-aware proxy: it validates no token itself and trusts the X-Proxyme-* headers the proxy sets (the proxy
replaces whatever a client sent under those names). Never expose it except through the proxy.

    python mcp-server.py

Listens on a free port of 127.0.0.1 (Streamable HTTP, stateless, JSON responses) at /mcp, with the SDK's default
transport security: bound to 127.0.0.1, its DNS-rebinding protection accepts only Host 127.0.0.1:*, localhost:* and
[::1]:*, so a proxy must pass the Host the client used, port included (the shipped nginx config does). Tools:
    whoami  -> the request's X-Proxyme-Username header as text (an error result when there is none)
    echo    -> its text argument back
    delete_report -> "deleted <name>" (a tool a route rule can reserve for a wider scope)
stdout: {"event":"listening","url":"http://127.0.0.1:PORT/mcp"} once it accepts connections.
"""

import json
import socket
import sys

import anyio
import uvicorn
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer(name="proxyme-test-mcp-python", version="1.0.0")


@server.tool(description="The user the identity-aware proxy vouched for (its X-Proxyme-Username header).")
def whoami(ctx: Context) -> str:
    username = (ctx.headers or {}).get("x-proxyme-username")
    if not username:
        raise ToolError("No X-Proxyme-Username header: not called through the proxy")
    return username


@server.tool(description="Returns its text argument.")
def echo(text: str) -> str:
    return text


@server.tool(description="Deletes a report (a test tool: deletes nothing).")
def delete_report(name: str) -> str:
    return f"deleted {name}"


async def main() -> None:
    app = server.streamable_http_app(stateless_http=True, json_response=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    # The bound, listening socket already queues connections: the test may start as soon as it reads this line.
    print(json.dumps({"event": "listening", "url": f"http://127.0.0.1:{port}/mcp"}), flush=True)
    await uvicorn.Server(uvicorn.Config(app, log_level="warning")).serve(sockets=[listener])


if __name__ == "__main__":
    try:
        anyio.run(main)
    except KeyboardInterrupt:
        sys.exit(0)
