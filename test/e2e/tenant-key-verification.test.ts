import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';

// An API key bound to one tenant acts in that tenant only (FusionAuth API Keys API, `tenantId`), on the Verify
// Email and Verify Registration APIs too: it neither learns another tenant's verification ids nor marks its
// users verified. Through FusionAuth's TypeScript client.
const GLOBAL_KEY = 'verification-global-key-0123456789abcdef';
const BOUND_KEY = 'verification-bound-key-0123456789abcdefg';
const TENANT_A = 'b4000000-0000-4000-8000-00000000000a';
const TENANT_B = 'b4000000-0000-4000-8000-00000000000b';
const APP_B = 'b4000000-0000-4000-8000-0000000000b1';
const USER_B = 'b4000000-0000-4000-8000-0000000000e1';
const EMAIL_B = 'laurie@example.com';

t.test("a key bound to one tenant cannot start or complete another tenant's verifications", async (t) => {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: GLOBAL_KEY }, { key: BOUND_KEY, tenantId: TENANT_A }],
      requests: [
        { url: `/api/tenant/${TENANT_A}`, body: { tenant: { name: 'A' } } },
        { url: `/api/tenant/${TENANT_B}`, body: { tenant: { name: 'B', emailConfiguration: { verifyEmail: true } } } },
        { url: `/api/application/${APP_B}`, tenantId: TENANT_B, body: { application: { name: 'Raviga' } } },
        {
          url: `/api/user/registration/${USER_B}`,
          tenantId: TENANT_B,
          body: { user: { email: EMAIL_B, password: 'password1' }, registration: { applicationId: APP_B } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const bound = new FusionAuthClient(BOUND_KEY, standin.url);
  const global = new FusionAuthClient(GLOBAL_KEY, standin.url);

  const email = await settle(bound.resendEmailVerificationWithApplicationTemplate(APP_B, EMAIL_B));
  t.equal(email.statusCode, 400, "another tenant's application is not there for the bound key");
  t.notOk((email.response as { verificationId?: string } | undefined)?.verificationId, 'and no verification id comes back');
  t.equal((await settle(bound.resendRegistrationVerification(EMAIL_B, APP_B))).statusCode, 400);
  t.equal((await settle(bound.verifyEmailAddressByUserId({ userId: USER_B }))).statusCode, 404, 'nor is its user');

  const user = (await global.retrieveUser(USER_B)).response.user!;
  t.notOk(user.verified, 'the user is still unverified');
  t.equal((await global.verifyEmailAddressByUserId({ userId: USER_B })).statusCode, 200, 'a key of every tenant may');
});
