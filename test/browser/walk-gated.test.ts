import t from 'tap';
import { assertReadable } from '../helpers/contrast.js';
import { emailedLink, loggedInToStore, openStoreLogin, startStoreWalk, submitLogin, STORE_CLIENT_ID } from '../helpers/store-walk.js';

// A Gated tenant in Chromium, from the seed's store (docs/email-verification.md): a user whose email is not
// verified logs in with the right password and is stopped at the gate; the store gets no code until the user
// follows the emailed link.
const EMAIL = 'dinesh@example.com';
const PASSWORD = 'dinesh-password-1';

t.test('a Gated tenant stops an unverified user at the gate, and lets them in once verified', async (t) => {
  const walk = await startStoreWalk(t, 'walk-gated', {
    tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated', allowEmailChangeWhenGated: true } } },
    requests: [
      { url: '/api/user/registration', body: { user: { email: EMAIL, password: PASSWORD }, registration: { applicationId: STORE_CLIENT_ID } } },
    ],
  });
  if (!walk) return;
  const { page, api } = walk;
  let codes = 0;
  page.on('request', (request) => {
    if (request.url().startsWith(`${walk.store}/oauth-redirect`)) codes++;
  });

  await openStoreLogin(walk);
  await submitLogin(page, EMAIL, PASSWORD);
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  t.match(await page.textContent('main'), /You must verify your email address before you continue to Store/, 'the gate, not the store');
  t.equal(new URL(page.url()).origin, walk.standin.url, 'the browser stays on Standin');
  // The gate's forms, by keyboard and labels, on a desktop and a phone (the login page's bar).
  t.equal(await page.getByLabel('Change email address').getAttribute('name'), 'email', 'the change-email field is labelled');
  const order: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent.trim() || ''),
    );
  }
  t.same(order, ['Continue', 'Send me another email', 'email', 'Change email'], 'Tab order');
  for (const viewport of [
    { width: 1280, height: 800, name: 'desktop' },
    { width: 375, height: 740, name: 'phone' },
  ]) {
    await page.setViewportSize(viewport);
    await assertReadable(t, page, viewport.name, ['button.primary', 'button.pick', 'label[for="new-email"]', '.subtitle']);
    if (process.env.STANDIN_SAVE_SCREENSHOTS === '1')
      await page.screenshot({ path: `docs/screenshots/email-gate-change-${viewport.name}.png`, fullPage: true });
  }

  // Logging in again from the store meets the same gate.
  await openStoreLogin(walk);
  await submitLogin(page, EMAIL, PASSWORD);
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  t.equal(codes, 0, 'the store got no code');

  // The gate's own way out: another email, and its link.
  walk.standin.clearEmails();
  await page.getByRole('button', { name: 'Send me another email' }).click();
  await page.getByText('A verification email is on the way.').waitFor();
  const link = await emailedLink(walk, EMAIL, 'emailVerification', '/email/verify/');
  await page.goto(link);
  await page.getByRole('button', { name: 'Verify my email' }).click();
  await page.getByText('Thank you. Your email has been verified.').waitFor();

  await openStoreLogin(walk);
  await submitLogin(page, EMAIL, PASSWORD);
  await loggedInToStore(t, walk, EMAIL);
  t.equal(codes, 1, 'one code, after verification');
  t.equal((await api(`/api/user?email=${encodeURIComponent(EMAIL)}`)).json.user.verified, true, 'verified');
});
