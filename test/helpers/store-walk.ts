import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';
import { createSeedApp } from '../../examples/seed-app/create-seed-app.js';
import { seedKickstart } from '../../examples/seed-kickstart.js';
import { STORE_CLIENT_ID, storeOptions } from '../../examples/store/store.js';
import { startStandin, type Kickstart, type RunningStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from './chromium.js';

export const WALK_TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
export const WALK_API_KEY = 'store-walk-api-key-0123456789abcdef';
export { STORE_CLIENT_ID };

export interface StoreWalk {
  standin: RunningStandin;
  /** The seed's store app, listening on 127.0.0.1 (Standin is on `localhost`: two hosts, as in production). */
  store: string;
  page: Page;
  /** Standin's API with the walk's API key. */
  api: (path: string, method?: string, body?: unknown) => Promise<{ status: number; json: any }>;
}

/**
 * One email-flow walk in Chromium (docs/email-verification.md, docs/forgot-password-and-passwordless.md): Standin
 * seeded with the store and forums, the tenant and the store changed by `tenant` and `application`, the seed's
 * store app listening, and a fresh browser page. Undefined (with a notice) when Chromium is missing.
 */
export async function startStoreWalk(
  t: Test,
  name: string,
  changes: { tenant?: object; application?: object; requests?: Kickstart['requests'] } = {},
): Promise<StoreWalk | undefined> {
  const browser = await launchChromium(t);
  if (!browser) return undefined;
  const store = `http://127.0.0.1:${await freePort()}`;
  const seed = seedKickstart({ store, forums: 'http://127.0.0.1:1' }, 60, WALK_API_KEY);
  const requests = [
    ...(changes.tenant ? [{ method: 'PATCH' as const, url: `/api/tenant/${WALK_TENANT}`, body: { tenant: changes.tenant } }] : []),
    ...(seed.requests ?? []),
    ...(changes.application
      ? [{ method: 'PATCH' as const, url: `/api/application/${STORE_CLIENT_ID}`, body: { application: changes.application } }]
      : []),
    ...(changes.requests ?? []),
  ];
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: { ...seed, variables: { defaultTenantId: WALK_TENANT }, requests },
  });
  t.teardown(() => standin.close());
  const app = await createSeedApp(storeOptions({ standinUrl: standin.url, issuer: standin.issuer, publicUrl: store, now: Date.now }));
  await app.listen({ host: '127.0.0.1', port: Number(new URL(store).port) });
  t.teardown(() => app.close());
  const context = await browser.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  screenshotOnFailure(t, page, name);
  const api = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${standin.url}${path}`, {
      method,
      headers: { authorization: WALK_API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
  };
  return { standin, store, page, api };
}

/** From the store's start page to Standin's login page, as a person does it: the store's Log in button. */
export async function openStoreLogin(walk: StoreWalk): Promise<void> {
  await walk.page.goto(walk.store);
  await walk.page.getByRole('button', { name: 'Log in' }).click();
  await walk.page.getByRole('button', { name: 'Submit' }).waitFor();
}

/** Fills in and submits Standin's login form. */
export async function submitLogin(page: Page, loginId: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Login' }).fill(loginId);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Submit' }).click();
}

/** Back on the store, logged in as `email`, with the store's cart loaded through the JWT it got. */
export async function loggedInToStore(t: Test, walk: StoreWalk, email: string): Promise<void> {
  await walk.page.getByText(`Logged in as ${email}`).waitFor();
  t.equal(new URL(walk.page.url()).origin, walk.store, `back on the store as ${email}`);
  await walk.page.getByText('1 × Standin mug').waitFor();
}

/** The first link in the newest email of `type` to `to`, read from the outbox. */
export async function emailedLink(walk: StoreWalk, to: string, type: string, path: string): Promise<string> {
  const email = await walk.standin.waitForEmail({ to, type });
  const link = email.links.find((one) => new URL(one).pathname.startsWith(path));
  if (!link) throw new Error(`no ${path} link in the ${type} email to ${to}: ${email.links.join(' ')}`);
  return link;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}
