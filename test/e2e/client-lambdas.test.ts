import { FusionAuthClient, LambdaType, type Lambda } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';

// FusionAuth's Lambda API (https://fusionauth.io/docs/apis/lambdas) and Event Log API
// (https://fusionauth.io/docs/apis/event-logs) through @fusionauth/typescript-client against a listening Standin.
const API_KEY = 'client-lambdas-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c6000000-0000-4000-8000-000000000001';
const KNOWN = 'c6000000-0000-4000-8000-00000000000a';
const UNKNOWN = 'c6999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
const RESPONSE_MEMBERS = ['body', 'debug', 'engineType', 'id', 'insertInstant', 'lastUpdateInstant', 'name', 'type'];
const POPULATE = 'function populate(jwt, user, registration) {\n  jwt.favoriteColor = user.data.favoriteColor;\n}';

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [{ url: `/api/application/${APP}`, body: { application: { name: 'Lambdas' } } }],
};

t.test('the Lambda API through the FusionAuth client', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createLambda(NO_ID, { lambda: { name: 'Favorite color', type: LambdaType.JWTPopulate, body: POPULATE } });
  const withId = await client.createLambda(KNOWN, {
    lambda: { name: 'Reconcile', type: LambdaType.OpenIDReconcile, body: 'function reconcile(user, registration, jwt) {}', debug: true },
  });

  t.test('createLambda answers the lambda in FusionAuth’s shape, with or without an id', async (t) => {
    t.equal(created.statusCode, 200);
    const lambda = created.response.lambda!;
    t.same(Object.keys(lambda).sort(), RESPONSE_MEMBERS);
    t.match(lambda, { name: 'Favorite color', type: 'JWTPopulate', body: POPULATE, debug: false, engineType: 'GraalJS' });
    t.match(lambda.id, /^[0-9a-f-]{36}$/);
    t.equal(withId.response.lambda!.id, KNOWN);
    t.equal(withId.response.lambda!.debug, true);
    assertFieldError(
      t,
      await settle(client.createLambda(KNOWN, { lambda: { name: 'Again', type: LambdaType.JWTPopulate, body: POPULATE } })),
      'lambdaId',
      'duplicate',
    );
  });

  t.test('createLambda refuses a missing body, a blank name and an unknown type with FusionAuth’s codes', async (t) => {
    const answer = await settle(client.createLambda(NO_ID, { lambda: { name: ' ', type: 'Nope' as LambdaType } }));
    assertFieldError(t, answer, 'lambda.body', 'missing');
    assertFieldError(t, answer, 'lambda.name', 'blank');
    assertFieldError(t, answer, 'lambda.type', 'invalid');
    assertFieldError(t, await settle(client.createLambda(NO_ID, { lambda: { name: 'x', body: POPULATE } })), 'lambda.type', 'missing');
  });

  t.test('retrieveLambda, retrieveLambdas and retrieveLambdasByType', async (t) => {
    t.same((await client.retrieveLambda(KNOWN)).response.lambda, withId.response.lambda);
    const all = (await client.retrieveLambdas()).response.lambdas!.map((lambda: Lambda) => lambda.name);
    t.same(all, ['Favorite color', 'Reconcile'], 'every lambda, by name');
    const populate = (await client.retrieveLambdasByType(LambdaType.JWTPopulate)).response.lambdas!;
    t.same(
      populate.map((lambda: Lambda) => lambda.id),
      [created.response.lambda!.id],
    );
    t.same((await client.retrieveLambdasByType(LambdaType.UserInfoPopulate)).response.lambdas, []);
    assertEmpty(t, await settle(client.retrieveLambda(UNKNOWN)), 404);
  });

  t.test('searchLambdas matches name, body and type, and pages', async (t) => {
    const byName = await client.searchLambdas({ search: { name: 'color' } });
    t.same(
      byName.response.lambdas!.map((lambda: Lambda) => lambda.id),
      [created.response.lambda!.id],
    );
    t.equal(byName.response.total, 1);
    t.equal((await client.searchLambdas({ search: { body: 'reconcile(' } })).response.lambdas![0]!.id, KNOWN);
    t.equal((await client.searchLambdas({ search: { type: LambdaType.OpenIDReconcile } })).response.total, 1);
    const paged = await client.searchLambdas({ search: { numberOfResults: 1, startRow: 1 } });
    t.same(
      paged.response.lambdas!.map((lambda: Lambda) => lambda.name),
      ['Reconcile'],
    );
    t.equal(paged.response.total, 2);
  });

  t.test('updateLambda replaces, patchLambda merges, the type stays', async (t) => {
    const updated = await client.updateLambda(KNOWN, { lambda: { name: 'Renamed', body: 'function reconcile() {}', type: LambdaType.JWTPopulate } });
    t.match(updated.response.lambda, { name: 'Renamed', body: 'function reconcile() {}', type: 'OpenIDReconcile', debug: false });
    t.equal(updated.response.lambda!.insertInstant, withId.response.lambda!.insertInstant);
    const patched = await client.patchLambda(KNOWN, { lambda: { debug: true } });
    t.match(patched.response.lambda, { name: 'Renamed', debug: true });
    assertFieldError(t, await settle(client.updateLambda(KNOWN, { lambda: { name: 'No body' } })), 'lambda.body', 'missing');
    assertEmpty(t, await settle(client.patchLambda(UNKNOWN, { lambda: { debug: true } })), 404);
  });

  t.test('an application may name only lambdas of the type its field needs', async (t) => {
    const wrongType = await settle(client.patchApplication(APP, { application: { lambdaConfiguration: { accessTokenPopulateId: KNOWN } } }));
    assertFieldError(t, wrongType, 'application.lambdaConfiguration.accessTokenPopulateId', 'invalid');
    const missing = await settle(client.patchApplication(APP, { application: { lambdaConfiguration: { userinfoPopulateId: UNKNOWN } } }));
    assertFieldError(t, missing, 'application.lambdaConfiguration.userinfoPopulateId', 'invalid');
    const ok = await client.patchApplication(APP, { application: { lambdaConfiguration: { accessTokenPopulateId: created.response.lambda!.id! } } });
    t.equal(ok.response.application!.lambdaConfiguration!.accessTokenPopulateId, created.response.lambda!.id);
  });

  t.test('deleteLambda removes it', async (t) => {
    t.equal((await client.deleteLambda(KNOWN)).statusCode, 200);
    assertEmpty(t, await settle(client.retrieveLambda(KNOWN)), 404);
    assertEmpty(t, await settle(client.deleteLambda(KNOWN)), 404);
  });
});

