// Standin-specific helpers: a bench kickstart (the default seed plus a known API key and a second app),
// the hosted-form login, the SSO login of another app, and refresh policies.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSeed } from '../../dist/seed/default-seed.js';

export const APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
export const APP2 = '0b5c1f4e-2c7d-4a8e-9f10-b3e0d6a1c222';
export const SECRET = 'super-secret-secret-that-should-be-regenerated-for-production';
export const REDIRECT = 'http://localhost:3000';
export const USER_ID = '00000000-0000-0000-0000-111111111111';
export const API_KEY = 'bench-api-key-0123456789abcdefghijklmnopqrstuvwxyz';
export const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/**
 * The default seed with a known API key, a second application ("Second app", same redirect and secret)
 * and richard@example.com registered to it; `apps`/`users` add that many more of each (cold start).
 */
export function writeKickstart(dir, { apps = 0, users = 0 } = {}) {
  const seed = defaultSeed();
  seed.apiKeys = [{ key: API_KEY, description: 'bench' }];
  const appBody = (name) => ({
    application: {
      name,
      oauthConfiguration: {
        authorizedRedirectURLs: [REDIRECT],
        clientSecret: SECRET,
        enabledGrants: ['authorization_code', 'refresh_token'],
        generateRefreshTokens: true,
        requireRegistration: true,
      },
      jwtConfiguration: { enabled: true },
    },
  });
  seed.requests.push({ url: `/api/application/${APP2}`, body: appBody('Second app') });
  seed.requests.push({ url: `/api/user/registration/${USER_ID}`, body: { registration: { applicationId: APP2 } } });
  const extraApps = [];
  for (let i = 0; i < apps; i++) {
    const id = randomUUID();
    extraApps.push(id);
    seed.requests.push({ url: `/api/application/${id}`, body: appBody(`Bench app ${i}`) });
  }
  for (let i = 0; i < users; i++) {
    seed.requests.push({
      url: '/api/user/registration',
      body: {
        user: { email: `user${i}@example.com`, password: `password-${i}` },
        registration: { applicationId: extraApps[i % Math.max(1, apps)] ?? APP },
      },
    });
  }
  const file = join(dir, `kickstart-${apps}-${users}.json`);
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

const hidden = (html) =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
const cookieOf = (response, name) =>
  response.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(clientId, challenge) {
  return new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid offline_access',
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
}

async function exchange(url, clientId, code, verifier) {
  const token = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, SECRET) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`token ${token.status}: ${await token.text()}`);
  return token.json();
}

/** The whole login through the hosted form: authorize → POST credentials → code → token. */
export async function login(url, clientId = APP) {
  const { verifier, challenge } = pkce();
  const page = await fetch(`${url}/oauth2/authorize?${authorizeQuery(clientId, challenge)}`);
  const csrf = cookieOf(page, 'standin.csrf');
  const form = new URLSearchParams({ ...hidden(await page.text()), loginId: 'richard@example.com', password: 'password' });
  const posted = await fetch(`${url}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: csrf, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  await posted.arrayBuffer();
  const location = posted.headers.get('location');
  if (!location) throw new Error(`login POST answered ${posted.status} without a redirect`);
  const code = new URL(location).searchParams.get('code');
  const tokens = await exchange(url, clientId, code, verifier);
  return { refreshToken: tokens.refresh_token, sso: cookieOf(posted, 'fusionauth.sso') };
}

/** The SSO login of another app: authorize with the fusionauth.sso cookie → code → token. */
export async function ssoLogin(url, sso, clientId = APP2) {
  const { verifier, challenge } = pkce();
  const response = await fetch(`${url}/oauth2/authorize?${authorizeQuery(clientId, challenge)}`, { redirect: 'manual', headers: { cookie: sso } });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (!location) throw new Error(`SSO authorize answered ${response.status} without a redirect`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`SSO authorize redirected without a code: ${location}`);
  return (await exchange(url, clientId, code, verifier)).refresh_token;
}

export async function setPolicy(url, policy, applicationId = APP) {
  const response = await fetch(`${url}/api/application/${applicationId}`, {
    method: 'PATCH',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ application: { jwtConfiguration: { enabled: true, refreshTokenUsagePolicy: policy } } }),
  });
  if (response.status !== 200) throw new Error(`PATCH application ${response.status}: ${await response.text()}`);
}
