import t from 'tap';
import { seedKickstart } from '../../examples/seed-kickstart.js';
import { STORE_CLIENT_ID } from '../../examples/store/store.js';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';

// An advanced registration form in Chromium (docs/custom-forms.md): two steps made with the Form Field and Forms
// APIs, filled in by their labels and the keyboard, a select, a checkbox list and a yes-or-no checkbox, and the
// store's redirect_uri with a code. SAVE_SCREENSHOTS=1 also writes the pictures the docs page shows.
const STORE = 'http://localhost:3000';
const API_KEY = 'advanced-registration-api-key-0123456789';
const save = process.env.SAVE_SCREENSHOTS === '1';

t.test('registering through a two-step form, by labels and keyboard, on a desktop and a phone', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: seedKickstart({ store: STORE, forums: 'http://localhost:3001' }, 60, API_KEY),
  });
  t.teardown(() => standin.close());
  const api = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${standin.url}${path}`, {
      method,
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    t.ok(response.ok, `${method} ${path}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const field = async (body: object) => ((await api('POST', '/api/form/field', { field: body })).field as { id: string }).id;
  const stepOne = [
    await field({ name: 'Email', key: 'user.email', required: true }),
    await field({ name: 'Password', key: 'user.password', required: true, confirm: true }),
    await field({ name: 'Company', key: 'user.data.company', required: true }),
  ];
  const stepTwo = [
    await field({ name: 'Plan', key: 'registration.data.plan', control: 'select', options: ['Free', 'Pro'], required: true }),
    await field({ name: 'Interests', key: 'user.data.interests', control: 'checkbox', options: ['Compression', 'Video'] }),
    await field({ name: 'Send me the newsletter', key: 'user.data.newsletter', type: 'bool', control: 'checkbox' }),
  ];
  const form = (
    (await api('POST', '/api/form', { form: { name: 'Store sign-up', steps: [{ fields: stepOne }, { fields: stepTwo }] } })).form as { id: string }
  ).id;
  await api('PATCH', `/api/application/${STORE_CLIENT_ID}`, {
    application: { registrationConfiguration: { enabled: true, type: 'advanced', formId: form } },
  });
  const authorize = new URLSearchParams({
    client_id: STORE_CLIENT_ID,
    redirect_uri: `${STORE}/oauth-redirect`,
    response_type: 'code',
    scope: 'openid offline_access',
    state: 'store-state',
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
        screenshotOnFailure(t, page, `register-advanced-${colorScheme}-${viewport.width}`);
        await page.goto(`${standin.url}/oauth2/authorize?${authorize}`);
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.getByText('Step 1 of 2').waitFor();
        t.equal(await focusedId(page, 'user_email'), 'user_email', `${name}: the first field has the focus`);
        const email = `${colorScheme}-${viewport.width}@example.com`;
        await page.getByLabel('Email', { exact: true }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill('long-enough');
        await page.getByLabel('Confirm password', { exact: true }).fill('different');
        await page.getByLabel('Company', { exact: true }).fill('Pied Piper');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByText("Passwords don't match").waitFor();
        t.equal(await page.getByLabel('Company', { exact: true }).inputValue(), 'Pied Piper', `${name}: what was typed is kept`);
        await assertReadable(t, page, name, ['label[for="user_email"]', '.field-error', 'p.step', '.subtitle']);
        if (save && colorScheme === 'light') await page.screenshot({ path: `docs/screenshots/register-advanced-errors-${shot}.png`, fullPage: true });

        await page.getByLabel('Password', { exact: true }).fill('long-enough');
        await page.getByLabel('Confirm password', { exact: true }).fill('long-enough');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByText('Step 2 of 2').waitFor();
        t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal scrolling`);
        if (save && colorScheme === 'light') await page.screenshot({ path: `docs/screenshots/register-advanced-${shot}.png`, fullPage: true });

        // Keyboard order on the second step: the select, the two interests, the newsletter, remember me, Register.
        const order: string[] = [];
        await page.getByLabel('Plan', { exact: true }).focus();
        for (let i = 0; i < 5; i++) {
          await page.keyboard.press('Tab');
          order.push(
            await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value || document.activeElement?.textContent.trim() || ''),
          );
        }
        t.same(order, ['Compression', 'Video', 'true', 'true', 'Register'], `${name}: Tab order`);
        await page.getByLabel('Plan', { exact: true }).selectOption('Pro');
        await page.getByLabel('Video', { exact: true }).check();
        await page.getByLabel('Send me the newsletter').check();
        const back = await urlReachedAfter(page, `${STORE}/oauth-redirect`, () => page.getByRole('button', { name: 'Register' }).click());
        t.match(back.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, `${name}: at the redirect_uri with a code`);
        const { user } = (await api('GET', `/api/user?email=${encodeURIComponent(email)}`)) as {
          user: { data: object; registrations: Array<{ applicationId: string; data: object }> };
        };
        t.same(user.data, { company: 'Pied Piper', interests: ['Video'], newsletter: true }, `${name}: the user's data`);
        t.same(user.registrations.find((one) => one.applicationId === STORE_CLIENT_ID)?.data, { plan: 'Pro' }, `${name}: the registration's`);
        await context.close();
      });
    }
  }
});
