// `npm run screenshots`: the hosted pages as a person sees them, at a desktop and a phone width, into
// docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { atEachWidth, OUT } from './screenshot-browser.js';

const query = new URLSearchParams({
  client_id: 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e',
  redirect_uri: 'http://localhost:3000',
  response_type: 'code',
  scope: 'openid',
  state: 'docs',
});

const standin = await startStandin({ passwordHashing: 'fast' });
await atEachWidth(async ({ device, page }) => {
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await page.screenshot({ path: `${OUT}login-${device}.png` });
  await page.getByRole('textbox', { name: 'Login' }).fill('richard@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Invalid login credentials.').waitFor();
  await page.screenshot({ path: `${OUT}wrong-password-${device}.png` });
  await page.goto(
    `${standin.url}/oauth2/authorize?client_id=e9fdb985-9173-4e01-9d73-ac2d60d1dc8e&redirect_uri=https://evil.example/&response_type=code`,
  );
  await page.screenshot({ path: `${OUT}authorize-error-${device}.png` });
});
await standin.close();
process.stdout.write(`screenshots written to ${OUT}\n`);
