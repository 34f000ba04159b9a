// The floor for a refresh_token grant that signs what FusionAuth's does: a bare Node `http` server that reads the
// form body and answers each POST with an RS256 access token and an RS256 id token whose `at_hash` is taken from
// the signed access token (OpenID Connect Core §3.3.2.11), so the two signatures run one after the other, inline
// with node:crypto on a key parsed once. No client authentication, no storage, no claims from a user: what is left
// of a grant when everything but its signatures is taken away. Standin's grant at concurrency 1 is reported as a
// share of this server's rate.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'floor' })).toString('base64url');
const jwt = (claims) => {
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
};

const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"ok"}');
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const refreshToken = new URLSearchParams(body).get('refresh_token') ?? '';
    const iat = Math.floor(Date.now() / 1000);
    const common = { aud: 'bench-app', exp: iat + 3600, iat, iss: 'http://localhost', sub: 'bench-user', jti: randomUUID() };
    const accessToken = jwt({ ...common, scope: 'openid offline_access', applicationId: 'bench-app' });
    const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    const idToken = jwt({ ...common, jti: randomUUID(), at_hash: atHash });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({ access_token: accessToken, expires_in: 3600, id_token: idToken, refresh_token: refreshToken, token_type: 'Bearer' }),
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