t.test('deleting an attached lambda detaches it: the application can still be changed, and a new lambda of its id is not attached', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const lambda = { lambda: { name: 'Favorite color', type: LambdaType.JWTPopulate, body: POPULATE } };
  await client.createLambda(KNOWN, lambda);
  await client.patchApplication(APP, { application: { lambdaConfiguration: { accessTokenPopulateId: KNOWN, idTokenPopulateId: KNOWN } } });

  t.equal((await client.deleteLambda(KNOWN)).statusCode, 200);
  const detached = (await client.retrieveApplication(APP)).response.application!.lambdaConfiguration ?? {};
  t.notOk(detached.accessTokenPopulateId, 'the application names no access token lambda');
  t.notOk(detached.idTokenPopulateId, 'nor an id token lambda');
  t.equal((await client.patchApplication(APP, { application: { name: 'Renamed' } })).statusCode, 200, 'and can be changed');

  await client.createLambda(KNOWN, lambda);
  t.notOk(
    (await client.retrieveApplication(APP)).response.application!.lambdaConfiguration?.accessTokenPopulateId,
    'a new lambda of the same id stays unattached',
  );
});

t.test('a lambda Standin never runs cannot be attached through the API: [NotModelled]; a kickstart may', async (t) => {
  const VALIDATION = 'c6000000-0000-4000-8000-0000000000b1';
  const REGISTRATION = 'c6000000-0000-4000-8000-0000000000b2';
  const populate = 'function populate(samlResponse, user, registration) {}';
  const convert = 'function convert(user, options, scimUser) {}';
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      ...kickstart,
      requests: [
        {
          url: `/api/lambda/${REGISTRATION}`,
          body: { lambda: { name: 'SAML claims', type: 'SAMLv2Populate', body: populate } },
        },
        {
          url: `/api/application/${APP}`,
          body: { application: { name: 'Lambdas', lambdaConfiguration: { samlv2PopulateId: REGISTRATION } } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  await client.createLambda(VALIDATION, { lambda: { name: 'SCIM users', type: LambdaType.SCIMServerUserRequestConverter, body: convert } });

  const notModelled = (answer: { statusCode: number; exception?: { generalErrors?: Array<{ code?: string; message?: string }> } }, field: string) => {
    t.equal(answer.statusCode, 400);
    t.equal(answer.exception?.generalErrors?.[0]?.code, '[NotModelled]');
    t.match(answer.exception?.generalErrors?.[0]?.message, field);
  };
  notModelled(
    await settle(client.patchTenant(TENANT, { tenant: { lambdaConfiguration: { scimUserRequestConverterId: VALIDATION } } })),
    'tenant.lambdaConfiguration.scimUserRequestConverterId',
  );
  t.notOk((await client.retrieveTenant(TENANT)).response.tenant!.lambdaConfiguration?.scimUserRequestConverterId, 'nothing stored');
  notModelled(
    await settle(client.createApplication(NO_ID, { application: { name: 'Other', lambdaConfiguration: { samlv2PopulateId: REGISTRATION } } })),
    'application.lambdaConfiguration.samlv2PopulateId',
  );
  const application = (await client.retrieveApplication(APP)).response.application!;
  t.equal(application.lambdaConfiguration?.samlv2PopulateId, REGISTRATION, "the kickstart's attachment is stored");
  t.equal(
    (await client.updateApplication(APP, { application: { ...application, name: 'Renamed' } })).statusCode,
    200,
    'and an update that keeps it passes',
  );
  t.equal(
    (await client.patchApplication(APP, { application: { lambdaConfiguration: { samlv2PopulateId: null as never } } })).statusCode,
    200,
    'detaching it is allowed',
  );
});

t.test('the Event Log API through the FusionAuth client', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const { eventLogs } = standin.app.standin.stores;
  const first = eventLogs.insert(1_000, 'Information', 'Lambda invocation result.\n\nfirst');
  const second = eventLogs.insert(2_000, 'Error', 'Lambda invocation failed.\n\nsecond');
  eventLogs.insert(3_000, 'Debug', 'third 100%');

  t.test('retrieveEventLog answers one entry; an unknown id is an empty 404', async (t) => {
    t.same((await client.retrieveEventLog(first.id)).response.eventLog, {
      id: first.id,
      insertInstant: 1_000,
      message: 'Lambda invocation result.\n\nfirst',
      type: 'Information',
    });
    assertEmpty(t, await settle(client.retrieveEventLog(999_999)), 404);
    // Any Long is an id FusionAuth looks up: past 15 digits, or below zero, it names no entry, like any other.
    assertEmpty(t, await settle(client.retrieveEventLog(Number.MAX_SAFE_INTEGER)), 404);
    assertEmpty(t, await settle(client.retrieveEventLog(-1)), 404);
  });

  t.test('searchEventLogs: newest first, by message, type and instants, paged', async (t) => {
    const all = await client.searchEventLogs({ search: {} });
    t.same(
      all.response.eventLogs!.map((entry) => entry.insertInstant),
      [3_000, 2_000, 1_000],
    );
    t.equal(all.response.total, 3);
    t.same(
      (await client.searchEventLogs({ search: { message: 'invocation' } })).response.eventLogs!.map((entry) => entry.id),
      [second.id, first.id],
    );
    t.same(
      (await client.searchEventLogs({ search: { message: 'Lambda*first' } })).response.eventLogs!.map((entry) => entry.id),
      [first.id],
    );
    t.equal((await client.searchEventLogs({ search: { message: '100%' } })).response.total, 1, '% is text, not a wildcard');
    t.same(
      (await client.searchEventLogs({ search: { type: 'Error' as never } })).response.eventLogs!.map((entry) => entry.id),
      [second.id],
    );
    t.equal((await client.searchEventLogs({ search: { start: 1_500, end: 2_500 } })).response.total, 1);
    const paged = await client.searchEventLogs({ search: { numberOfResults: 1, startRow: 2, orderBy: 'insertInstant DESC' } });
    t.same(
      paged.response.eventLogs!.map((entry) => entry.id),
      [first.id],
    );
    assertFieldError(t, await settle(client.searchEventLogs({ search: { orderBy: 'password' } })), 'search.orderBy', 'invalid');
  });

  t.test('GET /api/system/event-log/search takes the criteria as parameters', async (t) => {
    const response = await fetch(`${standin.url}/api/system/event-log/search?type=Debug&message=third`, { headers: { authorization: API_KEY } });
    t.equal(response.status, 200);
    t.match(await response.json(), { total: 1, eventLogs: [{ type: 'Debug', message: 'third 100%' }] });
  });
});
