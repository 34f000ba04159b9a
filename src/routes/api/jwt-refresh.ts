import { emitEvent } from '../../events/emit.js';
import { jwtRefreshEvent } from '../../events/token-events.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { jwtConfigurationOf } from '../../oauth/jwt-configuration.js';
import { useRefreshToken } from '../../oauth/refresh-rules.js';
import { signRefreshed } from '../../oauth/refreshed-tokens.js';
import { signingOf } from '../../oauth/sign-tokens.js';
import { requireSignableLogin } from '../../oauth/signing-keys.js';
import { setApiTokenCookies } from './token-cookies.js';

interface Body {
  refreshToken?: string;
  timeToLiveInSeconds?: number;
  /** The current access token, which FusionAuth relays to its jwt.refresh webhook as `original`. */
  token?: string;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      refreshToken: { type: 'string', maxLength: 4096 },
      timeToLiveInSeconds: { type: 'integer' },
      token: { type: 'string', maxLength: 16384 },
    },
  },
} as const;

/**
 * `POST /api/jwt/refresh` (https://fusionauth.io/docs/apis/jwt): no API key; the refresh token from the
 * `refresh_token` cookie, which wins, or the body's `refreshToken`; answers `{token, refreshToken,
 * refreshTokenId}` and sets both cookies. The same refresh rules as the `refresh_token` grant, with no client.
 */
export async function jwtRefreshRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body | null | undefined }>('/jwt/refresh', { config: { public: true }, schema }, async (request, reply) => {
    const { stores, config } = request.server.standin;
    const now = config.now();
    const body = request.body ?? {};
    const value = request.cookies.refresh_token || body.refreshToken;
    const errors = new FieldErrors();
    if (!value) errors.add('refreshToken', 'blank', 'You must specify the [refreshToken] property or send the refresh_token cookie.');
    if (body.timeToLiveInSeconds !== undefined && body.timeToLiveInSeconds < 1) {
      errors.add('timeToLiveInSeconds', 'invalid', 'The [timeToLiveInSeconds] property must be greater than 0.');
    }
    errors.throwIfAny();
    checkTtl(request, value!, body.timeToLiveInSeconds);

    const use = useRefreshToken(stores, value!, now, {
      // A refresh no key can sign is refused before the token is used, so a one-time-use token is not rotated away.
      beforeUse: (parts) => {
        requireSignableLogin(stores, parts.tenant, parts.application);
      },
    });
    if (!use.ok) throw invalidToken();
    const { access } = await signRefreshed(signingOf(request.server.standin, now), use, { ttl: body.timeToLiveInSeconds, withoutIdToken: true });
    setApiTokenCookies(request, reply, { token: access.token, refreshToken: { value: use.value, expiresAt: use.token.expiresAt, now } });
    emitEvent(request.server.standin, jwtRefreshEvent(use.token, use.value, access.token, typeof body.token === 'string' ? body.token : undefined));
    return { token: access.token, refreshToken: use.value, refreshTokenId: use.token.id };
  });
}

/** FusionAuth JWT API: timeToLiveInSeconds may not exceed the configured access token lifetime. */
function checkTtl(request: FastifyRequest, value: string, ttl: number | undefined): void {
  if (ttl === undefined) return;
  const { stores } = request.server.standin;
  const found = stores.refreshTokens.lookup(value);
  if (found.found !== 'current') return;
  const application = stores.applications.get(found.token.applicationId);
  const tenant = stores.tenants.get(found.token.tenantId);
  if (!application || !tenant) return;
  const max = jwtConfigurationOf(application, tenant).timeToLiveInSeconds;
  if (ttl > max) {
    new FieldErrors()
      .add('timeToLiveInSeconds', 'invalid', `The [timeToLiveInSeconds] property may not exceed the configured lifetime of ${max} seconds.`)
      .throwIfAny();
  }
}

// FusionAuth JWT API: 400 for a refresh token that is expired, unknown or revoked (no 404:
// https://github.com/FusionAuth/fusionauth-issues/issues/729).
function invalidToken(): ApiError {
  const message = 'The refresh token is expired, was not found, or has been revoked.';
  return new ApiError(400, { fieldErrors: { refreshToken: [{ code: '[invalid]refreshToken', message }] }, generalErrors: [] });
}
