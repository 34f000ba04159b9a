import t from 'tap';
import { focusedId } from '../helpers/chromium.js';
import { assertReadable } from '../helpers/contrast.js';
import { loggedInToStore, openStoreLogin, startStoreWalk, STORE_CLIENT_ID, submitLogin } from '../helpers/store-walk.js';

// The registration gate in Chromium, from the seed's store (docs/email-verification.md): the store verifies
// registrations and gates them, so a user whose registration is unverified is stopped after the password, types
// the emailed code (FormField), and is back at the login of the same request. STANDIN_SAVE_SCREENSHOTS=1 writes
// docs/screenshots/registration-gate-*.png.
const EMAIL = 'russ@example.com';
const PASSWORD = 'three-comma-club-1';

t.test('an unverified registration meets the registration gate; the emailed code lets the user in', async (t) => {
  const walk = await startStoreWalk(t, 'registration-gate', {
    application: { verifyRegistration: true, verificationStrategy: 'FormField', unverified: { behavior: 'Gated' } },
    requests: [
      { url: '/api/user/registration', body: { user: { email: EMAIL, password: PASSWORD }, registration: { applicationId: STORE_CLIENT_ID } } },
    ],
  });
  if (!walk) return;
  const { page } = walk;
  await openStoreLogin(walk);
  await submitLogin(page, EMAIL, PASSWORD);
  await page.getByRole('heading', { name: 'Verify your registration' }).waitFor();
  t.match(await page.textContent('main'), /You must verify your registration before you continue to Store/);
  t.equal(await focusedId(page, 'oneTimeCode'), 'oneTimeCode', 'the code field has the focus');
  await page.getByLabel('Verification code').fill('WRONG9');
  await page.keyboard.press('Enter');
  await page.getByText('The verification code is invalid or has expired.').waitFor();
  for (const viewport of [
    { width: 1280, height: 800, name: 'desktop' },
    { width: 375, height: 740, name: 'phone' },
  ]) {
    await page.setViewportSize(viewport);
    await assertReadable(t, page, viewport.name, ['.alert', 'button.primary', 'button.pick', 'label[for="oneTimeCode"]', '.subtitle']);
    if (process.env.STANDIN_SAVE_SCREENSHOTS === '1')
      await page.screenshot({ path: `docs/screenshots/registration-gate-${viewport.name}.png`, fullPage: true });
  }

  const { verificationOneTimeCode } = await walk.standin.waitForEmail({ to: EMAIL, type: 'registrationVerification' });
  await page.getByLabel('Verification code').fill(verificationOneTimeCode!);
  await page.keyboard.press('Enter');
  await submitLogin(page, EMAIL, PASSWORD);
  await loggedInToStore(t, walk, EMAIL);
});
