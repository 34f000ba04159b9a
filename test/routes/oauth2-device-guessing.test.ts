import t from 'tap';
import { buildEmptyApp, testKickstart } from '../helpers/build.js';

// RFC 8628 §5.1: a short user code is bounded against guessing. Unknown codes from one address, counted together
// across device/validate, device/user-code and the hosted page, lock that address out of user-code checks for the
// rest of the minute (oauth/user-code-guard.ts; docs/device-grant.md).
const TV = 'd9000000-0000-4000-8000-0000000000a1';
const SECRET = 'device-guessing-secret-0123456789abcdef';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const kickstart = testKickstart([
  {
    url: `/api/application/${TV}`,
    body: {
      application: {
        name: 'TV',
        oauthConfiguration: { clientSecret: SECRET, enabledGrants: [DEVICE_GRANT], deviceVerificationURL: 'http://localhost:9011/oauth2/device' },
      },
    },
  },
]);
const form = { 'content-type': 'application/x-www-form-urlencoded' };

t.test('after limits.failedLoginsPerAddress wrong user codes in a minute, even the right one waits', async (t) => {
  const app = await buildEmptyApp(t, { kickstart, limits: { failedLoginsPerAddress: 3 } });
  const started = await app.inject({ method: 'POST', url: '/oauth2/device_authorize', headers: form, payload: `client_id=${TV}` });
  const userCode = started.json().user_code as string;
  const validate = (code: string) => app.inject(`/oauth2/device/validate?client_id=${TV}&user_code=${code}`);
  t.equal((await validate(userCode)).statusCode, 200, 'a right code does not count');
  t.equal((await validate('WRONG1')).statusCode, 400);
  t.equal((await validate('WRONG2')).statusCode, 400);
  const userCodeCheck = await app.inject({
    method: 'POST',
    url: '/oauth2/device/user-code',
    headers: form,
    payload: `client_id=${TV}&client_secret=${SECRET}&user_code=WRONG3`,
  });
  t.equal(userCodeCheck.statusCode, 400, 'the third, at another endpoint, counts too');

  const locked = await validate(userCode);
  t.equal(locked.statusCode, 429);
  t.match(locked.json(), { error: 'temporarily_unavailable', error_reason: 'too_many_attempts' });
  t.ok(Number(locked.headers['retry-after']) > 0, 'with Retry-After');

  app.standin.control.clock.advance(61);
  t.equal((await validate(userCode)).statusCode, 200, 'the next minute, the right code works again');
});
