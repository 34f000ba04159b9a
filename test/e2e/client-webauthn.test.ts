import { join } from 'node:path';
import { FusionAuthClient, type WebAuthnCredential } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import {
  assertEmpty,
  assertFieldError,
  assertGeneralError,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  GILFOYLE_ID,
  RICHARD_ID,
  settle,
  startClientStandin,
  WEB_APP,
} from '../helpers/fixtures.js';
import { assert, importablePem, register, strangerKey, type Passkey } from '../helpers/software-authenticator.js';
import { authenticatorCode } from '../helpers/totp.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's WebAuthn API (https://fusionauth.io/docs/apis/webauthn) through @fusionauth/typescript-client against a
// listening Standin, with a software authenticator (test/helpers/software-authenticator.ts) in place of a browser.
const ORIGIN = 'https://store.example.com';
const RP_ID = 'example.com';
const OTHER_TENANT = 'b7d09513-a3f5-401c-9685-34ab6c5524b1';
const OTHER_USER = 'b7d09513-a3f5-401c-9685-34ab6c5524c1';
const BOUND_KEY = 'client-webauthn-bound-key-0123456789abcdef';
const UNKNOWN = 'b7d09513-a3f5-401c-9685-999999999999';
const WEBAUTHN_ON = {
  enabled: true,
  relyingPartyId: RP_ID,
  relyingPartyName: 'Store',
  bootstrapWorkflow: { enabled: true, authenticatorAttachmentPreference: 'any', userVerificationRequirement: 'required' },
  reauthenticationWorkflow: { enabled: true, authenticatorAttachmentPreference: 'platform', userVerificationRequirement: 'preferred' },
};

const start = (t: Parameters<typeof startClientStandin>[0]) =>
  startClientStandin(t, {
    apiKeys: [{ key: BOUND_KEY, tenantId: OTHER_TENANT }],
    requests: [
      { method: 'PATCH', url: `/api/tenant/${CLIENT_TENANT_ID}`, body: { tenant: { webAuthnConfiguration: WEBAUTHN_ON } } },
      { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other', webAuthnConfiguration: { enabled: true } } } },
      { url: `/api/user/${OTHER_USER}`, tenantId: OTHER_TENANT, body: { user: { email: 'other@example.com', password: 'password' } } },
    ],
  });

/** Registers a passkey for `userId` through start and complete; answers the stored credential and the passkey. */
async function registerPasskey(client: FusionAuthClient, userId = RICHARD_ID, format: 'none' | 'packed' = 'none') {
  const started = await client.startWebAuthnRegistration({ userId, displayName: 'Laptop', workflow: 'bootstrap' as never, userAgent: 'tap' });
  const { passkey, credential } = register(started.response.options as never, { origin: ORIGIN, format });
  const completed = await client.completeWebAuthnRegistration({ userId, origin: ORIGIN, credential: credential });
  return { passkey, credential: completed.response.credential!, options: started.response.options! };
}

async function startLogin(client: FusionAuthClient, body: Record<string, unknown> = {}) {
  const started = await client.startWebAuthnLogin({ applicationId: WEB_APP, userId: RICHARD_ID, workflow: 'bootstrap' as never, ...body });
  return started.response.options as { challenge: string; rpId?: string; allowCredentials: { id: string }[] };
}

const login = (
  client: FusionAuthClient,
  passkey: Passkey,
  options: { challenge: string },
  ceremony: Parameters<typeof assert>[2] = { origin: ORIGIN },
) => settle(client.completeWebAuthnLogin({ origin: ORIGIN, credential: assert(passkey, options, ceremony) }));

t.test('register, then log in with the passkey: a JWT that verifies against the JWKS, a refresh token, the user', async (t) => {
  const { client, url, issuer } = await start(t);
  const started = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Laptop', workflow: 'bootstrap' as never });
  const options = started.response.options!;
  t.match(options, {
    attestation: 'none',
    rp: { id: RP_ID, name: 'Store' },
    user: { displayName: 'Laptop', name: 'richard@example.com', id: Buffer.from(RICHARD_ID.replaceAll('-', ''), 'hex').toString('base64url') },
    authenticatorSelection: { userVerification: 'required' },
    excludeCredentials: [],
    timeout: 180000,
  });
  t.match(options.challenge, /^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url challenge');
  t.same(
    options.pubKeyCredParams!.map((p) => p.alg),
    [-7, -35, -36, -257, -258, -259, -37, -38, -39],
  );

  const { passkey, credential } = register(options, { origin: ORIGIN });
  const completed = await client.completeWebAuthnRegistration({ userId: RICHARD_ID, origin: ORIGIN, credential: credential });
  const stored = completed.response.credential!;
  t.match(stored, {
    userId: RICHARD_ID,
    tenantId: CLIENT_TENANT_ID,
    credentialId: passkey.credentialId,
    algorithm: -7,
    attestationType: 'none',
    authenticatorSupportsUserVerification: true,
    discoverable: true,
    displayName: 'Laptop',
    name: 'richard@example.com',
    relyingPartyId: RP_ID,
    signCount: 0,
    transports: ['internal'],
  });
  t.match(stored.publicKey, /^-----BEGIN PUBLIC KEY-----/);
  t.same((await client.retrieveWebAuthnCredential(stored.id!)).response.credential, stored);
  t.same((await client.retrieveWebAuthnCredentialsForUser(RICHARD_ID)).response.credentials, [stored]);

  const again = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Phone', workflow: 'general' as never });
  t.same(
    again.response.options!.excludeCredentials,
    [{ id: passkey.credentialId, transports: ['internal'], type: 'public-key' }],
    'the passkey is excluded',
  );

  const request = await startLogin(client, { state: { returnTo: '/cart' } });
  t.equal(request.rpId, RP_ID);
  t.same(
    request.allowCredentials.map((c) => c.id),
    [passkey.credentialId],
  );
  const answer = await login(client, passkey, request);
  t.equal(answer.statusCode, 200);
  const body = answer.response as { token: string; refreshToken?: string; user: { id: string }; state?: object };
  t.equal(body.user.id, RICHARD_ID);
  t.ok(body.refreshToken, 'a refresh token, as the application generates them');
  t.same(body.state, { returnTo: '/cart' }, 'the start’s state comes back');
  const { payload } = await jwtVerify(body.token, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)), { issuer, audience: WEB_APP });
  t.equal(payload.sub, RICHARD_ID);
  t.equal((await client.retrieveWebAuthnCredential(stored.id!)).response.credential!.signCount, 1, 'the counter is recorded');
  const recent = (await client.retrieveRecentLogins(0, 10)).response.logins ?? [];
  t.match(recent, [{ userId: RICHARD_ID, applicationId: WEB_APP }], 'the login is recorded as the Login API records one');

  const assertion = await startLogin(client, { workflow: 'reauthentication', credentialId: stored.id });
  const asserted = await client.completeWebAuthnAssertion({ origin: ORIGIN, credential: assert(passkey, assertion, { origin: ORIGIN }) });
  t.match(asserted.response.credential, { id: stored.id, signCount: 2 });
});

t.test('packed self-attestation is verified and recorded as self', async (t) => {
  const { client } = await start(t);
  const { credential } = await registerPasskey(client, RICHARD_ID, 'packed');
  t.equal(credential.attestationType, 'self');
});

t.test('a wrong challenge, origin, relying party, signature or counter is refused in FusionAuth’s error shape', async (t) => {
  const { client, running } = await start(t);
  const { passkey } = await registerPasskey(client);

  const options = await startLogin(client);
  t.test('a challenge Standin never issued', async (t) => {
    assertFieldError(t, await login(client, passkey, options, { origin: ORIGIN, challenge: 'bm90LWEtY2hhbGxlbmdl' }), 'credential', 'invalid');
  });
  t.test('a signature by another key', async (t) => {
    const fresh = await startLogin(client);
    assertFieldError(t, await login(client, passkey, fresh, { origin: ORIGIN, signWith: strangerKey() }), 'credential', 'invalid');
    // The challenge is spent by the failed attempt: the right signature cannot reuse it.
    assertFieldError(t, await login(client, passkey, fresh), 'credential', 'invalid');
  });
  t.test('the browser ran at another origin than the one the caller names', async (t) => {
    const fresh = await startLogin(client);
    assertFieldError(t, await login(client, passkey, fresh, { origin: 'https://evil.example.com' }), 'credential', 'invalid');
  });
  t.test('an origin not on the relying party id', async (t) => {
    const fresh = await startLogin(client);
    const answer = await settle(
      client.completeWebAuthnLogin({
        origin: 'https://evil.example.org',
        credential: assert(passkey, fresh, { origin: 'https://evil.example.org' }),
      }),
    );
    assertFieldError(t, answer, 'origin', 'invalid');
  });
  t.test('authenticator data for another relying party', async (t) => {
    const fresh = await startLogin(client);
    assertFieldError(t, await login(client, passkey, fresh, { origin: ORIGIN, rpId: 'store.example.com' }), 'credential', 'invalid');
  });
  t.test('a counter that did not grow', async (t) => {
    const fresh = await startLogin(client);
    t.equal((await login(client, passkey, fresh)).statusCode, 200);
    const replay = await startLogin(client);
    assertFieldError(t, await login(client, passkey, replay, { origin: ORIGIN, counter: passkey.counter }), 'credential', 'invalid');
  });
  t.test('a challenge used twice', async (t) => {
    const fresh = await startLogin(client);
    const credential = assert(passkey, fresh, { origin: ORIGIN });
    t.equal((await settle(client.completeWebAuthnLogin({ origin: ORIGIN, credential: credential }))).statusCode, 200);
    assertFieldError(t, await settle(client.completeWebAuthnLogin({ origin: ORIGIN, credential: credential })), 'credential', 'invalid');
  });
  t.test('a challenge past its time to live, on Standin’s clock', async (t) => {
    const fresh = await startLogin(client);
    running.clock.advance(181);
    assertFieldError(t, await login(client, passkey, fresh), 'credential', 'invalid');
  });
  t.test('a registration answering another challenge, or without user verification the bootstrap workflow requires', async (t) => {
    const started = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Key', workflow: 'bootstrap' as never });
    const wrong = register(started.response.options as never, { origin: ORIGIN, challenge: 'd3Jvbmc' });
    assertFieldError(
      t,
      await settle(client.completeWebAuthnRegistration({ userId: RICHARD_ID, origin: ORIGIN, credential: wrong.credential })),
      'credential',
      'invalid',
    );
    const again = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Key', workflow: 'bootstrap' as never });
    const unverified = register(again.response.options as never, { origin: ORIGIN, unverified: true });
    assertFieldError(
      t,
      await settle(client.completeWebAuthnRegistration({ userId: RICHARD_ID, origin: ORIGIN, credential: unverified.credential })),
      'credential',
      'invalid',
    );
  });
  t.test('an attestation format Standin does not verify says so', async (t) => {
    const started = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Key', workflow: 'general' as never });
    const u2f = register(started.response.options as never, { origin: ORIGIN, format: 'fido-u2f' });
    assertGeneralError(
      t,
      await settle(client.completeWebAuthnRegistration({ userId: RICHARD_ID, origin: ORIGIN, credential: u2f.credential })),
      '[NotModelled]',
    );
  });
  t.test('garbage in the browser’s answer is a 400, never a 500', async (t) => {
    const started = await client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Key', workflow: 'general' as never });
    const good = register(started.response.options as never, { origin: ORIGIN });
    const response = (good.credential as { response: { clientDataJSON: string } }).response;
    for (const credential of [
      { id: 'x', response: { attestationObject: 'not-cbor', clientDataJSON: response.clientDataJSON } },
      { id: 5, response: { attestationObject: { a: 1 }, clientDataJSON: { b: 2 } } },
      { id: 'x', response: { clientDataJSON: Buffer.from('{"challenge": 7}').toString('base64url') } },
    ]) {
      const answer = await settle(client.completeWebAuthnRegistration({ userId: RICHARD_ID, origin: ORIGIN, credential: credential as never }));
      assertFieldError(t, answer, 'credential', 'invalid');
    }
    const login = await settle(client.completeWebAuthnLogin({ origin: 'not a url', credential: { response: {} } }));
    assertFieldError(t, login, 'credential', 'invalid');
  });
  t.test('missing members are field errors', async (t) => {
    const registration = await settle(client.startWebAuthnRegistration({}));
    for (const [field, code] of [
      ['userId', 'missing'],
      ['displayName', 'blank'],
      ['workflow', 'missing'],
    ]) {
      assertFieldError(t, registration, field!, code!);
    }
    const complete = await settle(client.completeWebAuthnLogin({}));
    assertFieldError(t, complete, 'credential', 'missing');
    assertFieldError(t, complete, 'origin', 'blank');
    assertFieldError(t, await settle(client.startWebAuthnLogin({ userId: RICHARD_ID, workflow: 'bootstrap' as never })), 'applicationId', 'missing');
    assertFieldError(
      t,
      await settle(client.startWebAuthnLogin({ applicationId: WEB_APP, userId: RICHARD_ID, workflow: 'general' as never })),
      'workflow',
      'invalid',
    );
  });
});

t.test('unknown ids are empty 404s; a tenant without WebAuthn refuses ceremonies', async (t) => {
  const { client, url } = await start(t);
  assertEmpty(t, await settle(client.retrieveWebAuthnCredential(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.deleteWebAuthnCredential(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.retrieveWebAuthnCredentialsForUser(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.deleteWebAuthnCredentialsForUser(UNKNOWN)), 404);
  t.same((await client.retrieveWebAuthnCredentialsForUser(GILFOYLE_ID)).response.credentials, [], 'a user with none has an empty list');
  assertEmpty(
    t,
    await settle(client.startWebAuthnLogin({ applicationId: WEB_APP, loginId: 'nobody@example.com', workflow: 'bootstrap' as never })),
    404,
  );

  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { webAuthnConfiguration: { enabled: false } } });
  assertGeneralError(
    t,
    await settle(client.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'Laptop', workflow: 'general' as never })),
    '[WebAuthnDisabled]',
  );
  // The tenant's WebAuthn is modelled now: turning it on through the Tenant API is accepted, not `[NotModelled]`.
  t.equal((await client.patchTenant(CLIENT_TENANT_ID, { tenant: { webAuthnConfiguration: { enabled: true } } })).statusCode, 200);
  const page = await fetch(`${url}/oauth2/webauthn?client_id=${WEB_APP}`);
  t.equal(page.status, 404, 'the hosted passkey page is not modelled');
  t.match(await page.json(), { error_reason: 'unknown', error_description: /does not model GET \/oauth2\/webauthn/ });
  const raw = await fetch(`${url}/api/webauthn/register/start`, {
    method: 'POST',
    body: '{',
    headers: { authorization: client.apiKey, 'content-type': 'application/json' },
  });
  t.equal(raw.status, 400, 'bad JSON is a 400');
});

