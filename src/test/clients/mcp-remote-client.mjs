#!/usr/bin/env node
// A desktop MCP client as Claude Desktop and others run remote servers: it starts `mcp-remote` (the npm bridge) as a
// stdio MCP server and talks to it with the MCP TypeScript SDK's stdio client. mcp-remote does the OAuth itself, with
// its default settings and a pre-registered public client id (`--static-oauth-client-info`); it adds `offline_access`
// when the realm lists it, and prints the authorization URL on stderr for a person to open.
//
//   node mcp-remote-client.mjs MCP_URL CLIENT_ID
//   node mcp-remote-client.mjs MCP_URL --client-metadata-url URL    (mcp-remote's CIMD: no client id)
//
// mcp-remote keeps its tokens in a fresh MCP_REMOTE_CONFIG_DIR; its callback is its default,
// http://localhost:PORT/oauth/callback, on a free port. stdout, one JSON object per line:
//   {"event":"user_action","url":<authorization URL>}   open it in a browser
//   {"event":"authorized","access_token":..,"refresh_token":..,"scope":..}   what mcp-remote stored
//   {"event":"tools","tools":[...]}
//   {"event":"whoami","text":"alice","is_error":false}
//   {"event":"waiting","for":"expire|step-up|next"}     then write a line to stdin:
//       `expire`  its stored token's expiry is put in the past: mcp-remote refreshes before the next call
//                 -> {"event":"whoami",...} {"event":"refreshed","access_token":..,"changed":true}, then waiting again
//       `step-up` a call of delete_report, which the server refuses with 403 insufficient_scope (write) until the
//                 user approves more: -> {"event":"reauthorization_required","url":..}, then
//                 {"event":"stepped_up","text":"deleted q3","access_token":..,"refresh_token":..,"scope":..}
//       `next`    one more call
//   {"event":"whoami",...}  or  {"event":"reauthorization_required","url":..} when mcp-remote wants the user again
// mcp-remote's stderr goes to this program's stderr.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const cimd = process.argv[3] === '--client-metadata-url';
if (process.argv.length !== (cimd ? 5 : 4)) {
  process.stderr.write('usage: node mcp-remote-client.mjs MCP_URL (CLIENT_ID | --client-metadata-url URL)\n');
  process.exit(2);
}
const [mcpUrl, clientId] = process.argv.slice(2);
const clientMetadataUrl = cimd ? process.argv[4] : null;
const configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
const bridge = join(dirname(createRequire(import.meta.url).resolve('mcp-remote/package.json')), 'dist', 'proxy.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function tokensFile() {
  const dir = join(configDir, 'mcp-remote-v1');
  let file;
  try {
    file = readdirSync(dir).find((name) => name.endsWith('_tokens.json'));
  } catch {
    return null; // nothing stored: the server asked for no authorization
  }
  return file ? join(dir, file) : null;
}

function storedTokens() {
  const file = tokensFile();
  return file ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

async function whoami(client) {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  const text = result.content?.filter((c) => c.type === 'text').map((c) => c.text).join('') ?? '';
  emit({ event: 'whoami', text, is_error: Boolean(result.isError) });
}

const transport = new StdioClientTransport({
  command: process.execPath,
  // mcp-remote's own callback host (localhost on Linux and macOS): no setting a user would not make.
  args: [bridge, mcpUrl, String(await freePort()),
    ...(cimd ? ['--client-metadata-url', clientMetadataUrl]
      : ['--static-oauth-client-info', JSON.stringify({ client_id: clientId })])],
  // No browser on a test machine: the URL is read from mcp-remote's stderr, as a person would copy it.
  env: { ...process.env, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: 'true' },
  stderr: 'pipe',
});
let authorizations = 0;
let urlFollows = false;
createInterface({ input: transport.stderr }).on('line', (line) => {
  process.stderr.write(`mcp-remote: ${line}\n`);
  if (line.includes('Please authorize this client by visiting:')) {
    urlFollows = true;
  } else if (urlFollows && line.trim().startsWith('http')) {
    urlFollows = false;
    emit({ event: authorizations++ === 0 ? 'user_action' : 'reauthorization_required', url: line.trim() });
  }
});

try {
  const client = new Client({ name: 'proxyme-test-desktop-client', version: '1.0.0' });
  await client.connect(transport); // mcp-remote answers once it has connected to the server, authorized
  const tokens = storedTokens();
  emit({ event: 'authorized', access_token: tokens?.access_token ?? null, refresh_token: tokens?.refresh_token ?? null,
    scope: tokens?.scope ?? null });
  const { tools } = await client.listTools();
  emit({ event: 'tools', tools: tools.map((t) => t.name).sort() });
  await whoami(client);
  emit({ event: 'waiting', for: 'expire|step-up|next' });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'expire') {
      // What mcp-remote finds once the token's lifetime has passed, without waiting it out: its stored expiry.
      const before = storedTokens();
      writeFileSync(tokensFile(), JSON.stringify({ ...before, expires_at: 1 }));
      await whoami(client);
      const after = storedTokens();
      emit({ event: 'refreshed', access_token: after?.access_token ?? null,
        changed: after?.access_token !== before.access_token });
      emit({ event: 'waiting', for: 'expire|step-up|next' });
    } else if (line.trim() === 'step-up') {
      // A tool the server reserves for write: mcp-remote re-authorizes with the union of the scopes, then retries.
      const result = await client.callTool({ name: 'delete_report', arguments: { name: 'q3' } });
      const text = result.content?.filter((c) => c.type === 'text').map((c) => c.text).join('') ?? '';
      const after = storedTokens();
      emit({ event: 'stepped_up', text, is_error: Boolean(result.isError), access_token: after?.access_token ?? null,
        refresh_token: after?.refresh_token ?? null, scope: after?.scope ?? null });
      emit({ event: 'waiting', for: 'expire|step-up|next' });
    } else if (line.trim() === 'next') {
      break;
    }
  }
  lines.close();
  await whoami(client);
  await client.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(`mcp-remote-client: ${err?.stack ?? err}\n`);
  emit({ event: 'error', error: err?.constructor?.name ?? 'Error', error_description: err?.message ?? String(err) });
  process.exit(1);
}
