#!/usr/bin/env node
// OAuth 2.0 Device Authorization Grant (RFC 8628) with openid-client, used exactly as published.
//
//   node device-grant.mjs ISSUER CLIENT_ID [--client-secret SECRET] [--scope SCOPE] [--resource URI]
//                         [--purpose TEXT] [--no-refresh] [--dpop] [--call URL]
//
// --dpop: the library's own DPoP support (RFC 9449): a fresh ES256 key, a proof on every token request, tokens bound
// to it. --call URL: after the tokens (and the refresh), GET URL with the access token through the library's
// fetchProtectedResource (with a proof when --dpop), and print {"event":"resource","status":..,"www_authenticate":..,"body":..}.
//
// ISSUER is the realm's issuer, e.g. http://127.0.0.1:8080/realms/proxyme-demo; the client discovers everything else
// from it (OpenID Connect Discovery). The secret may also come from the environment: OAUTH_CLIENT_SECRET. Without a
// secret the client is public (token_endpoint_auth_method "none").
//
// stdout, one JSON object per line:
//   {"event":"user_action","url":<verification_uri_complete>,"user_code":..,"verification_uri":..,"expires_in":..,"interval":..}
//   {"event":"tokens","access_token":..,"refresh_token":..,"expires_in":..,"scope":..,"token_type":..}
//   {"event":"refreshed","access_token":..,"refresh_token":..,"expires_in":..,"scope":..,"token_type":..}
//   {"event":"error","error":..,"error_description":..}   (then exit code 1)
// Diagnostics go to stderr.

import { parseArgs } from 'node:util';
import * as client from 'openid-client';

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function fail(error, description, extra = {}) {
  emit({ event: 'error', error, error_description: description ?? null, ...extra });
  process.exit(1);
}

function tokenEvent(event, tokens) {
  return {
    event,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token ?? null,
    expires_in: tokens.expires_in ?? null,
    scope: tokens.scope ?? null,
    token_type: tokens.token_type ?? null,
  };
}

// Maps whatever the library threw to the protocol's error event.
function reportError(err) {
  if (err instanceof client.ResponseBodyError) {
    // An OAuth error response (RFC 6749 §5.2, RFC 8628 §3.5): access_denied, expired_token, invalid_grant, ...
    fail(err.error, err.error_description, { status: err.status });
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    const challenge = err.cause?.[0]?.parameters ?? {};
    fail(challenge.error ?? 'invalid_token', challenge.error_description ?? err.message, { status: err.status });
  }
  if (err instanceof client.ClientError) {
    fail('client_error', `${err.code ?? ''} ${err.message}`.trim());
  }
  fail('client_error', err?.cause?.message ? `${err.message}: ${err.cause.message}` : String(err?.message ?? err));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'client-secret': { type: 'string' },
    scope: { type: 'string' },
    resource: { type: 'string' },
    purpose: { type: 'string' },
    'no-refresh': { type: 'boolean', default: false },
    dpop: { type: 'boolean', default: false },
    call: { type: 'string' },
  },
});

if (positionals.length !== 2) {
  process.stderr.write('usage: node device-grant.mjs ISSUER CLIENT_ID [--client-secret S] [--scope S] [--resource URI] [--purpose TEXT] [--no-refresh]\n');
  process.exit(2);
}
const [issuer, clientId] = positionals;
const clientSecret = values['client-secret'] ?? process.env.OAUTH_CLIENT_SECRET;

try {
  const issuerUrl = new URL(issuer);
  const options = {};
  // openid-client refuses plain http unless told; the test servers and bin/run listen on http://127.0.0.1.
  if (issuerUrl.protocol === 'http:') options.execute = [client.allowInsecureRequests];

  const config = await client.discovery(
    issuerUrl,
    clientId,
    clientSecret,
    clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
    options,
  );

  // Everything but scope is sent as it is; resource (RFC 8707) and purpose are plain extra form parameters.
  const deviceParameters = {};
  if (values.scope) deviceParameters.scope = values.scope;
  if (values.resource) deviceParameters.resource = values.resource;
  if (values.purpose) deviceParameters.purpose = values.purpose;

  const device = await client.initiateDeviceAuthorization(config, deviceParameters);
  emit({
    event: 'user_action',
    url: device.verification_uri_complete ?? device.verification_uri,
    user_code: device.user_code,
    verification_uri: device.verification_uri,
    expires_in: device.expires_in,
    interval: device.interval ?? null,
  });

  // The library waits `interval` seconds between polls and handles authorization_pending and slow_down itself.
  // RFC 8707 §2.2: the resource goes to the token endpoint too.
  const tokenParameters = values.resource ? { resource: values.resource } : undefined;
  const dpop = values.dpop ? { DPoP: client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256')) } : undefined;
  const tokens = await client.pollDeviceAuthorizationGrant(config, device, tokenParameters, dpop);
  emit(tokenEvent('tokens', tokens));
  let current = tokens;

  if (!values['no-refresh']) {
    if (!tokens.refresh_token) fail('no_refresh_token', 'The token response carried no refresh_token');
    current = await client.refreshTokenGrant(config, tokens.refresh_token, tokenParameters, dpop);
    emit(tokenEvent('refreshed', current));
  }
  if (values.call) {
    const response = await client.fetchProtectedResource(config, current.access_token, new URL(values.call), 'GET',
      undefined, undefined, dpop);
    emit({ event: 'resource', status: response.status, www_authenticate: response.headers.get('www-authenticate'),
      body: await response.text() });
  }
  process.exit(0);
} catch (err) {
  process.stderr.write(`device-grant: ${err?.stack ?? err}\n`);
  reportError(err);
}