t.test('delete one passkey, then all of a user’s', async (t) => {
  const { client } = await start(t);
  const first = await registerPasskey(client);
  const second = await registerPasskey(client);
  t.equal((await client.deleteWebAuthnCredential(first.credential.id!)).statusCode, 200);
  t.same(
    (await client.retrieveWebAuthnCredentialsForUser(RICHARD_ID)).response.credentials!.map((c) => c.id),
    [second.credential.id],
  );
  t.equal((await client.deleteWebAuthnCredentialsForUser(RICHARD_ID)).statusCode, 200);
  t.same((await client.retrieveWebAuthnCredentialsForUser(RICHARD_ID)).response.credentials, []);
  // A deleted passkey logs no one in.
  const options = await startLogin(client);
  t.same(options.allowCredentials, []);
  assertFieldError(t, await login(client, second.passkey, options), 'credential', 'invalid');
  // A user's passkeys go with the user.
  const third = await registerPasskey(client, GILFOYLE_ID);
  await client.deleteUser(GILFOYLE_ID);
  assertEmpty(t, await settle(client.retrieveWebAuthnCredential(third.credential.id!)), 404);
});

t.test('import: passkeys are checked and stored all or none, and an imported one logs in', async (t) => {
  const { client: anyTenant, url } = await start(t);
  const { pem, privateKey } = importablePem();
  const passkeyFields = {
    algorithm: -7,
    credentialId: 'aW1wb3J0ZWQ',
    displayName: 'Old key',
    name: 'richard',
    publicKey: pem,
    relyingPartyId: RP_ID,
  };
  const unscoped = await settle(
    anyTenant.importWebAuthnCredential({ credentials: [{ ...passkeyFields, userId: RICHARD_ID }] as unknown as WebAuthnCredential[] }),
  );
  assertGeneralError(t, unscoped, '[TenantIdRequired]');
  const client = new FusionAuthClient(CLIENT_API_KEY, url, CLIENT_TENANT_ID);
  const bad = await settle(
    client.importWebAuthnCredential({
      credentials: [
        { ...passkeyFields, userId: RICHARD_ID },
        { ...passkeyFields, userId: UNKNOWN, algorithm: -8 as never, publicKey: 'not a key' },
      ] as unknown as WebAuthnCredential[],
    }),
  );
  assertFieldError(t, bad, 'credentials[1].userId', 'invalid');
  assertFieldError(t, bad, 'credentials[1].algorithm', 'invalid');
  assertFieldError(t, bad, 'credentials[1].credentialId', 'duplicate');
  t.same((await client.retrieveWebAuthnCredentialsForUser(RICHARD_ID)).response.credentials, [], 'nothing was stored');
  assertFieldError(t, await settle(client.importWebAuthnCredential({ credentials: [] })), 'credentials', 'missing');

  const id = 'B7D09513-A3F5-401C-9685-34AB6C5524D1';
  t.equal(
    (
      await client.importWebAuthnCredential({
        credentials: [{ ...passkeyFields, id, userId: RICHARD_ID, signCount: 5 }] as unknown as WebAuthnCredential[],
      })
    ).statusCode,
    200,
  );
  const imported = (await client.retrieveWebAuthnCredential(id)).response.credential!;
  t.match(imported, { id: id.toLowerCase(), attestationType: 'none', signCount: 5, transports: [], discoverable: false, tenantId: CLIENT_TENANT_ID });
  const passkey: Passkey = { credentialId: 'aW1wb3J0ZWQ', privateKey, counter: 5, userHandle: '' };
  t.equal((await login(client, passkey, await startLogin(client))).statusCode, 200, 'the imported public key verifies its assertions');
});

