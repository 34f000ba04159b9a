import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { contrastOf } from '../helpers/contrast.js';
import { oauthLogin } from '../helpers/e2e-oauth-login.js';
import { QUICKSTART_APP, QUICKSTART_SECRET } from '../helpers/fixtures.js';

const KEY = 'inspect-browser-key-0123456789-abcdefghijklmnopqrstuvwxyz';

t.test('the inspect page reads on a phone: no horizontal scrolling, AA contrast, a working JWT decoder', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({ passwordHashing: 'fast' });
  t.teardown(() => standin.close());
  standin.app.standin.stores.apiKeys.insert({ id: 'bbbbbbbb-0000-4000-8000-000000000002', insertInstant: 0 }, KEY);
  // Something to show: an SSO session and a refresh token family, with long ids and URLs.
  const tokens = await oauthLogin(
    { url: standin.url, clientId: QUICKSTART_APP, clientSecret: QUICKSTART_SECRET, redirectUri: 'http://localhost:3000' },
    { loginId: 'richard@example.com', password: 'password' },
  );

  for (const colorScheme of ['light', 'dark'] as const) {
    const name = `${colorScheme} 375px`;
    const context = await browser.newContext({ colorScheme, viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    const errors: string[] = [];
    // CSP violations are console errors; the browser's own favicon request is Standin's 404, not the page's.
    page.on('console', (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && errors.push(message.text()));
    screenshotOnFailure(t, page, `inspect-page-${colorScheme}-375`);
    await page.goto(`${standin.url}/_standin/inspect?key=${KEY}`);

    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inspect', `${name}: the page opens with the key`);
    for (const heading of ['Applications', 'Users', 'Live SSO sessions', 'Refresh token families', 'JWT decoder']) {
      t.ok(await page.getByRole('heading', { level: 2, name: new RegExp(`^${heading}`) }).isVisible(), `${name}: the ${heading} section`);
    }
    t.ok(await page.getByText('richard@example.com · Example app').isVisible(), `${name}: the refresh token family names its user and client`);
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal scrolling`);
    for (const [selector, what] of [
      ['h1', 'the title'],
      ['.inspect h3', 'card titles'],
      ['.inspect dt', 'labels'],
      ['.inspect dd', 'values'],
      ['.inspect p.muted', 'notes'],
      ['button.primary', 'the Decode button'],
    ] as const) {
      t.ok((await contrastOf(page, selector)) >= 4.5, `${name}: ${what} meet WCAG AA contrast (4.5:1)`);
    }

    await page.getByLabel('JWT').fill(tokens.access_token);
    await page.getByRole('button', { name: 'Decode' }).click();
    await page.getByText('verified', { exact: true }).waitFor();
    t.ok((await contrastOf(page, '.tag.ok')) >= 4.5, `${name}: the verified tag meets AA contrast`);
    t.ok(await page.getByText('not expired').isVisible(), `${name}: the expiry`);
    t.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `${name}: no horizontal scrolling with the decoded token`,
    );
    t.same(errors, [], `${name}: no console errors (CSP violations among them)`);
    await context.close();
  }
});
