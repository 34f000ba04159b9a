import t from 'tap';
import { emailedLink, STORE_CLIENT_ID, loggedInToStore, openStoreLogin, startStoreWalk, submitLogin } from '../helpers/store-walk.js';

// Sign-up as a person does it, from the seed's store: "Create an account" on Standin's login page, the
// verification email read from the outbox, its link, and back in the store (docs/email-verification.md,
// docs/self-service-registration.md). The tenant gates unverified users, so the link is the way in.
const EMAIL = 'gilfoyle@example.com';
const PASSWORD = 'satanic-password-1';

t.test('sign up on /oauth2/register → verification email → link → logged in to the store', async (t) => {
  const walk = await startStoreWalk(t, 'walk-signup', {
    tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated' } } },
    application: { registrationConfiguration: { enabled: true, confirmPassword: true, firstName: { enabled: true, required: true } } },
  });
  if (!walk) return;
  const { page, api } = walk;
  let codeSent = false;
  page.on('request', (request) => {
    if (request.url().startsWith(`${walk.store}/oauth-redirect`)) codeSent = true;
  });

  await openStoreLogin(walk);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Email', { exact: true }).fill(EMAIL);
  await page.getByLabel('First name', { exact: true }).fill('Bertram');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();

  // Registered but unverified: the gate, not the store.
  await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
  t.notOk(codeSent, 'no code goes to the store before the address is verified');
  const created = await api(`/api/user?email=${encodeURIComponent(EMAIL)}`);
  t.equal(created.json.user.verified, false, 'the new user is unverified');
  t.same(
    created.json.user.registrations.map((r: { applicationId: string }) => r.applicationId),
    [STORE_CLIENT_ID],
    'and registered',
  );

  // The email, as a person opens it: a second tab.
  const link = await emailedLink(walk, EMAIL, 'emailVerification', '/email/verify/');
  const mail = await page.context().newPage();
  await mail.goto(link);
  await mail.getByRole('button', { name: 'Verify my email' }).click();
  await mail.getByText('Thank you. Your email has been verified.').waitFor();
  await mail.close();
  t.equal((await api(`/api/user?email=${encodeURIComponent(EMAIL)}`)).json.user.verified, true, 'verified by the link');

  // Back on the gate's tab: Continue retries the store's authorization request, and the user logs in.
  await page.getByRole('button', { name: 'Continue' }).click();
  await submitLogin(page, EMAIL, PASSWORD);
  await loggedInToStore(t, walk, EMAIL);
});
