// `npx tsx docs/screenshots-two-factor.ts`: the hosted two-factor page as a person sees it, at a desktop and a
// phone width, into docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { chromium } from 'playwright-core';
import { startStandin } from '../src/index.js';

const OUT = new URL('./screenshots/', import.meta.url).pathname;
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'b1000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-00000000b001';
const KEY = 'screenshots-api-key-0123456789';
const query = new URLSearchParams({ client_id: STORE, redirect_uri: 'http://localhost:3000/callback', response_type: 'code', scope: 'openid', state: 'docs' });

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: KEY }],
    requests: [
      { url: `/api/application/${STORE}`, body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } } } },
      { url: `/api/user/registration/${USER}`, body: { user: { email: 'richard@example.com', password: 'password', firstName: 'Richard' }, registration: { applicationId: STORE } } },
    ],
  },
});
const api = (path: string, init: RequestInit = {}) => fetch(`${standin.url}${path}`, { ...init, headers: { authorization: KEY, 'content-type': 'application/json' } }).then((r) => r.json());
const { secretBase32Encoded } = (await api('/api/two-factor/secret')) as { secretBase32Encoded: string };
// Enrolment needs a code before Standin stores the secret: computed here as an authenticator app would (RFC 6238).
const { createHmac } = await import('node:crypto');
const key = Buffer.from(
  (secretBase32Encoded.split('').map((c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0')).join('').match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)),
);
const counter = Buffer.alloc(8);
counter.writeBigUInt64BE(BigInt(Math.floor(standin.clock.now() / 30_000)));
const mac = createHmac('sha1', key).update(counter).digest();
const code = String((mac.readUInt32BE(mac[19]! & 0xf) & 0x7fffffff) % 1_000_000).padStart(6, '0');
await api(`/api/user/two-factor/${USER}`, { method: 'POST', body: JSON.stringify({ method: 'authenticator', code, secretBase32Encoded }) });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
for (const [device, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 375, height: 740 }]] as const) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: device === 'phone' ? 2 : 1 });
  const shot = (name: string) => page.screenshot({ path: `${OUT}${name}-${device}.png`, fullPage: true });
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await page.getByLabel('Login').fill('richard@example.com');
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  await shot('two-factor');
  await page.getByLabel('Verification code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('Invalid verification code').waitFor();
  await shot('two-factor-invalid');
  await page.close();
}
await browser.close();
await standin.close();
