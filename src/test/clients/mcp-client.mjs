#!/usr/bin/env node
// An MCP client (official TypeScript SDK) that authorizes itself with the SDK's own OAuth support, knowing only the
// MCP server's URL and a pre-registered public client id:
//
//   node mcp-client.mjs MCP_URL CLIENT_ID REDIRECT_PORT [--client-secret S] [--scope S] [--timeout 120]
//   node mcp-client.mjs MCP_URL - REDIRECT_PORT --client-metadata-url URL      (no client id: a metadata document)
//
// The SDK discovers everything: the 401's WWW-Authenticate resource_metadata (RFC 9728), the protected resource
// metadata's authorization server, that server's metadata (RFC 8414 / OpenID Connect Discovery), then runs the
// authorization code grant with PKCE S256 and the resource indicator (RFC 8707). The redirect comes back to
// http://127.0.0.1:REDIRECT_PORT/callback (REDIRECT_PORT 0: a free port, printed first).
//
// stdout, one JSON object per line:
//   {"event":"redirect_uri","uri":...}                         first
//   {"event":"user_action","url":<authorization URL>}          open it in a browser
//   {"event":"authorized","access_token":..,"refresh_token":..,"expires_in":..,"scope":..}
//   {"event":"tools","tools":["echo","whoami"]}
//   {"event":"whoami","text":"alice","is_error":false}
//   {"event":"waiting","for":"step-up|next"}                   then write a line to stdin:
//       `step-up`  a call of delete_report, which the server refuses with 403 insufficient_scope (write): the SDK asks
//                  again -> {"event":"reauthorization_required","url":..}, then after the approval
//                  {"event":"stepped_up","text":"deleted q3","access_token":..,"refresh_token":..,"scope":..};
//                  or, where the SDK tries a refresh instead (1.32.2 with a refresh token), which cannot widen:
//                  {"event":"step_up_failed","http_status":403,"error_description":..,"refresh":{..},"scope":..}
//       `next`     one more call
//   {"event":"reauthorization_required","url":...}             the SDK wants a new authorization (after a failed refresh)
//   {"event":"whoami",...}  or  {"event":"error","error":..,"error_description":..,"mcp_status":401,"refresh":{..}}
// Exit code 0 when the last call succeeded, 1 after an error event. Every HTTP request goes to stderr.

import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const log = (message) => process.stderr.write(`mcp-client: ${message}\n`);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'client-secret': { type: 'string' },
    scope: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    'client-metadata-url': { type: 'string' },
  },
});
if (positionals.length !== 3) {
  process.stderr.write('usage: node mcp-client.mjs MCP_URL CLIENT_ID REDIRECT_PORT [--client-secret S] [--scope S] [--timeout 120]\n');
  process.exit(2);
}
const [mcpUrl, clientId, redirectPortArg] = positionals;
const timeoutMs = Number(values.timeout) * 1000;

// What the last token request (authorization_code or refresh_token) answered, and what the SDK threw away.
const seen = { grant: null, mcpStatus: null, invalidated: [] };

// Only watches: every request the SDK makes (MCP and OAuth) goes through the SDK's `fetch` option unchanged.
async function watchingFetch(url, init) {
  const response = await fetch(url, init);
  const method = init?.method ?? 'GET';
  const grantType = init?.body instanceof URLSearchParams ? init.body.get('grant_type') : null;
  const detail = grantType ? ` (grant_type=${grantType} resource=${init.body.get('resource')})` : '';
  log(`${method} ${url}${detail} -> ${response.status}`);
  if (grantType) {
    const grant = { grant_type: grantType, status: response.status };
    if (!response.ok) {
      try {
        const body = await response.clone().json();
        grant.error = body.error;
        grant.error_description = body.error_description;
      } catch {
        // not an OAuth error body
      }
    }
    seen.grant = grant;
  } else if (String(url) === new URL(mcpUrl).href) {
    seen.mcpStatus = response.status;
  }
  return response;
}

