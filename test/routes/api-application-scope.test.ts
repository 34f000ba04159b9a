import t, { type Test } from 'tap';
import { apiClient, assertEmpty, assertFieldError, assertGeneralError, buildEmptyApp, testKickstart } from '../helpers/fixtures.js';

// The OAuth Scopes API on the wire (https://fusionauth.io/docs/apis/scopes): what FusionAuth's client hides.
const APP = 'c7000000-0000-4000-8000-000000000001';

async function setUp(t: Test) {
  const app = await buildEmptyApp(t, { kickstart: testKickstart([{ url: `/api/application/${APP}`, body: { application: { name: 'API' } } }]) });
  return apiClient(t, app);
}

t.test('create answers JSON; DELETE answers an empty 200; errors are JSON field errors', async (t) => {
  const api = await setUp(t);
  const created = await api('POST', `/api/application/${APP}/scope`, { scope: { name: 'api:read' } });
  t.equal(created.status, 200);
  t.match(created.raw.headers['content-type'], /^application\/json/);
  t.equal(created.raw.headers['cache-control'], 'no-store');
  const id = created.body.scope.id;
  t.same((await api('GET', `/api/application/${APP}`)).body.application.scopes, [created.body.scope]);
  t.same(
    (await api('GET', '/api/application')).body.applications.find((a: { id: string }) => a.id === APP).scopes,
    [created.body.scope],
    'the list carries them too',
  );
  assertFieldError(t, await api('POST', `/api/application/${APP}/scope`, { scope: { name: 'openid' } }), 'scope.name', 'invalid');
  assertGeneralError(t, await api('POST', `/api/application/${APP}/scope`, '{"scope":'), '[invalidJSON]');
  assertGeneralError(t, await api('POST', `/api/application/${APP}/scope`), '[missing]');
  assertEmpty(t, await api('DELETE', `/api/application/${APP}/scope/${id}`), 200);
  assertEmpty(t, await api('DELETE', `/api/application/${APP}/scope/${id}`), 404);
});

t.test('ids in the path must be UUIDs (anything else names an API Standin does not model); upper case ids are the same ids', async (t) => {
  const api = await setUp(t);
  const notAnId = await api('GET', `/api/application/${APP}/scope/not-a-uuid`);
  t.equal(notAnId.status, 404);
  t.equal(notAnId.body.generalErrors[0].code, '[NotModelled]');
  const id = 'c7000000-0000-4000-8000-0000000000aa';
  t.equal((await api('POST', `/api/application/${APP.toUpperCase()}/scope/${id.toUpperCase()}`, { scope: { name: 'x' } })).body.scope.id, id);
  t.equal((await api('GET', `/api/application/${APP}/scope/${id.toUpperCase()}`)).status, 200);
});

t.test('a refused write changes nothing', async (t) => {
  const api = await setUp(t);
  const before = (await api('GET', `/api/application/${APP}`)).body;
  assertFieldError(
    t,
    await api('POST', `/api/application/${APP}/scope`, { scope: { name: 'has space', required: 'no' } }),
    'scope.required',
    'invalid',
  );
  t.same((await api('GET', `/api/application/${APP}`)).body, before);
});
