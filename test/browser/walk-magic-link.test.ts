import t from 'tap';
import { DEMO_USER } from '../../examples/seed-kickstart.js';
import { emailedLink, loggedInToStore, openStoreLogin, startStoreWalk } from '../helpers/store-walk.js';

// A magic link as a person uses it, from the seed's store: "Log in with a magic link" on Standin's login page,
// the email read from the outbox, its link, and back in the store (docs/forgot-password-and-passwordless.md).
t.test('magic link from the login page → email → link → logged in to the store', async (t) => {
  const walk = await startStoreWalk(t, 'walk-magic-link', { application: { passwordlessConfiguration: { enabled: true } } });
  if (!walk) return;
  const { page } = walk;

  await openStoreLogin(walk);
  await page.getByRole('link', { name: 'Log in with a magic link' }).click();
  await page.getByLabel('Email').fill(DEMO_USER.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByText('A message is on the way.').waitFor();

  const link = await emailedLink(walk, DEMO_USER.email, 'passwordless', '/oauth2/passwordless/');
  await page.goto(link);
  await loggedInToStore(t, walk, DEMO_USER.email);

  // One use: the same link again is refused, and the store keeps its login.
  const again = await page.context().newPage();
  t.equal((await again.goto(link))?.status(), 404, 'a used magic link is refused');
  await again.getByText('Your link has expired or is invalid. Please retry your request.').waitFor();
});
