import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's OAuth Scopes API (https://fusionauth.io/docs/apis/scopes) through @fusionauth/typescript-client
// against a listening Standin: create, retrieve, update, patch, delete, and the documented refusals.
const API_KEY = 'client-oauth-scopes-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c5000000-0000-4000-8000-000000000001';
const OTHER_APP = 'c5000000-0000-4000-8000-000000000002';
const UNKNOWN = 'c5999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RESPONSE_MEMBERS = [
  'applicationId',
  'data',
  'defaultConsentDetail',
  'defaultConsentMessage',
  'description',
  'id',
  'insertInstant',
  'lastUpdateInstant',
  'name',
  'required',
];

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [
    { url: `/api/application/${APP}`, body: { application: { name: 'API' } } },
    { url: `/api/application/${OTHER_APP}`, body: { application: { name: 'Other' } } },
  ],
};

t.test('the OAuth Scopes API through the FusionAuth client', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  t.test('createOAuthScope with a random id answers the scope in FusionAuth’s shape', async (t) => {
    const created = await client.createOAuthScope(APP, NO_ID, {
      scope: {
        name: 'api:read',
        description: '  Read the API  ',
        required: true,
        defaultConsentMessage: 'Read',
        defaultConsentDetail: 'Reads things',
        data: { tier: 1 },
      },
    });
    t.equal(created.statusCode, 200);
    const scope = created.response.scope!;
    t.same(Object.keys(scope).sort(), RESPONSE_MEMBERS);
    t.match(scope, {
      applicationId: APP,
      name: 'api:read',
      description: 'Read the API',
      required: true,
      defaultConsentMessage: 'Read',
      defaultConsentDetail: 'Reads things',
      data: { tier: 1 },
    });
    t.match(scope.id, UUID);
    t.type(scope.insertInstant, 'number');
    t.equal(scope.insertInstant, scope.lastUpdateInstant);
    t.same((await client.retrieveOAuthScope(APP, scope.id!)).response, { scope }, 'retrieveOAuthScope reads it back');
  });

  t.test('createOAuthScope with an id; a minimal scope has data {} and required false and no empty texts', async (t) => {
    const id = 'c5000000-0000-4000-8000-0000000000a1';
    const scope = (await client.createOAuthScope(APP, id, { scope: { name: 'api:write', description: '   ' } })).response.scope!;
    t.same(scope, {
      applicationId: APP,
      data: {},
      id,
      insertInstant: scope.insertInstant,
      lastUpdateInstant: scope.insertInstant,
      name: 'api:write',
      required: false,
    });
  });

  t.test('the application lists its scopes by name in application.scopes', async (t) => {
    const { application } = (await client.retrieveApplication(APP)).response;
    t.same(
      application!.scopes!.map((scope) => scope.name),
      ['api:read', 'api:write'],
    );
    t.match(application!.oauthConfiguration, {
      unknownScopePolicy: 'Reject',
      scopeHandlingPolicy: 'Strict',
      relationship: 'FirstParty',
      consentMode: 'AlwaysPrompt',
      providedScopePolicy: {
        address: { enabled: true, required: false },
        email: { enabled: true, required: false },
        phone: { enabled: true, required: false },
        profile: { enabled: true, required: false },
      },
    });
    t.same((await client.retrieveApplication(OTHER_APP)).response.application!.scopes, [], 'another application has none');
  });

  t.test('refusals: reserved names and prefixes, bad characters, blank, too long, duplicates', async (t) => {
    for (const name of [
      'openid',
      'offline_access',
      'email',
      'profile',
      'phone',
      'address',
      'idp-link:x',
      'target-entity:x',
      'source-entity:y',
      'has space',
      'quo"te',
      'back\\slash',
      'é',
    ]) {
      assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { name } })), 'scope.name', 'invalid');
    }
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { name: '  ' } })), 'scope.name', 'blank');
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { description: 'no name' } })), 'scope.name', 'blank');
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { name: 'x'.repeat(192) } })), 'scope.name', 'tooLong');
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { name: 'api:read' } })), 'scope.name', 'duplicate');
    const taken = 'c5000000-0000-4000-8000-0000000000a1';
    assertFieldError(t, await settle(client.createOAuthScope(OTHER_APP, taken, { scope: { name: 'other' } })), 'scopeId', 'duplicate');
    assertFieldError(
      t,
      await settle(client.createOAuthScope(APP, NO_ID, { scope: { name: 'typed', required: 'yes' as never, data: 'x' as never } })),
      'scope.required',
      'invalid',
    );
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, { scope: { name: 'typed', data: 'x' as never } })), 'scope.data', 'invalid');
    assertFieldError(t, await settle(client.createOAuthScope(APP, NO_ID, {})), 'scope', 'blank');
    t.same(
      (await client.retrieveApplication(APP)).response.application!.scopes!.map((scope) => scope.name),
      ['api:read', 'api:write'],
      'nothing was written',
    );
  });

  t.test('an unknown application is a field error; an unknown scope a 404; no API key a 401', async (t) => {
    assertFieldError(t, await settle(client.createOAuthScope(UNKNOWN, NO_ID, { scope: { name: 'x' } })), 'applicationId', 'invalid');
    assertFieldError(t, await settle(client.retrieveOAuthScope(UNKNOWN, UNKNOWN)), 'applicationId', 'invalid');
    assertEmpty(t, await settle(client.retrieveOAuthScope(APP, UNKNOWN)), 404);
    assertEmpty(t, await settle(client.updateOAuthScope(APP, UNKNOWN, { scope: { name: 'x' } })), 404);
    assertEmpty(t, await settle(client.deleteOAuthScope(APP, UNKNOWN)), 404);
    const readId = (await client.retrieveApplication(APP)).response.application!.scopes![0]!.id!;
    assertEmpty(t, await settle(client.retrieveOAuthScope(OTHER_APP, readId)), 404); // a scope is found under its own application only
    assertEmpty(t, await settle(new FusionAuthClient('wrong-key', standin.url).retrieveOAuthScope(APP, readId)), 401);
  });

  t.test('updateOAuthScope replaces everything but the name; patchOAuthScope merges; the name never changes', async (t) => {
    const scope = (await client.createOAuthScope(APP, NO_ID, { scope: { name: 'reports', description: 'Reports', data: { a: 1 } } })).response.scope!;
    const put = (await client.updateOAuthScope(APP, scope.id!, { scope: { defaultConsentMessage: 'See reports', required: true } })).response.scope!;
    t.same(put, {
      applicationId: APP,
      data: {},
      defaultConsentMessage: 'See reports',
      id: scope.id,
      insertInstant: scope.insertInstant,
      lastUpdateInstant: put.lastUpdateInstant,
      name: 'reports',
      required: true,
    });
    const patched = (await client.patchOAuthScope(APP, scope.id!, { scope: { description: 'Monthly reports', data: { b: 2 } } })).response.scope!;
    t.match(patched, { name: 'reports', description: 'Monthly reports', defaultConsentMessage: 'See reports', required: true, data: { b: 2 } });
    const cleared = (await client.patchOAuthScope(APP, scope.id!, { scope: { description: null as never } })).response.scope!;
    t.notOk('description' in cleared, 'PATCH null removes a member');
    assertFieldError(t, await settle(client.updateOAuthScope(APP, scope.id!, { scope: { name: 'renamed' } })), 'scope.name', 'invalid');
    assertFieldError(t, await settle(client.patchOAuthScope(APP, scope.id!, { scope: { name: 'renamed' } })), 'scope.name', 'invalid');
    t.equal((await client.updateOAuthScope(APP, scope.id!, { scope: { name: 'reports' } })).statusCode, 200, 'the same name is fine');
    t.same((await client.retrieveOAuthScope(APP, scope.id!)).response.scope!.name, 'reports');
  });

  t.test('deleteOAuthScope removes it for good', async (t) => {
    const scope = (await client.createOAuthScope(APP, NO_ID, { scope: { name: 'temporary' } })).response.scope!;
    const deleted = await client.deleteOAuthScope(APP, scope.id!);
    t.equal(deleted.statusCode, 200);
    assertEmpty(t, await settle(client.retrieveOAuthScope(APP, scope.id!)), 404);
    t.notOk((await client.retrieveApplication(APP)).response.application!.scopes!.some((s) => s.name === 'temporary'));
    t.equal((await client.createOAuthScope(APP, NO_ID, { scope: { name: 'temporary' } })).statusCode, 200, 'the name is free again');
  });

  t.test('scopes belong to the application: kept by PUT and PATCH, created inline, gone with a hard delete', async (t) => {
    const id = 'c5000000-0000-4000-8000-000000000003';
    const created = await client.createApplication(id, {
      application: {
        name: 'Inline',
        scopes: [
          { name: 'b:one', description: 'B' },
          { name: 'a:two', required: true },
        ],
      },
    });
    t.equal(created.statusCode, 200);
    const inline = created.response.application!.scopes!;
    t.same(
      inline.map((scope) => scope.name),
      ['a:two', 'b:one'],
    );
    t.ok(inline.every((scope) => scope.applicationId === id && UUID.test(scope.id!)));
    const put = await client.updateApplication(id, { application: { name: 'Inline, replaced', scopes: [] } });
    t.same(put.response.application!.scopes, inline, 'PUT keeps the scopes');
    const patched = await client.patchApplication(id, { application: { oauthConfiguration: { unknownScopePolicy: 'Allow' as never } } });
    t.same(patched.response.application!.scopes, inline, 'PATCH keeps them too');
    assertFieldError(
      t,
      await settle(client.createApplication(NO_ID, { application: { name: 'Bad', scopes: [{ name: 'openid' }, { name: 'x' }, { name: 'x' }] } })),
      'application.scopes[0].name',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.createApplication(NO_ID, { application: { name: 'Bad', scopes: [{ name: 'x' }, { name: 'x' }] } })),
      'application.scopes[1].name',
      'duplicate',
    );
    t.equal((await client.deactivateApplication(id)).statusCode, 200);
    t.equal((await client.retrieveOAuthScope(id, inline[0]!.id!)).statusCode, 200, 'a deactivated application keeps its scopes');
    t.equal((await client.deleteApplication(id)).statusCode, 200, 'deleteApplication is the hard delete');
    const again = await client.createApplication(id, { application: { name: 'Inline again' } });
    t.same(again.response.application!.scopes, [], 'a hard delete took the scopes with the application');
    assertEmpty(t, await settle(client.retrieveOAuthScope(id, inline[0]!.id!)), 404);
  });

  t.test('scope policies are checked on the application', async (t) => {
    const bad = await settle(
      client.createApplication(NO_ID, {
        application: {
          name: 'Bad policies',
          oauthConfiguration: {
            unknownScopePolicy: 'Ignore' as never,
            relationship: 'Partner' as never,
            consentMode: 'Sometimes' as never,
            scopeHandlingPolicy: 'Loose' as never,
            providedScopePolicy: { email: { enabled: 'no' as never } },
          },
        },
      }),
    );
    for (const field of ['unknownScopePolicy', 'relationship', 'consentMode', 'scopeHandlingPolicy', 'providedScopePolicy.email.enabled']) {
      assertFieldError(t, bad, `application.oauthConfiguration.${field}`, 'invalid');
    }
    const partial = await client.createApplication(NO_ID, {
      application: { name: 'Partial', oauthConfiguration: { providedScopePolicy: { phone: { enabled: false } } } },
    });
    t.same(
      partial.response.application!.oauthConfiguration!.providedScopePolicy!.phone,
      { enabled: false, required: false },
      'a partial policy is filled from the defaults',
    );
  });

  t.test('X-FusionAuth-TenantId: another tenant does not see the application', async (t) => {
    const other = (await client.createTenant(NO_ID, { tenant: { name: 'Second' } })).response.tenant!.id!;
    const scoped = new FusionAuthClient(API_KEY, standin.url, other);
    const readId = (await client.retrieveApplication(APP)).response.application!.scopes![0]!.id!;
    assertFieldError(t, await settle(scoped.retrieveOAuthScope(APP, readId)), 'applicationId', 'invalid');
    const own = new FusionAuthClient(API_KEY, standin.url, TENANT);
    t.equal((await own.retrieveOAuthScope(APP, readId)).statusCode, 200, 'its own tenant does');
  });
});

