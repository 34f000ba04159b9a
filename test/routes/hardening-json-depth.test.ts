import t from 'tap';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../src/http/json-body.js';
import { API_KEY, apiHeaders, buildEmptyApp } from '../helpers/fixtures.js';

// A JSON body deeper than MAX_JSON_DEPTH is refused with a 400 in the endpoint family's error shape before
// anything walks it: today's recursive code (merge patch, defaults, serialising) once answered 500 at 5,000.

const nested = (depth: number, inner = '1') => '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
const userWithData = (dataDepth: number) => `{"user":{"email":"deep${dataDepth}@example.com","password":"password1","data":${nested(dataDepth)}}}`;

t.test('the depth scanner counts objects and arrays, never brackets inside strings', async (t) => {
  t.notOk(jsonNestsDeeperThan('{"a":[{"b":1}]}', 3));
  t.ok(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3));
  t.notOk(jsonNestsDeeperThan(`{"a":"${'['.repeat(500)}"}`, 1), 'brackets in a string');
  t.notOk(jsonNestsDeeperThan(`{"a\\"[[[":"\\\\","b":"\\"{{{"}`, 1), 'escaped quotes end no string early');
  t.ok(jsonNestsDeeperThan(`{"a":"\\\\",${'['.repeat(3)}`, 3), 'an escaped backslash before the closing quote');
});

t.test('/api: a body nested past the bound is a 400 [invalidJSON], at the bound it is served', async (t) => {
  const app = await buildEmptyApp(t);
  // The user object and the body itself take two levels.
  const atBound = await app.inject({
    method: 'POST',
    url: '/api/user',
    headers: apiHeaders({ 'content-type': 'application/json' }),
    payload: userWithData(MAX_JSON_DEPTH - 2),
  });
  t.equal(atBound.statusCode, 200, 'exactly the bound');
  const users = app.standin.stores.users.count();
  for (const depth of [MAX_JSON_DEPTH - 1, 5_000, 50_000]) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/user',
      headers: apiHeaders({ 'content-type': 'application/json' }),
      payload: userWithData(depth),
    });
    t.equal(response.statusCode, 400, `user.data ${depth} deep`);
    t.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    t.match(response.json(), { fieldErrors: {}, generalErrors: [{ code: '[invalidJSON]', message: /deeper than 100 levels/ }] });
  }
  t.equal(app.standin.stores.users.count(), users, 'no user written by a refused body');
  for (const [method, url] of [
    ['PATCH', '/api/system-configuration'],
    ['PUT', '/api/system-configuration'],
    ['POST', '/api/application'],
    ['POST', '/api/tenant'],
    ['POST', '/api/login'],
    ['POST', '/api/user/search'],
  ] as const) {
    const response = await app.inject({
      method,
      url,
      headers: apiHeaders({ 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }),
      payload: `[${nested(20_000)}]`,
    });
    t.equal(response.statusCode, 400, `${method} ${url}`);
  }
});

t.test('/_standin: a body nested past the bound is a 400 invalid_request', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await app.inject({
    method: 'POST',
    url: '/_standin/faults',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    payload: nested(50_000),
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), { error: 'invalid_request', message: /deeper than 100 levels/ });
});
