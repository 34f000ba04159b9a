import { fileURLToPath } from 'node:url';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// A kickstart shaped like the ones FusionAuth projects ship, which creates custom scopes with
// `POST api/application/#{applicationId}/scope`: Standin boots from it and a user logs in with them.
const KICKSTART = fileURLToPath(new URL('../fixtures/custom-scopes/kickstart.json', import.meta.url));
const API_KEY = 'custom-scopes-fixture-api-key-change-me-0123456789';
const APP = '5c1e2a0d-7f3b-4c8e-9a61-2f4d8b0c6e11';
const SECRET = 'custom-scopes-fixture-client-secret-0123456789';
const REDIRECT = 'http://localhost:3000/oauth-redirect';
const RICHARD = { loginId: 'richard@example.com', password: 'password' };

t.test('a kickstart that creates custom scopes boots, and its user logs in with them', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: KICKSTART });
  t.teardown(() => standin.close());

  const { application } = (await new FusionAuthClient(API_KEY, standin.url).retrieveApplication(APP)).response;
  t.match(application!.scopes, [
    { applicationId: APP, name: 'inventory:read', description: 'Read the inventory', defaultConsentMessage: 'View your inventory', required: false },
    { applicationId: APP, name: 'inventory:write', data: { audience: 'inventory-api' } },
  ]);

  const config = await client.discovery(new URL(standin.url), APP, SECRET, undefined, { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid offline_access profile inventory:read',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const { location, showedForm } = await createHttpBrowser().authorize(url.href, RICHARD);
  t.ok(showedForm, 'the hosted login page asked for the password');
  const tokens = await client.authorizationCodeGrant(config, new URL(location), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  t.equal(tokens.scope, 'openid offline_access profile inventory:read');
  const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`)), {
    issuer: standin.issuer,
    audience: APP,
  });
  t.equal(payload.scope, 'openid offline_access profile inventory:read');
  t.same(payload.roles, ['editor']);
  t.equal(tokens.claims()!.given_name, 'Richard', 'the profile scope gave the profile claims');

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid inventory:read' });
  t.equal(refreshed.scope, 'openid inventory:read');

  // The kickstart disabled the provided `address` scope and keeps the default `Reject`.
  const refused = await createHttpBrowser().authorize(
    client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid address',
      state: 's',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).href,
  );
  const error = new URL(refused.location).searchParams;
  t.equal(error.get('error'), 'invalid_scope');
  t.equal(error.get('error_reason'), 'unknown_scope');
});