t.test('scopes survive a restart of a file-backed Standin, and a reset returns to the kickstart’s', async (t) => {
  const folder = temporaryFolder(t, 'standin-scopes-');
  const db = join(folder, 'standin.db');
  const seeded = { ...kickstart, requests: [...kickstart.requests, { url: `api/application/${APP}/scope`, body: { scope: { name: 'seeded' } } }] };

  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db, kickstart: seeded });
  const client = new FusionAuthClient(API_KEY, first.url);
  const added = (await client.createOAuthScope(APP, NO_ID, { scope: { name: 'added', description: 'after start' } })).response.scope!;
  await first.close();

  const second = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db, kickstart: seeded });
  t.teardown(() => second.close());
  const again = new FusionAuthClient(API_KEY, second.url);
  t.same((await again.retrieveOAuthScope(APP, added.id!)).response.scope, added, 'the scope is there after the restart');
  t.same(
    (await again.retrieveApplication(APP)).response.application!.scopes!.map((scope) => scope.name),
    ['added', 'seeded'],
  );

  const memory = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: seeded });
  t.teardown(() => memory.close());
  const live = new FusionAuthClient(API_KEY, memory.url);
  const seededScope = (await live.retrieveApplication(APP)).response.application!.scopes![0]!;
  await live.deleteOAuthScope(APP, seededScope.id!);
  await live.createOAuthScope(APP, NO_ID, { scope: { name: 'extra' } });
  memory.reset();
  t.same((await live.retrieveApplication(APP)).response.application!.scopes, [seededScope], 'reset restores the kickstart’s scopes, and only those');
});
