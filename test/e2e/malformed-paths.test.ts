import { request } from 'node:http';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { failureOf, startTenantStandin } from '../helpers/fixtures.js';

// Paths Fastify's router refused before any of Standin's hooks ran (docs/hardening.md, "Malformed input"): a path
// segment over 100 characters got Fastify's own 414, and a path it cannot decode (`%ff`, `%zz`) Fastify's own 400;
// both without the security headers, in no shape a FusionAuth or OAuth client reads, the second echoing the query.
const API_KEY = 'malformed-paths-api-key-0123456789abcdef';
const TENANT = 'a1000000-0000-4000-8000-0000000000a1';
const SECRET = 'hunter2-not-to-be-echoed';

const standin = await startTenantStandin(t, { apiKey: API_KEY, tenantId: TENANT, requests: [] });
const client = new FusionAuthClient(API_KEY, standin.url);

/** One request as written, byte for byte: fetch() and the FusionAuth client encode what they send. */
function raw(method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: API_KEY };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const sent = request(`${standin.url}/`, { method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

function assertSecurityHeaders(t: Test, name: string, headers: Record<string, unknown>): void {
  t.match(String(headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/, `${name}: CSP`);
  t.equal(headers['x-content-type-options'], 'nosniff', `${name}: nosniff`);
  t.equal(headers['x-frame-options'], 'DENY', `${name}: X-Frame-Options`);
  t.equal(headers['referrer-policy'], 'no-referrer', `${name}: Referrer-Policy`);
  t.equal(headers['cache-control'], 'no-store', `${name}: Cache-Control: no-store`);
}

t.test('a long id through the FusionAuth client is answered like any other id that is not one', async (t) => {
  const long = await failureOf(client.retrieveUser('a'.repeat(150)));
  const short = await failureOf(client.retrieveUser('not-a-uuid'));
  t.equal(long.statusCode, 404, 'not a 414 before any route saw it');
  t.equal(long.statusCode, short.statusCode);
  t.equal(long.exception?.generalErrors?.[0]?.code, '[NotModelled]');
  t.equal(long.exception?.generalErrors?.[0]?.code, short.exception?.generalErrors?.[0]?.code);
  // A route that takes any string as its segment reads a long one too: an unknown verification id.
  const verify = await raw('GET', `/email/verify/${'b'.repeat(400)}`);
  t.not(verify.status, 414);
  t.ok(verify.status < 500, `answered ${verify.status}`);
});

t.test('a path that cannot be decoded gets a 400 in its family shape, with the headers and without the query', async (t) => {
  const api = await raw('GET', `/api/user/%ff?client_secret=${SECRET}`);
  t.equal(api.status, 400);
  t.match(api.headers['content-type'], /^application\/json/);
  t.same(JSON.parse(api.text).fieldErrors, {});
  t.equal(JSON.parse(api.text).generalErrors[0].code, '[InvalidURL]');
  assertSecurityHeaders(t, '/api', api.headers);

  const oauth = await raw('POST', '/oauth2/token%zz', `grant_type=client_credentials&client_secret=${SECRET}`);
  t.equal(oauth.status, 400);
  t.match(JSON.parse(oauth.text), { error: 'invalid_request', error_description: /not a valid URL/ });
  assertSecurityHeaders(t, '/oauth2', oauth.headers);

  const control = await raw('GET', '/_standin/emails/%E0%A4%A');
  t.equal(control.status, 400);
  t.match(JSON.parse(control.text), { error: 'invalid_request', message: /not a valid URL/ });
  assertSecurityHeaders(t, '/_standin', control.headers);

  const page = await raw('GET', `/password/change/%ff?token=${SECRET}`);
  t.equal(page.status, 400);
  t.match(page.headers['content-type'], /^text\/plain/);
  assertSecurityHeaders(t, 'a hosted page', page.headers);

  for (const answer of [api, oauth, control, page]) t.notMatch(answer.text, SECRET, 'the query is not echoed');
  t.equal((await raw('GET', '/api/status')).status, 200, 'the server answers as before');
});