function startLoopback(port) {
  let deliver;
  const callback = new Promise((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const ok = url.searchParams.has('code') && !url.searchParams.has('error');
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Done</title><p>${ok ? 'Signed in. You can close this window.' : 'Authorization failed.'}</p>`);
    deliver(url.searchParams);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, callback, port: server.address().port }));
  });
}

// The SDK's OAuthClientProvider, minimally: a pre-registered client, everything kept in memory.
class PreRegisteredClientProvider {
  constructor(redirectUrl) {
    this._redirectUrl = redirectUrl;
    this._tokens = undefined;
    this._codeVerifier = undefined;
    this._state = undefined;
    this.authorizedOnce = false;
  }

  get redirectUrl() {
    return this._redirectUrl;
  }

  get clientMetadata() {
    return {
      client_name: 'Proxyme test MCP client',
      redirect_uris: [this._redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: values['client-secret'] ? 'client_secret_basic' : 'none',
      ...(values.scope ? { scope: values.scope } : {}),
    };
  }

  state() {
    this._state = randomBytes(16).toString('base64url');
    return this._state;
  }

  expectedState() {
    return this._state;
  }

  // With a client metadata document the SDK makes the client information itself (client_id = the document's URL)
  // once the server's metadata says client_id_metadata_document_supported, and saves it here.
  get clientMetadataUrl() {
    return values['client-metadata-url'];
  }

  saveClientInformation(information) {
    this._clientInformation = information;
  }

  clientInformation() {
    if (values['client-metadata-url']) return this._clientInformation;
    return values['client-secret'] ? { client_id: clientId, client_secret: values['client-secret'] } : { client_id: clientId };
  }

  tokens() {
    return this._tokens;
  }

  saveTokens(tokens) {
    this._tokens = tokens;
  }

  redirectToAuthorization(authorizationUrl) {
    if (this.authorizedOnce) emit({ event: 'reauthorization_required', url: authorizationUrl.href });
    else emit({ event: 'user_action', url: authorizationUrl.href });
  }

  saveCodeVerifier(codeVerifier) {
    this._codeVerifier = codeVerifier;
  }

  codeVerifier() {
    if (!this._codeVerifier) throw new Error('No code verifier saved');
    return this._codeVerifier;
  }

  invalidateCredentials(scope) {
    seen.invalidated.push(scope);
    log(`the SDK invalidated credentials: ${scope}`);
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this._codeVerifier = undefined;
  }
}

function errorEvent(err) {
  const event = { event: 'error', error: err?.constructor?.name ?? 'Error', error_description: err?.message ?? String(err) };
  if (err instanceof OAuthError) {
    event.error = err.errorCode;
  }
  if (err instanceof StreamableHTTPError) event.http_status = err.code;
  if (seen.mcpStatus != null) event.mcp_status = seen.mcpStatus;
  if (seen.grant) event.refresh = seen.grant.grant_type === 'refresh_token' ? seen.grant : null;
  if (seen.grant) event.last_token_request = seen.grant;
  if (seen.invalidated.length) event.invalidated = seen.invalidated;
  return event;
}

function newTransport(provider) {
  return new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: watchingFetch });
}

async function whoami(client) {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  const text = result.content?.filter((c) => c.type === 'text').map((c) => c.text).join('') ?? '';
  emit({ event: 'whoami', text, is_error: Boolean(result.isError) });
}

const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** The next line on stdin, trimmed; null at its end. */
async function nextCommand() {
  const { value, done } = await commands.next();
  return done ? null : value.trim();
}

/** The SDK redirected the user (UnauthorizedError): waits for the browser to come back and has the SDK exchange the code. */
async function completeAuthorization(transport, provider, loopback) {
  const timer = setTimeout(() => {
    emit({ event: 'error', error: 'timeout', error_description: `no redirect to the loopback within ${timeoutMs / 1000} s` });
    process.exit(1);
  }, timeoutMs);
  const params = await loopback.callback;
  clearTimeout(timer);
  loopback.server.close();
  if (params.has('error')) {
    emit({ event: 'error', error: params.get('error'), error_description: params.get('error_description') });
    process.exit(1);
  }
  if (params.get('state') !== provider.expectedState()) {
    emit({ event: 'error', error: 'state_mismatch', error_description: 'The redirect carried another state' });
    process.exit(1);
  }
  await transport.finishAuth(params.get('code')); // the SDK exchanges the code (with code_verifier and resource)
}

let loopback;
try {
  loopback = await startLoopback(Number(redirectPortArg));
  const port = loopback.port;
  const redirectUrl = `http://127.0.0.1:${port}/callback`;
  emit({ event: 'redirect_uri', uri: redirectUrl });
  const provider = new PreRegisteredClientProvider(redirectUrl);

  let client = new Client({ name: 'proxyme-test-mcp-client', version: '1.0.0' });
  let transport = newTransport(provider);
  try {
    await client.connect(transport);
    loopback.server.close();
  } catch (err) {
    if (!(err instanceof UnauthorizedError)) throw err;
    await completeAuthorization(transport, provider, loopback);
    const tokens = provider.tokens();
    emit({ event: 'authorized', access_token: tokens.access_token, refresh_token: tokens.refresh_token ?? null,
      expires_in: tokens.expires_in ?? null, scope: tokens.scope ?? null });
    provider.authorizedOnce = true;
    await transport.close().catch(() => {});
    client = new Client({ name: 'proxyme-test-mcp-client', version: '1.0.0' });
    transport = newTransport(provider);
    await client.connect(transport);
  }

  const { tools } = await client.listTools();
  emit({ event: 'tools', tools: tools.map((t) => t.name).sort() });
  await whoami(client);

  emit({ event: 'waiting', for: 'step-up|next' });
  let command;
  while ((command = await nextCommand()) === 'step-up') {
    // A tool the server reserves for write: on its 403 insufficient_scope the SDK asks the user again (the
    // challenge's scope), the redirect comes back to the same loopback port, then the call is made again.
    const call = () => client.callTool({ name: 'delete_report', arguments: { name: 'q3' } });
    loopback = await startLoopback(port);
    let result;
    try {
      result = await call();
      loopback.server.close();
    } catch (err) {
      if (err instanceof StreamableHTTPError) {
        // SDK 1.32.2 answers insufficient_scope with a refresh, which cannot widen a grant (RFC 6749 section 6).
        loopback.server.close();
        const tokens = provider.tokens();
        emit({ event: 'step_up_failed', http_status: err.code, error_description: err.message,
          refresh: seen.grant, access_token: tokens?.access_token ?? null, scope: tokens?.scope ?? null });
        emit({ event: 'waiting', for: 'step-up|next' });
        continue;
      }
      if (!(err instanceof UnauthorizedError)) throw err;
      await completeAuthorization(transport, provider, loopback);
      result = await call();
    }
    const text = result.content?.filter((c) => c.type === 'text').map((c) => c.text).join('') ?? '';
    const tokens = provider.tokens();
    emit({ event: 'stepped_up', text, is_error: Boolean(result.isError), access_token: tokens.access_token,
      refresh_token: tokens.refresh_token ?? null, scope: tokens.scope ?? null });
    emit({ event: 'waiting', for: 'step-up|next' });
  }
  if (command === 'next') {
    seen.grant = null;
    seen.mcpStatus = null;
    seen.invalidated = [];
    try {
      await whoami(client);
    } catch (err) {
      log(err?.stack ?? err);
      emit(errorEvent(err));
      process.exit(1);
    }
  }
  await client.close().catch(() => {});
  process.exit(0);
} catch (err) {
  log(err?.stack ?? err);
  emit(errorEvent(err));
  process.exit(1);
}
