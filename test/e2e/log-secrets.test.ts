import { generateKeyPairSync } from 'node:crypto';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startCliWithKickstart } from '../helpers/cli.js';
import { statusOf } from '../helpers/client-standin.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// Every flow that carries a secret, run against the real CLI at `trace`, then the whole log (stdout and
// stderr) is searched for every secret value the flows used: none may appear, however it was sent.

const API_KEY = 'log-secrets-api-key-0123456789abcdefghij';
const APP = '5e5e5e5e-0000-4000-8000-00000000a001';
const SECRET = 'client-secret-that-must-never-be-logged-0123';
const REDIRECT = 'http://localhost:3000/callback';
const PASSWORD = 'password-never-logged-42';
const NEW_PASSWORD = 'another-password-never-logged-43';
const EMAIL = 'logged@example.com';

const kickstart = {
  apiKeys: [{ key: API_KEY, keyManager: true }],
  requests: [
    {
      method: 'POST',
      url: `/api/application/${APP}`,
      body: {
        application: {
          name: 'Logged',
          oauthConfiguration: {
            clientSecret: SECRET,
            authorizedRedirectURLs: [REDIRECT],
            enabledGrants: ['authorization_code', 'refresh_token', 'password'],
            generateRefreshTokens: true,
            logoutURL: 'http://localhost:3000',
          },
          loginConfiguration: { generateRefreshTokens: true },
        },
      },
    },
    { method: 'POST', url: '/api/user/registration', body: { user: { email: EMAIL, password: PASSWORD }, registration: { applicationId: APP } } },
  ],
};

t.test('no secret reaches the log at trace level', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'trace', folderPrefix: 'standin-log-secrets-' });
  const url = cli.url;
  const secrets = new Map<string, string>([
    ['API key', API_KEY],
    ['client secret', SECRET],
    ['password', PASSWORD],
    ['new password', NEW_PASSWORD],
  ]);
  const basic = `Basic ${Buffer.from(`${APP}:${SECRET}`).toString('base64')}`;

  // The hosted login, the code exchange, refresh, userinfo, introspection and logout.
  const browser = createHttpBrowser();
  const authorize = new URLSearchParams({
    response_type: 'code',
    client_id: APP,
    redirect_uri: REDIRECT,
    scope: 'openid offline_access',
    state: 'st',
  });
  const { location } = await browser.authorize(`${url}/oauth2/authorize?${authorize}`, { loginId: EMAIL, password: PASSWORD });
  const code = new URL(location).searchParams.get('code')!;
  secrets.set('code', code);
  const token = async (form: Record<string, string>) =>
    (
      await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      })
    ).json() as Promise<Record<string, string>>;
  const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  t.ok(first.access_token, 'the code was exchanged');
  const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! });
  for (const [name, value] of Object.entries({ ...first, ...prefixed('refreshed ', second) }))
    if (/token$/.test(name) && value) secrets.set(name, value);
  await fetch(`${url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${first.access_token}` } });
  // Clients that put secrets where they do not belong: the query of userinfo, token and introspect.
  await fetch(`${url}/oauth2/userinfo?access_token=${first.access_token}`);
  await fetch(`${url}/oauth2/token?client_secret=${SECRET}&client_id=${APP}&grant_type=refresh_token&refresh_token=${second.refresh_token}`, {
    method: 'POST',
  });
  await fetch(`${url}/oauth2/introspect`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: first.access_token!, client_id: APP }),
  });
  await browser.get(`${url}/oauth2/logout?client_id=${APP}&id_token_hint=${first.id_token}`);
  await fetch(`${url}/app/callback?code=${code}&state=st`);

  // The Login API, the JWT refresh API and revocation by token in the query.
  const client = new FusionAuthClient(API_KEY, url);
  const login = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  secrets.set('login API token', login.response.token!);
  secrets.set('login API refresh token', login.response.refreshToken!);
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: login.response.refreshToken! });
  secrets.set('JWT API token', refreshed.response.token!);
  await client.revokeRefreshTokenByToken(second.refresh_token!);
  await fetch(`${url}/api/jwt/refresh?token=${refreshed.response.refreshToken}`, { method: 'DELETE', headers: { authorization: API_KEY } });
  secrets.set('JWT API refresh token', refreshed.response.refreshToken!);

  // A change-password id survives a failed first attempt, so whoever reads it in a log could use it.
  const forgot = await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false });
  const changePasswordId = forgot.response.changePasswordId!;
  secrets.set('change-password id', changePasswordId);
  await fetch(`${url}/api/user/change-password/${changePasswordId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"password":"x"}',
  });
  await fetch(`${url}/api/user/change-password/${changePasswordId}`);
  await client.changePassword(changePasswordId, { password: NEW_PASSWORD });

  // Keys made through the API Key API, one of the caller's choosing and one generated: in the request body, the
  // answer, and then in Authorization.
  const chosenKey = 'api-key-api-value-never-logged-0123456789';
  await client.createAPIKey(null as unknown as string, { apiKey: { key: chosenKey } });
  const generated = (await client.createAPIKey(null as unknown as string, { apiKey: {} })).response.apiKey!;
  secrets.set('API key made through the API', chosenKey);
  secrets.set('API key generated by the API', generated.key!);
  t.equal((await new FusionAuthClient(chosenKey, url).retrieveTenants()).statusCode, 200, 'the made keys work');
  t.equal((await new FusionAuthClient(generated.key!, url).retrieveTenants()).statusCode, 200);
  await fetch(`${url}/api/api-key`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: { key: chosenKey } }),
  });

  // Imported key material, accepted and refused (a truncated private key).
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const hmacSecret = 'imported-hmac-secret-never-logged-0123456789';
  await client.importKey('5e5e5e5e-0000-4000-8000-00000000a002', { key: { name: 'Imported RSA', privateKey } });
  await client.importKey('5e5e5e5e-0000-4000-8000-00000000a003', { key: { name: 'Imported HMAC', algorithm: 'HS256' as never, secret: hmacSecret } });
  const truncated = privateKey.slice(0, 400);
  t.equal(await statusOf(client.importKey('5e5e5e5e-0000-4000-8000-00000000a004', { key: { name: 'Bad', privateKey: truncated } })), 400);
  secrets.set('imported private key', privateKey.split('\n')[5]!);
  secrets.set('refused private key', truncated.split('\n')[3]!);
  secrets.set('imported HMAC secret', hmacSecret);

  // The inspect page's key under other spellings, and a 404 whose URL carries a token.
  await fetch(`${url}/_standin/inspect?k%65y=${API_KEY}`);
  await fetch(`${url}/%5fstandin/inspect?key=${API_KEY}`);
  const notFound = await fetch(`${url}/nowhere?refresh_token=${first.refresh_token}&code=${code}`);
  t.equal(notFound.status, 404);
  t.notMatch(await notFound.text(), first.refresh_token!, 'the 404 answer does not echo it either');

  t.equal(await cli.stop(), 0);
  const log = cli.stdout() + cli.stderr();
  t.ok(log.split('\n').filter((line) => line.includes('incoming request')).length >= 20, 'the log has every request');
  t.match(log, /\[redacted\]/, 'and shows where secrets were taken out');
  for (const [name, value] of secrets) t.notOk(log.includes(value), `no ${name} in the log`);
});

function prefixed(prefix: string, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]));
}