t.test('a tenant-bound key sees and changes its own tenant’s passkeys only', async (t) => {
  const { client, url } = await start(t);
  const { credential } = await registerPasskey(client);
  const bound = new FusionAuthClient(BOUND_KEY, url);
  assertEmpty(t, await settle(bound.retrieveWebAuthnCredential(credential.id!)), 404);
  assertEmpty(t, await settle(bound.deleteWebAuthnCredential(credential.id!)), 404);
  assertEmpty(t, await settle(bound.retrieveWebAuthnCredentialsForUser(RICHARD_ID)), 404);
  assertFieldError(
    t,
    await settle(bound.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'x', workflow: 'general' as never })),
    'userId',
    'invalid',
  );
  const { pem } = importablePem();
  const into = { algorithm: -7, credentialId: 'b3RoZXI', displayName: 'k', name: 'k', publicKey: pem, relyingPartyId: RP_ID };
  assertFieldError(
    t,
    await settle(bound.importWebAuthnCredential({ credentials: [{ ...into, userId: RICHARD_ID }] as unknown as WebAuthnCredential[] })),
    'credentials[0].userId',
    'invalid',
  );
  t.equal(
    (await bound.importWebAuthnCredential({ credentials: [{ ...into, userId: OTHER_USER }] as unknown as WebAuthnCredential[] })).statusCode,
    200,
  );
  t.equal((await bound.retrieveWebAuthnCredentialsForUser(OTHER_USER)).response.credentials!.length, 1);
  // A completion naming another tenant (the client sends no key there, only X-FusionAuth-TenantId) finishes nothing.
  const options = await startLogin(client);
  const { passkey } = await registerPasskey(client);
  const otherTenant = new FusionAuthClient(CLIENT_API_KEY, url, OTHER_TENANT);
  assertFieldError(
    t,
    await settle(otherTenant.completeWebAuthnLogin({ origin: ORIGIN, credential: assert(passkey, options, { origin: ORIGIN }) })),
    'credential',
    'invalid',
  );
});

