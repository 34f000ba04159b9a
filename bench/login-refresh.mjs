// A whole login (authorize → POST credentials → code → token) and /api/jwt/refresh, each sequentially over
// real HTTP on loopback against an in-process Standin with the default seed and standard argon2id cost.
// Reports the median per request and the resulting rate. Usage: node bench/login-refresh.mjs [rounds]
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startStandin } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 200);
const APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const SECRET = 'super-secret-secret-that-should-be-regenerated-for-production';
const REDIRECT = 'http://localhost:3000';
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

const standin = await startStandin({ passwordHashing: 'standard', logLevel: 'warn' });
const hidden = (html) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));

async function login() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({ client_id: APP, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
  const page = await fetch(`${standin.url}/oauth2/authorize?${query}`);
  const csrf = page.headers.getSetCookie().find((c) => c.startsWith('standin.csrf=')).split(';')[0];
  const form = new URLSearchParams({ ...hidden(await page.text()), loginId: 'richard@example.com', password: 'password' });
  const posted = await fetch(`${standin.url}/oauth2/authorize`, { method: 'POST', redirect: 'manual', headers: { cookie: csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  const code = new URL(posted.headers.get('location')).searchParams.get('code');
  const token = await fetch(`${standin.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${APP}:${SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`token ${token.status}`);
  return (await token.json()).refresh_token;
}

async function refresh(refreshToken) {
  const response = await fetch(`${standin.url}/api/jwt/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
  if (response.status !== 200) throw new Error(`refresh ${response.status}`);
  return (await response.json()).refreshToken;
}

async function measure(fn) {
  for (let i = 0; i < 10; i++) await fn(); // warm up
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return { median, p90: samples[Math.floor(samples.length * 0.9)], perSecond: 1000 / median };
}

let refreshToken = await login();
const results = {
  'full login (authorize, POST credentials, code, token)': await measure(login),
  '/api/jwt/refresh (Reusable)': await measure(async () => {
    refreshToken = await refresh(refreshToken);
  }),
};
await standin.close();

console.log(`Sequential, ${rounds} rounds each, over loopback HTTP (${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version})`);
console.log('scenario'.padEnd(58), 'median ms', '  p90 ms', '  per s');
for (const [name, { median, p90, perSecond }] of Object.entries(results)) {
  console.log(name.padEnd(58), median.toFixed(2).padStart(9), p90.toFixed(2).padStart(8), perSecond.toFixed(0).padStart(7));
}
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}login-refresh.json`, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, results }, null, 2));
