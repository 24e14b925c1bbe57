#!/usr/bin/env node
// A tiny MCP server (official TypeScript SDK, Streamable HTTP transport, stateless) meant to run BEHIND Proxyme's
// identity-aware proxy: it validates no token itself and trusts the X-Proxyme-* headers the proxy sets (the proxy
// replaces whatever a client sent under those names). Never expose it except through the proxy.
//
//   node mcp-server.mjs PORT [--allowed-host NAME]...
//
// Listens on http://127.0.0.1:PORT/mcp. Tools:
//   whoami  -> the request's X-Proxyme-Username header as text (an error result when there is none)
//   echo    -> {"text": ...} back as text
//   delete_report -> {"name": ...}: "deleted NAME"; only for a token with scope write (the proxy's X-Proxyme-Scopes),
//            else HTTP 403 insufficient_scope naming write (RFC 6750 section 3.1), as a resource server asks for more
// The SDK's DNS-rebinding protection accepts Host localhost, 127.0.0.1 and [::1]; a proxy that passes another Host
// (nginx's `proxy_set_header Host $host` with a name) needs --allowed-host for that name.
// stdout: {"event":"listening","url":"http://127.0.0.1:PORT/mcp"} once it accepts connections.

import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import * as z from 'zod/v4';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'allowed-host': { type: 'string', multiple: true, default: [] } },
});
const port = Number(positionals[0]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('usage: node mcp-server.mjs PORT [--allowed-host NAME]...\n');
  process.exit(2);
}

// A header as the SDK hands it to a tool: extra.requestInfo.headers, names lower-cased, a string (or string[]).
function header(extra, name) {
  const value = extra?.requestInfo?.headers?.[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function buildServer() {
  const server = new McpServer({ name: 'proxyme-test-mcp', version: '1.0.0' });

  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'The user the identity-aware proxy vouched for (its X-Proxyme-Username header).',
    },
    // A tool without inputSchema gets only the request's extra (signal, requestInfo, authInfo, ...).
    async (extra) => {
      const username = header(extra, 'x-proxyme-username');
      if (!username) {
        return { isError: true, content: [{ type: 'text', text: 'No X-Proxyme-Username header: not called through the proxy' }] };
      }
      return { content: [{ type: 'text', text: username }] };
    },
  );

  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns its text argument.',
      inputSchema: { text: z.string().describe('Text to echo') },
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );

  server.registerTool(
    'delete_report',
    {
      title: 'Delete a report',
      description: 'Deletes the named report; needs the scope write.',
      inputSchema: { name: z.string().describe('Report name') },
    },
    async ({ name }) => ({ content: [{ type: 'text', text: `deleted ${name}` }] }),
  );

  return server;
}

// The server's own step-up (MCP authorization: insufficient_scope names the scopes needed), from the scopes the
// proxy vouches for: the proxy lets any call of the portal's read rule through, this tool needs more.
function needsWrite(req) {
  const call = req.body;
  if (call?.method !== 'tools/call' || call?.params?.name !== 'delete_report') return false;
  const scopes = String(req.get('x-proxyme-scopes') ?? '').split(/[ ,]+/);
  return !scopes.includes('write');
}

const allowedHosts = values['allowed-host'].length ? ['localhost', '127.0.0.1', '[::1]', ...values['allowed-host']] : undefined;
const app = createMcpExpressApp({ host: '127.0.0.1', allowedHosts });

// Stateless Streamable HTTP (the SDK's simpleStatelessStreamableHttp pattern): a fresh server and transport per
// request, no session ids, so any number of proxies or restarts in between do not matter.
app.post('/mcp', async (req, res) => {
  if (needsWrite(req)) {
    res.status(403)
      .set('WWW-Authenticate', 'Bearer error="insufficient_scope", scope="write", error_description="delete_report needs write"')
      .json({ jsonrpc: '2.0', error: { code: -32001, message: 'insufficient_scope' }, id: req.body?.id ?? null });
    return;
  }
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  } catch (err) {
    process.stderr.write(`mcp-server: ${err?.stack ?? err}\n`);
    if (!res.headersSent) {
      res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
    }
  }
});

// No server-initiated stream and no sessions to end in stateless mode.
const methodNotAllowed = (req, res) => {
  res.status(405).set('Allow', 'POST').json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
};
app.get('/mcp', methodNotAllowed);
app.delete('/mcp', methodNotAllowed);

const listener = app.listen(port, '127.0.0.1', (err) => {
  if (err) {
    process.stderr.write(`mcp-server: ${err.message}\n`);
    process.exit(1);
  }
  const url = `http://127.0.0.1:${listener.address().port}/mcp`;
  process.stdout.write(JSON.stringify({ event: 'listening', url }) + '\n');
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => listener.close(() => process.exit(0)));
