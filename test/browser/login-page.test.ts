import t from 'tap';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';

const APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const authorizeQuery = new URLSearchParams({
  client_id: APP,
  redirect_uri: 'http://localhost:3000',
  response_type: 'code',
  scope: 'openid',
  state: 'a11y',
});

t.test('the login page: labels, focus order, keyboard submit, contrast, and a phone-width layout', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({ passwordHashing: 'fast' });
  t.teardown(() => standin.close());

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      screenshotOnFailure(t, page, `login-page-${colorScheme}-${viewport.width}`);
      await page.goto(`${standin.url}/oauth2/authorize?${authorizeQuery}`);

      // Every input has its label; the form is in one logical order, starting at Login.
      t.equal(await page.getByLabel('Login').getAttribute('name'), 'loginId', `${name}: "Login" labels loginId`);
      t.equal(await page.getByLabel('Password').getAttribute('name'), 'password', `${name}: "Password" labels password`);
      t.equal(await page.getByLabel('Keep me signed in').getAttribute('name'), 'rememberDevice', `${name}: the checkbox is labelled`);
      t.equal(await focusedId(page, 'loginId'), 'loginId', `${name}: Login has the focus`);
      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent || ''));
      }
      t.same(order, ['password', 'rememberDevice', 'Submit'], `${name}: Tab goes Login → Password → Keep me signed in → Submit`);

      // The Submit button, the labels, the subtitle, the footnote and the header line.
      await assertReadable(t, page, name, ['button.primary', 'label[for="loginId"]', '.subtitle', 'p.muted', 'header span']);

      // The keyboard alone logs in: type, then Enter.
      if (viewport.width === 375) {
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.type('richard@example.com');
        await page.keyboard.press('Tab');
        await page.keyboard.type('wrong password');
        await page.keyboard.press('Enter');
        await page.getByText('Invalid login credentials.').waitFor();
        t.equal(await focusedId(page, 'password'), 'password', `${name}: after a wrong password the Password field has the focus`);
        await page.keyboard.type('password');
        const redirected = await urlReachedAfter(page, 'http://localhost:3000/', () => page.keyboard.press('Enter'));
        t.match(redirected.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, `${name}: Enter submits and logs in`);
      }
      await context.close();
    }
  }
});
