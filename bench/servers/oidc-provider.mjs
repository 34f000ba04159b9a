// oidc-provider 9 with a minimal configuration: two confidential clients (authorization_code and
// refresh_token, client_secret_basic, PKCE), the in-memory adapter, its development-only signing key and
// its devInteractions login form (which accepts any login name and checks no password). Two settings bring
// it to Standin's defaults: consent for these first-party clients is granted without a page
// (loadExistingGrant) and a refresh token is issued to any client allowed the grant, as FusionAuth's
// generateRefreshTokens (issueRefreshToken), reusable (rotateRefreshToken false, FusionAuth's Reusable).
// POST /bench/mint answers a refresh token minted with the library's own Grant and RefreshToken models.
// ACCESS_TOKEN_FORMAT=jwt: access tokens are RS256 JWTs for one resource server (its resourceIndicators feature),
// as FusionAuth's are, so that a refresh signs two tokens (access and id token) on both sides; by default they
// are opaque and a refresh signs only the id token.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const SECRET = 'super-secret-secret-that-should-be-regenerated-for-production';
const RESOURCE = process.env.ACCESS_TOKEN_FORMAT === 'jwt' ? 'urn:standin-bench:api' : undefined;
const jwtAccessTokens = {
  resourceIndicators: {
    enabled: true,
    defaultResource: () => RESOURCE,
    useGrantedResource: () => true,
    getResourceServerInfo: () => ({ scope: 'api', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
  },
};
const client = (id) => ({
  client_id: id,
  client_secret: SECRET,
  redirect_uris: ['http://localhost:3000'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [client('bench-app'), client('bench-app-2')],
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  cookies: { keys: ['bench-cookie-key-not-a-secret'] },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid offline_access');
    if (RESOURCE) grant.addResourceScope(RESOURCE, 'api');
    await grant.save();
    return grant;
  },
  issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: false,
  ...(RESOURCE ? { features: jwtAccessTokens } : {}),
});

async function mint() {
  const c = await provider.Client.find('bench-app');
  const grant = new provider.Grant({ accountId: 'richard', clientId: 'bench-app' });
  grant.addOIDCScope('openid offline_access');
  if (RESOURCE) grant.addResourceScope(RESOURCE, 'api');
  const grantId = await grant.save();
  const token = new provider.RefreshToken({
    accountId: 'richard',
    client: c,
    grantId,
    scope: 'openid offline_access',
    ...(RESOURCE ? { resource: RESOURCE } : {}),
    gty: 'authorization_code',
    authTime: Math.floor(Date.now() / 1000),
  });
  return token.save();
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/bench/mint') {
    mint().then(
      (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ refresh_token: value })),
      (error) => res.writeHead(500).end(String(error)),
    );
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
