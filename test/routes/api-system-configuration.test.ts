import t from 'tap';
import { apiClient, assertEmpty, assertFieldError, assertGeneralError, buildEmptyApp } from '../helpers/fixtures.js';

const cors = {
  allowCredentials: true,
  allowedMethods: ['GET', 'POST', 'OPTIONS'],
  allowedOrigins: ['http://localhost:3000'],
  enabled: true,
  preflightMaxAgeInSeconds: 0,
};

t.test('GET /api/system-configuration answers an empty configuration on a fresh test instance', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('GET', '/api/system-configuration');
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  t.same(response.body, { systemConfiguration: {} });
});

t.test('PATCH stores the CORS configuration the quickstart kickstart sends', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('PATCH', '/api/system-configuration', { systemConfiguration: { corsConfiguration: cors } });
  t.equal(response.status, 200);
  t.same(response.body, { systemConfiguration: { corsConfiguration: cors } });
  t.same((await api('GET', '/api/system-configuration')).body, { systemConfiguration: { corsConfiguration: cors } });
});

t.test('PATCH merges (RFC 7396): nested objects merge, null removes, arrays replace', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('PATCH', '/api/system-configuration', { systemConfiguration: { corsConfiguration: cors, reportTimezone: 'America/Denver' } });
  const response = await api('PATCH', '/api/system-configuration', {
    systemConfiguration: { corsConfiguration: { allowedOrigins: ['https://app.example.com'], preflightMaxAgeInSeconds: null }, reportTimezone: null },
  });
  t.equal(response.status, 200);
  const { preflightMaxAgeInSeconds: _removed, ...kept } = cors;
  t.same(response.body, { systemConfiguration: { corsConfiguration: { ...kept, allowedOrigins: ['https://app.example.com'] } } });
  t.same((await api('GET', '/api/system-configuration')).body, response.body);
});

t.test('PUT replaces the whole configuration', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('PATCH', '/api/system-configuration', { systemConfiguration: { corsConfiguration: cors, reportTimezone: 'America/Denver' } });
  const response = await api('PUT', '/api/system-configuration', { systemConfiguration: { reportTimezone: 'Europe/Paris' } });
  t.equal(response.status, 200);
  t.same(response.body, { systemConfiguration: { reportTimezone: 'Europe/Paris' } });
  t.same((await api('GET', '/api/system-configuration')).body, response.body);
});

t.test('a body without a systemConfiguration member is refused with [blank]systemConfiguration and changes nothing', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('PATCH', '/api/system-configuration', { systemConfiguration: { corsConfiguration: cors } });
  assertFieldError(t, await api('PATCH', '/api/system-configuration', { corsConfiguration: cors }), 'systemConfiguration', 'blank');
  assertFieldError(t, await api('PUT', '/api/system-configuration', { systemConfiguration: [] }), 'systemConfiguration', 'blank');
  assertGeneralError(t, await api('PUT', '/api/system-configuration', ''), '[missing]');
  t.same((await api('GET', '/api/system-configuration')).body, { systemConfiguration: { corsConfiguration: cors } });
});

t.test('the system configuration needs an API key', async (t) => {
  const app = await buildEmptyApp(t);
  for (const method of ['GET', 'PUT', 'PATCH'] as const) {
    const payload = method === 'GET' ? {} : { payload: JSON.stringify({ systemConfiguration: {} }) };
    const response = await app.inject({ method, url: '/api/system-configuration', headers: { 'content-type': 'application/json' }, ...payload });
    assertEmpty(t, { status: response.statusCode, body: undefined, raw: response }, 401);
  }
  t.same((await apiClient(t, app)('GET', '/api/system-configuration')).body, { systemConfiguration: {} });
});
