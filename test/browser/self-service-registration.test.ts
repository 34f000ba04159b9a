import t from 'tap';
import { seedKickstart } from '../../examples/seed-kickstart.js';
import { STORE_CLIENT_ID } from '../../examples/store/store.js';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { urlReachedAfter } from '../helpers/hosted-login-page.js';
import { contrastOf } from '../helpers/contrast.js';

// Self-service registration in Chromium (docs/self-service-registration.md): from the store's authorize URL,
// "Create an account", the form filled in by its labels, field errors, and the store's redirect_uri with a code.
// SAVE_SCREENSHOTS=1 also writes the pictures the docs page shows to docs/screenshots/.
const STORE = 'http://localhost:3000';
const API_KEY = 'registration-browser-api-key-0123456789';
const save = process.env.SAVE_SCREENSHOTS === '1';

t.test('registering from the store login page, by keyboard and labels, on a desktop and a phone', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: seedKickstart({ store: STORE, forums: 'http://localhost:3001' }, 60, API_KEY),
  });
  t.teardown(() => standin.close());
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${standin.url}${path}`, { ...init, headers: { authorization: API_KEY, 'content-type': 'application/json' } });
  const patched = await api(`/api/application/${STORE_CLIENT_ID}`, {
    method: 'PATCH',
    body: JSON.stringify({
      application: { registrationConfiguration: { enabled: true, confirmPassword: true, firstName: { enabled: true, required: true } } },
    }),
  });
  t.equal(patched.status, 200);
  const authorize = new URLSearchParams({
    client_id: STORE_CLIENT_ID,
    redirect_uri: `${STORE}/oauth-redirect`,
    response_type: 'code',
    scope: 'openid offline_access email profile',
    state: 'store-state',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const shot = viewport.width === 375 ? 'phone' : 'desktop';
      await t.test(`registering in ${name}`, async (t) => {
        const context = await browser.newContext({ colorScheme, viewport });
        const page = await context.newPage();
        screenshotOnFailure(t, page, `register-${colorScheme}-${viewport.width}`);
        await page.goto(`${standin.url}/oauth2/authorize?${authorize}`);
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.waitForURL(/\/oauth2\/register\?/);
        t.equal(new URL(page.url()).searchParams.get('state'), 'store-state', `${name}: the OAuth parameters are carried`);

        // Labels, and one logical keyboard order starting at Email.
        for (const [label, field] of [
          ['Email', 'user.email'],
          ['First name', 'user.firstName'],
          ['Password', 'user.password'],
          ['Confirm password', 'passwordConfirm'],
        ]) {
          t.equal(await page.getByLabel(label!, { exact: true }).getAttribute('name'), field, `${name}: "${label}" labels ${field}`);
        }
        t.equal(await focusedId(page, 'email'), 'email', `${name}: Email has the focus`);
        if (save && colorScheme === 'light') await page.screenshot({ path: `docs/screenshots/register-${shot}.png`, fullPage: true });
        const order: string[] = [];
        for (let i = 0; i < 6; i++) {
          await page.keyboard.press('Tab');
          order.push(
            await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent.trim() || ''),
          );
        }
        t.same(order, ['user.firstName', 'user.password', 'passwordConfirm', 'rememberDevice', 'Register', 'Return to Login'], `${name}: Tab order`);
        for (const [selector, what] of [
          ['button.primary', 'the Register button'],
          ['label[for="email"]', 'the labels'],
          ['.subtitle', 'the subtitle'],
          ['.rules li', 'the password rules'],
          ['p.muted', 'the footnote'],
        ] as const) {
          t.ok((await contrastOf(page, selector)) >= 4.5, `${name}: ${what} meet WCAG AA contrast (4.5:1)`);
        }
        t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal scrolling`);

        // A short password: the error is next to the field, the rules are shown, what was typed is kept.
        const email = `${colorScheme}-${viewport.width}@example.com`;
        await page.getByLabel('Email', { exact: true }).fill(email);
        await page.getByLabel('First name', { exact: true }).fill('Monica');
        await page.getByLabel('Password', { exact: true }).fill('short');
        await page.getByLabel('Confirm password', { exact: true }).fill('short');
        await page.getByRole('button', { name: 'Register' }).click();
        await page.getByText('Password does not meet the minimum length requirement').waitFor();
        const password = page.getByLabel('Password', { exact: true });
        t.equal(await password.getAttribute('aria-invalid'), 'true', `${name}: the password is marked invalid`);
        t.match(await password.getAttribute('aria-describedby'), /password-error/, `${name}: and described by its error`);
        t.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email, `${name}: the email is kept`);
        t.ok((await contrastOf(page, '.field-error')) >= 4.5, `${name}: the field error meets WCAG AA contrast`);

        // An email that is taken.
        await page.getByLabel('Email', { exact: true }).fill('richard@example.com');
        await page.getByLabel('Password', { exact: true }).fill('long-enough');
        await page.getByLabel('Confirm password', { exact: true }).fill('long-enough');
        await page.getByRole('button', { name: 'Register' }).click();
        await page.getByText('An account already exists for that email').waitFor();
        if (save && colorScheme === 'light') await page.screenshot({ path: `docs/screenshots/register-errors-${shot}.png`, fullPage: true });

        // Then a good one, by keyboard: Enter submits, and the store gets a code.
        await page.getByLabel('Email', { exact: true }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill('long-enough');
        await page.getByLabel('Confirm password', { exact: true }).fill('long-enough');
        const back = await urlReachedAfter(page, `${STORE}/oauth-redirect`, () => page.keyboard.press('Enter'));
        t.match(back.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, `${name}: at the redirect_uri with a code`);
        t.equal(back.searchParams.get('state'), 'store-state');
        const user = (await (await api(`/api/user?email=${encodeURIComponent(email)}`)).json()) as {
          user: { firstName: string; registrations: Array<{ applicationId: string }> };
        };
        t.equal(user.user.firstName, 'Monica', `${name}: the user exists`);
        t.same(
          user.user.registrations.map((r) => r.applicationId),
          [STORE_CLIENT_ID],
          `${name}: registered to the store`,
        );
        await context.close();
      });
    }
  }
});
