import { randomUUID } from 'node:crypto';
import type { JWTConfiguration } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { KickstartError } from '../../src/kickstart/types.js';
import { assertFieldError, assertGeneralError, CLIENT_TENANT_ID, settle, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// Token-lifetime settings through @fusionauth/typescript-client: what FusionAuth's Tenant API refuses
// ("refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes": greater than 0, and at least
// refreshTokenTimeToLiveInMinutes under SlidingWindowWithMaximumLifetime), and the one-time-use grace period
// Standin cannot honour, refused with [NotModelled] rather than stored and ignored (docs/differences.md).
const { client } = await startClientStandin(t);
const MAXIMUM = 'refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes';
const slidingWithMaximum = (maximumTimeToLiveInMinutes: number): JWTConfiguration => ({
  refreshTokenTimeToLiveInMinutes: 600,
  refreshTokenExpirationPolicy: 'SlidingWindowWithMaximumLifetime' as never,
  refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes },
});
const oneTimeUseWithGrace = (gracePeriodInSeconds: number): JWTConfiguration => ({
  enabled: true,
  refreshTokenUsagePolicy: 'OneTimeUse' as never,
  refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds },
});
const tenantJwt = async () => (await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant!.jwtConfiguration!;

t.test('tenant: a maximum lifetime of 0 or less, or below the refresh token TTL, is [tooSmall]; the tenant is unchanged', async (t) => {
  const before = await tenantJwt();
  for (const maximum of [-10, 0, 60, 599]) {
    const answer = await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: slidingWithMaximum(maximum) } }));
    assertFieldError(t, answer, `tenant.jwtConfiguration.${MAXIMUM}`, 'tooSmall');
  }
  const notANumber = { ...slidingWithMaximum(0), refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 'x' as never } };
  assertFieldError(
    t,
    await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: notANumber } })),
    `tenant.jwtConfiguration.${MAXIMUM}`,
    'invalid',
  );
  t.same(await tenantJwt(), before, 'nothing was stored');

  const equal = await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: slidingWithMaximum(600) } });
  t.equal(equal.statusCode, 200, 'a maximum equal to the TTL is fine');
  t.equal(equal.response.tenant!.jwtConfiguration!.refreshTokenSlidingWindowConfiguration!.maximumTimeToLiveInMinutes, 600);
  // Back to FusionAuth's defaults for the other subtests.
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: before } });
});

t.test('application: create, update and patch check the maximum lifetime the same way', async (t) => {
  const field = `application.jwtConfiguration.${MAXIMUM}`;
  const jwtConfiguration = { enabled: true, ...slidingWithMaximum(60) };
  assertFieldError(t, await settle(client.createApplication(randomUUID(), { application: { name: 'Short', jwtConfiguration } })), field, 'tooSmall');
  assertFieldError(t, await settle(client.updateApplication(WEB_APP, { application: { name: 'Web', jwtConfiguration } })), field, 'tooSmall');
  assertFieldError(t, await settle(client.patchApplication(WEB_APP, { application: { jwtConfiguration } })), field, 'tooSmall');
  const created = await client.createApplication(randomUUID(), {
    application: { name: 'Long', jwtConfiguration: { enabled: true, ...slidingWithMaximum(600) } },
  });
  t.equal(created.statusCode, 200);
});

t.test('a one-time-use grace period above 0 is [NotModelled] on tenants and applications; 0 is fine', async (t) => {
  const before = await tenantJwt();
  assertGeneralError(
    t,
    await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: oneTimeUseWithGrace(30) } })),
    '[NotModelled]',
  );
  assertGeneralError(
    t,
    await settle(client.createApplication(randomUUID(), { application: { name: 'Grace', jwtConfiguration: oneTimeUseWithGrace(1) } })),
    '[NotModelled]',
  );
  assertGeneralError(
    t,
    await settle(client.patchApplication(WEB_APP, { application: { jwtConfiguration: oneTimeUseWithGrace(30) } })),
    '[NotModelled]',
  );
  t.same(await tenantJwt(), before, 'nothing was stored');
  t.equal((await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: oneTimeUseWithGrace(0) } })).statusCode, 200);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: before } });
});

t.test('a grace period kept under Reusable has no effect; switching that tenant to OneTimeUse is refused', async (t) => {
  const before = await tenantJwt();
  const reusable = await client.patchTenant(CLIENT_TENANT_ID, {
    tenant: { jwtConfiguration: { refreshTokenUsagePolicy: 'Reusable' as never, refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 30 } } },
  });
  t.equal(reusable.statusCode, 200, 'FusionAuth reads the grace period only for OneTimeUse');
  assertGeneralError(
    t,
    await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: { refreshTokenUsagePolicy: 'OneTimeUse' as never } } })),
    '[NotModelled]',
  );
  t.equal((await tenantJwt()).refreshTokenUsagePolicy, 'Reusable');
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: before } });
});

t.test('a kickstart that sets either fails start-up naming its request', async (t) => {
  const tenantId = 'c0000000-0000-4000-8000-00000000000c';
  const cases = [
    { jwtConfiguration: slidingWithMaximum(-10), expected: /requests\[0\] PATCH .* 400: .*tooSmall/ },
    { jwtConfiguration: oneTimeUseWithGrace(30), expected: /requests\[0\] PATCH .* 400: .*NotModelled/ },
  ];
  for (const { jwtConfiguration, expected } of cases) {
    const started = startStandin({
      passwordHashing: 'fast',
      logLevel: 'silent',
      kickstart: {
        variables: { defaultTenantId: tenantId },
        apiKeys: [{ key: 'lifetime-settings-key-0123456789abcdef' }],
        requests: [{ method: 'PATCH', url: `/api/tenant/${tenantId}`, body: { tenant: { jwtConfiguration } } }],
      },
    });
    const error = await started.then(
      async (standin) => {
        await standin.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    t.type(error, KickstartError);
    t.match((error as Error | undefined)?.message, expected);
  }
});