t.test('a kickstart’s passkey import is replayed; a reset returns to it; passkeys survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-webauthn-');
  const db = join(dir, 'standin.db');
  const { pem } = importablePem();
  const API_KEY = 'client-webauthn-restart-key-0123456789ab';
  const USER = 'b7d09513-a3f5-401c-9685-34ab6c5524e1';
  const PASSKEY = 'b7d09513-a3f5-401c-9685-34ab6c5524f1';
  const kickstart = {
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/user/${USER}`, body: { user: { email: 'dinesh@example.com', password: 'password' } } },
      {
        url: '/api/webauthn/import',
        body: {
          credentials: [
            {
              id: PASSKEY,
              userId: USER,
              algorithm: -7,
              credentialId: 'a2lja3N0YXJ0',
              displayName: 'K',
              name: 'K',
              publicKey: pem,
              relyingPartyId: RP_ID,
            },
          ],
        },
      },
    ],
  };
  const first = await startStandin({ db, passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.same(first.app.seedReport.ignored, [], 'nothing was ignored');
  const client = new FusionAuthClient(API_KEY, first.url);
  t.match((await client.retrieveWebAuthnCredential(PASSKEY)).response.credential, { credentialId: 'a2lja3N0YXJ0' });
  await client.deleteWebAuthnCredential(PASSKEY);
  first.reset();
  t.equal((await client.retrieveWebAuthnCredential(PASSKEY)).statusCode, 200, 'the reset brought it back');
  await client.importWebAuthnCredential({
    credentials: [
      { userId: USER, algorithm: -7, credentialId: 'bGF0ZXI', displayName: 'L', name: 'L', publicKey: pem, relyingPartyId: RP_ID },
    ] as unknown as WebAuthnCredential[],
  });
  await first.close();

  const second = await startStandin({ db, passwordHashing: 'fast', logLevel: 'silent' });
  t.teardown(() => second.close());
  const again = new FusionAuthClient(API_KEY, second.url);
  t.same(
    (await again.retrieveWebAuthnCredentialsForUser(USER)).response.credentials!.map((c) => c.credentialId),
    ['a2lja3N0YXJ0', 'bGF0ZXI'],
  );
});

t.test('a user with a second factor gets the Login API’s 242, then logs in with the code', async (t) => {
  const { client, running } = await start(t);
  const { passkey } = await registerPasskey(client);
  const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
  const code = () => authenticatorCode(secret, running.clock.now());
  await client.enableTwoFactor(RICHARD_ID, { method: 'authenticator', code: code(), secretBase32Encoded: secret });
  running.clock.advance(30);
  const answer = await login(client, passkey, await startLogin(client));
  t.equal(answer.statusCode, 242);
  const { twoFactorId } = answer.response as { twoFactorId: string };
  const done = await client.twoFactorLogin({ twoFactorId, code: code(), applicationId: WEB_APP });
  t.equal(done.statusCode, 200);
  t.ok(done.response.token);
});

t.test('a key limited by endpoint reaches only the WebAuthn endpoints it lists', async (t) => {
  const READER = 'client-webauthn-reader-key-0123456789abc';
  const { url } = await startClientStandin(t, {
    apiKeys: [{ key: READER, permissions: { endpoints: { '/api/webauthn': ['GET'] } } } as never],
    requests: [{ method: 'PATCH', url: `/api/tenant/${CLIENT_TENANT_ID}`, body: { tenant: { webAuthnConfiguration: WEBAUTHN_ON } } }],
  });
  const reader = new FusionAuthClient(READER, url);
  t.same((await reader.retrieveWebAuthnCredentialsForUser(RICHARD_ID)).response.credentials, []);
  assertEmpty(t, await settle(reader.deleteWebAuthnCredentialsForUser(RICHARD_ID)), 401);
  assertEmpty(t, await settle(reader.startWebAuthnRegistration({ userId: RICHARD_ID, displayName: 'x', workflow: 'general' as never })), 401);
});

t.test("the tenant's login validation and MFA requirement lambdas decide a passkey login as they do a password one", async (t) => {
  const { client } = await start(t);
  const { passkey } = await registerPasskey(client);
  const validate = 'b7d09513-a3f5-401c-9685-34ab6c5524e1';
  const body = `function validate(result, user, registration, context) {
  result.errors.generalErrors = [{ code: '[Blocked]', message: context.authenticationType }];
}`;
  await client.createLambda(validate, { lambda: { name: 'Block', type: 'LoginValidation' as never, body } });
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: validate } } });
  const refused = await login(client, passkey, await startLogin(client));
  t.equal(refused.statusCode, 400);
  t.same(refused.exception, { fieldErrors: {}, generalErrors: [{ code: '[Blocked]', message: 'WEB_AUTHN' }] });

  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: null } } as never });
  const requirement = 'b7d09513-a3f5-401c-9685-34ab6c5524e2';
  const required = 'function checkRequired(result, user, registration, context) { result.required = true; }';
  await client.createLambda(requirement, { lambda: { name: 'Always', type: 'MFARequirement' as never, body: required } });
  await client.patchTenant(CLIENT_TENANT_ID, {
    tenant: { lambdaConfiguration: { multiFactorRequirementId: requirement }, multiFactorConfiguration: { authenticator: { enabled: true } } },
  });
  const forced = await login(client, passkey, await startLogin(client));
  t.equal(forced.statusCode, 242, 'the lambda requires a second factor the user has not set up: enrol');
  t.match(forced.response, { configurableMethods: ['authenticator'] });
});
