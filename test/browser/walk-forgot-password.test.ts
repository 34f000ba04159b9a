import t from 'tap';
import { DEMO_USER } from '../../examples/seed-kickstart.js';
import { emailedLink, loggedInToStore, openStoreLogin, startStoreWalk, submitLogin } from '../helpers/store-walk.js';

// Forgot password as a person does it, from the seed's store: "Forgot your password?" on Standin's login page,
// the email read from the outbox, the change page, and back in the store with a code
// (docs/forgot-password-and-passwordless.md).
const NEW_PASSWORD = 'a-brand-new-password-7';

t.test('forgot password from the login page → email → change password → back in the store', async (t) => {
  const walk = await startStoreWalk(t, 'walk-forgot-password');
  if (!walk) return;
  const { page } = walk;

  await openStoreLogin(walk);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(DEMO_USER.email);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  const link = await emailedLink(walk, DEMO_USER.email, 'forgotPassword', '/password/change/');
  await page.goto(link);
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm password').fill(NEW_PASSWORD);
  let code: string | null = null;
  page.on('request', (request) => {
    if (request.url().startsWith(`${walk.store}/oauth-redirect`)) code = new URL(request.url()).searchParams.get('code');
  });
  await page.getByRole('button', { name: 'Submit' }).click();
  await loggedInToStore(t, walk, DEMO_USER.email);
  t.match(code, /^[A-Za-z0-9_-]{43}$/, 'the store got a code from the change page');

  // The link worked once; the old password no longer logs in, the new one does.
  t.equal((await page.goto(link))?.status(), 404, 'the emailed link is used up');
  const fresh = await page.context().browser()!.newContext();
  t.teardown(() => fresh.close());
  const other = await fresh.newPage();
  await other.goto(walk.store);
  await other.getByRole('button', { name: 'Log in' }).click();
  await submitLogin(other, DEMO_USER.email, DEMO_USER.password);
  await other.getByText('Invalid login credentials.').waitFor();
  await submitLogin(other, DEMO_USER.email, NEW_PASSWORD);
  await other.getByText(`Logged in as ${DEMO_USER.email}`).waitFor();
  t.pass('the new password logs in to the store in another browser');
});
