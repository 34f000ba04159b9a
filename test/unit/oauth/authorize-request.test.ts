import t, { type Test } from 'tap';
import type { Application } from '../../../src/model/application.js';
import { scopePolicyDefaults } from '../../../src/model/scope-policy.js';
import { parseAuthorizeRequest, RedirectableError, UntrustedRedirectError } from '../../../src/oauth/authorize-request.js';
import type { Stores } from '../../../src/store/index.js';
import { APP, REDIRECT, TENANT_ID } from '../../helpers/fixtures.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function stores(oauth: Record<string, unknown> = {}, active = true): Stores {
  const application = {
    id: APP,
    tenantId: TENANT_ID,
    active,
    scopes: [],
    oauthConfiguration: { ...scopePolicyDefaults(), authorizedRedirectURLs: [REDIRECT], proofKeyForCodeExchangePolicy: 'NotRequired', ...oauth },
  } as unknown as Application;
  return { applications: { get: (id: string) => (id === APP ? application : undefined) } } as unknown as Stores;
}

const valid = { client_id: APP, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access', state: 'st' };

/** The error `parse` throws, checked to be of `kind`. */
function errorOf<E>(t: Test, kind: new (...args: never[]) => E, parse: () => unknown): E & { error: string; reason: string } {
  try {
    parse();
  } catch (error) {
    t.type(error, kind);
    return error as E & { error: string; reason: string };
  }
  t.fail('parsed without an error');
  return { error: '', reason: '' } as E & { error: string; reason: string };
}

t.test('a valid request: every field read, scopes granted, prompt a set', async (t) => {
  const input = { ...valid, nonce: 'n', prompt: 'login consent', max_age: '300', login_hint: 'richard', tenantId: TENANT_ID };
  const request = parseAuthorizeRequest(stores(), { ...input, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
  t.equal(request.application.id, APP);
  t.match(request, { redirectUri: REDIRECT, responseMode: 'query', scope: 'openid offline_access', state: 'st', nonce: 'n' });
  t.match(request, { codeChallenge: CHALLENGE, codeChallengeMethod: 'S256', maxAge: 300, loginHint: 'richard', tenantId: TENANT_ID });
  t.same([...request.prompt], ['login', 'consent']);
  t.equal(parseAuthorizeRequest(stores(), { ...valid, response_mode: 'form_post' }).responseMode, 'form_post');
});

t.test('absent optional parameters stay absent', async (t) => {
  const request = parseAuthorizeRequest(stores(), { client_id: APP, redirect_uri: REDIRECT, response_type: 'code' });
  t.same(Object.keys(request).sort(), ['application', 'prompt', 'redirectUri', 'responseMode', 'scope']);
  t.equal(request.scope, '');
});

t.test('an untrusted client or redirect_uri is an error page, never a redirect', async (t) => {
  const cases: [Record<string, unknown>, string, string, boolean?][] = [
    [{ redirect_uri: REDIRECT }, 'invalid_request', 'missing_client_id'],
    [{ client_id: 'not-a-uuid', redirect_uri: REDIRECT }, 'invalid_client', 'invalid_client_id'],
    [{ client_id: 'cccccccc-9999-4000-8000-000000000009', redirect_uri: REDIRECT }, 'invalid_client', 'invalid_client_id'],
    [{ client_id: APP }, 'invalid_request', 'missing_redirect_uri'],
    [{ client_id: APP, redirect_uri: 'https://evil.example.com/callback' }, 'invalid_request', 'invalid_redirect_uri'],
    [{ client_id: [APP, APP], redirect_uri: REDIRECT }, 'invalid_request', 'unknown'],
    [{ client_id: APP, redirect_uri: REDIRECT }, 'invalid_client', 'invalid_client_id', false],
  ];
  for (const [input, error, reason, active = true] of cases) {
    const thrown = errorOf(t, UntrustedRedirectError, () => parseAuthorizeRequest(stores({}, active), { response_type: 'code', ...input }));
    t.match(thrown, { error, reason }, `${JSON.stringify(input)}${active ? '' : ' (inactive)'}: ${reason}`);
  }
});

t.test('a redirect URI Standin itself serves is allowed exactly', async (t) => {
  const own = 'http://localhost:9011/app/callback';
  t.equal(parseAuthorizeRequest(stores(), { ...valid, redirect_uri: own }, [own]).redirectUri, own);
  errorOf(t, UntrustedRedirectError, () => parseAuthorizeRequest(stores(), { ...valid, redirect_uri: `${own}/` }, [own]));
});

t.test('after the redirect_uri is trusted, errors go back to it with the state', async (t) => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ response_type: undefined }, 'invalid_request', 'missing_response_type'],
    [{ response_type: 'token' }, 'unsupported_response_type', 'invalid_response_type'],
    [{ response_mode: 'fragment' }, 'invalid_request', 'invalid_response_mode'],
    [{ tenantId: 'aaaaaaaa-0000-4000-8000-000000000009' }, 'invalid_request', 'invalid_tenant_id'],
    [{ prompt: 'none login' }, 'invalid_request', 'invalid_prompt'],
    [{ prompt: 'sometimes' }, 'invalid_request', 'invalid_prompt'],
    [{ max_age: '-1' }, 'invalid_request', 'unknown'],
    [{ max_age: '12345678901' }, 'invalid_request', 'unknown'],
    [{ nonce: ['a', 'b'] }, 'invalid_request', 'unknown'],
  ];
  for (const [change, error, reason] of cases) {
    const thrown = errorOf(t, RedirectableError, () => parseAuthorizeRequest(stores(), { ...valid, ...change }));
    t.match(thrown, { error, reason, target: { redirectUri: REDIRECT, state: 'st' } }, `${JSON.stringify(change)}: ${reason}`);
  }
});

t.test('scopes: an unknown scope under the Reject policy goes back as invalid_scope', async (t) => {
  const thrown = errorOf(t, RedirectableError, () =>
    parseAuthorizeRequest(stores({ unknownScopePolicy: 'Reject' }), { ...valid, scope: 'openid nonsense' }),
  );
  t.equal(thrown.error, 'invalid_scope');
  t.equal(parseAuthorizeRequest(stores({ unknownScopePolicy: 'Remove' }), { ...valid, scope: 'openid nonsense' }).scope, 'openid');
});

t.test('PKCE: S256 only, a 43-character challenge, and required where the application says so', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ code_challenge: CHALLENGE }, 'invalid_pkce_code_challenge_method'],
    [{ code_challenge: CHALLENGE, code_challenge_method: 'plain' }, 'invalid_pkce_code_challenge_method'],
    [{ code_challenge: CHALLENGE.slice(1), code_challenge_method: 'S256' }, 'invalid_pkce_code_challenge'],
    [{ code_challenge: `${CHALLENGE.slice(1)}+`, code_challenge_method: 'S256' }, 'invalid_pkce_code_challenge'],
    [{ code_challenge_method: 'S256' }, 'missing_code_challenge'],
  ];
  for (const [change, reason] of cases) {
    const thrown = errorOf(t, RedirectableError, () => parseAuthorizeRequest(stores(), { ...valid, ...change }));
    t.match(thrown, { error: 'invalid_request', reason }, `${JSON.stringify(change)}: ${reason}`);
  }
  const required = stores({ proofKeyForCodeExchangePolicy: 'Required' });
  t.match(
    errorOf(t, RedirectableError, () => parseAuthorizeRequest(required, valid)),
    { reason: 'missing_code_challenge' },
  );
  t.ok(parseAuthorizeRequest(required, { ...valid, code_challenge: CHALLENGE, code_challenge_method: 'S256' }), 'given, it passes');
});
