import t from 'tap';
import { emailedLink, loggedInToStore, openStoreLogin, startStoreWalk, submitLogin, STORE_CLIENT_ID } from '../helpers/store-walk.js';

// A Gated tenant in Chromium, from the seed's store (docs/email-verification.md): a user whose email is not
// verified logs in with the right password and is stopped at the gate; the store gets no code until the user
// follows the emailed link.
const EMAIL = 'dinesh@example.com';
const PASSWORD = 'dinesh-password-1';

t.test('a Gated tenant stops an unverified user at the gate, and lets them in once verified', async (t) => {
  const walk = await startStoreWalk(t, 'walk-gated', {
    tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated' } } },
    requests: [{ url: '/api/user/registration', body: { user: { email: EMAIL, password: PASSWORD }, registration: { applicationId: STORE_CLIENT_ID } } }],
  });
  if (!walk) return;
  const { page, api } = walk;
  let codes = 0;
  page.on('request', (request) => void (request.url().startsWith(`${walk.store}/oauth-redirect`) && codes++));

  await openStoreLogin(walk);
  await submitLogin(page, EMAIL, PASSWORD);
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  t.match(await page.textContent('main'), /You must verify your email address before you continue to Store/, 'the gate, not the store');
  t.equal(new URL(page.url()).origin, walk.standin.url, 'the browser stays on Standin');

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
