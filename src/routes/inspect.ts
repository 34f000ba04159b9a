import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inspectAccess } from '../control/inspect-guard.js';
import type { Standin } from '../standin.js';

// Enough rows for any seed a person reads; the page says how many more there are.
const LIST_LIMIT = 200;
// A JWT Standin issues is a few kilobytes; anything far larger is not one.
const TOKEN_MAX = 16_384;

/**
 * `GET /_standin/inspect`: what Standin holds, for a person debugging a login — applications, users and
 * registrations, live SSO sessions, refresh token families — and `POST` the same page with a JWT decoded and
 * checked against Standin's keys. Plain server-rendered HTML; nothing secret on it: no client secrets, no
 * password hashes, no token values (Standin keeps only hashes of refresh tokens, and the decoder does not
 * echo the token it was given).
 */
export async function inspectRoutes(app: FastifyInstance): Promise<void> {
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.addHook('onRequest', async (_request, reply) => {
    // The page names users and sessions, and its URL may carry the key: never cached, never a Referer.
    reply.header('cache-control', 'no-store');
  });

  const querystring = { type: 'object', properties: { key: { type: 'string', maxLength: 1024 } } } as const;
  app.get('/inspect', { schema: { querystring } }, async (request, reply) => page(app.standin, request, reply, undefined));
  app.post(
    '/inspect',
    {
      schema: {
        querystring,
        body: { type: 'object', properties: { token: { type: 'string', maxLength: TOKEN_MAX } } },
      },
    },
    async (request, reply) => page(app.standin, request, reply, await decodeJwt(app.standin, (request.body as { token?: string }).token ?? '')),
  );
}

async function page(standin: Standin, request: FastifyRequest, reply: FastifyReply, decoded: DecodedJwt | undefined): Promise<FastifyReply> {
  const access = inspectAccess(standin, request);
  if (!access.ok) {
    // Switched off: as if there were no such page. Without a good key: a form to give one.
    if (access.reason === 'off') {
      reply.callNotFound();
      return reply;
    }
    return reply.code(401).view('inspect-key', { title: 'Inspect', wrongKey: access.reason === 'bad_key' });
  }
  return reply.code(200).view('inspect', { title: 'Inspect', ...snapshotOf(standin), decoded });
}

const time = (ms: number | undefined) =>
  typeof ms === 'number' && Number.isFinite(ms)
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '—';

function limited<T>(items: T[]): { shown: T[]; more: number } {
  return { shown: items.slice(0, LIST_LIMIT), more: Math.max(0, items.length - LIST_LIMIT) };
}

/** The page's data, every value chosen field by field so that nothing secret can slip in with a whole object. */
function snapshotOf(standin: Standin) {
  const { stores } = standin;
  const now = standin.config.now();
  const tenants = stores.tenants.list();
  const tenantName = new Map(tenants.map((tenant) => [tenant.id, tenant.name]));
  const applications = stores.applications.list();
  const applicationName = new Map(applications.map((application) => [application.id, application.name]));
  const users = tenants.flatMap((tenant) => stores.users.list(tenant.id));
  const loginIdOf = (user: { email?: string; username?: string; id: string }) => user.email ?? user.username ?? user.id;
  const sessions = standin.control.sessions().filter((session) => !session.expired);
  // The control API's listings, so the page and GET /_standin/sessions|refresh-tokens agree.
  const families = standin.control.refreshTokens();

  return {
    now: time(now),
    tenants: tenants.map((tenant) => ({ id: tenant.id, name: tenant.name, issuer: standin.issuerOf(tenant) })),
    applications: applications.map((application) => ({
      id: application.id,
      name: application.name,
      tenant: tenantName.get(application.tenantId) ?? application.tenantId,
      active: application.active,
      redirects: application.oauthConfiguration.authorizedRedirectURLs,
      grants: application.oauthConfiguration.enabledGrants,
      users: stores.registrations.userIdsOf(application.id).length,
    })),
    users: limited(
      users.map((user) => ({
        id: user.id,
        loginId: loginIdOf(user),
        tenant: tenantName.get(user.tenantId) ?? user.tenantId,
        active: user.active,
        lastLogin: time(user.lastLoginInstant as number | undefined),
        registrations: stores.registrations.ofUser(user.id).map((registration) => ({
          application: applicationName.get(registration.applicationId) ?? registration.applicationId,
          roles: Array.isArray(registration.roles) ? registration.roles.join(', ') : '',
        })),
      })),
    ),
    sessions: limited(
      sessions.map((session) => ({
        id: session.id,
        user: session.loginId ?? session.userId,
        authTime: time(session.authTime),
        lastUsed: time(session.lastUsed),
        expiresAt: time(session.expiresAt),
        persistent: session.persistent,
        refreshTokens: session.refreshTokens,
      })),
    ),
    families: limited(
      families.map((family) => ({
        id: family.id,
        user: family.loginId ?? family.userId,
        client: applicationName.get(family.applicationId) ?? family.applicationId,
        clientId: family.applicationId,
        created: time(family.startInstant),
        lastUsed: time(family.lastUsed),
        expiresAt: time(family.expiresAt),
        expired: family.expired,
        rotations: family.rotations,
        scope: family.scope,
      })),
    ),
    // The outbox's latest, without bodies: an emailed link or code is a live secret (docs/email.md).
    emails: standin.email.outbox.list({ limit: 20 }).map((email) => ({
      subject: email.subject,
      to: email.to.address,
      type: email.type,
      time: time(email.createdAt),
      delivery: {
        none: 'kept in the outbox (no SMTP server)',
        pending: `pending (${email.attempts} attempt${email.attempts === 1 ? '' : 's'})`,
        sent: 'sent',
        failed: `failed after ${email.attempts} attempts`,
      }[email.delivery],
    })),
    eventLogs: latestEventLogs(standin),
    // The latest webhook events, without payloads: a jwt.refresh carries live tokens (docs/webhooks.md).
    events: standin.events.list({ limit: 20 }).map((log) => ({
      type: log.eventType,
      time: time(log.insertInstant),
      result: log.eventResult,
      attempts: `${log.successfulAttempts} succeeded, ${log.failedAttempts} failed`,
    })),
  };
}

/** The event log's latest entries (docs/lambdas.md), newest first. */
function latestEventLogs(standin: Standin) {
  const { eventLogs, total } = standin.stores.eventLogs.search({
    orderBy: { column: 'insert_instant', descending: true },
    startRow: 0,
    numberOfResults: 20,
  });
  return { total, shown: eventLogs.map((entry) => ({ id: entry.id, type: entry.type, time: time(entry.insertInstant), message: entry.message })) };
}

export interface DecodedJwt {
  error?: string;
  header?: string;
  claims?: string;
  times?: Array<{ name: string; value: string }>;
  verified?: boolean;
  keyName?: string;
  expired?: boolean;
}

/**
 * The decoder: the header and claims as JSON, whether a key of Standin's signed it (by `kid`, with that key's
 * own algorithm), and whether it has expired at Standin's clock. The token itself is never shown back.
 */
export async function decodeJwt(standin: Standin, input: string): Promise<DecodedJwt> {
  const token = input.trim();
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'Not a JWT: expected three parts separated by dots.' };
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { error: 'Not a JWT: the header or the claims are not base64url-encoded JSON.' };
  }
  if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
    return { error: 'Not a JWT: the header and the claims must be JSON objects.' };
  }
  const nowSeconds = Math.floor(standin.config.now() / 1000);
  const verified = await standin.jwt.verify(token, nowSeconds, { ignoreExpiry: true, clientSecretKeys: true });
  const { exp } = claims as { exp?: unknown };
  const times = (['iat', 'nbf', 'exp', 'auth_time'] as const).flatMap((name) => {
    const value = (claims as Record<string, unknown>)[name];
    return typeof value === 'number' ? [{ name, value: time(value * 1000) }] : [];
  });
  return {
    header: JSON.stringify(header, null, 2),
    claims: JSON.stringify(claims, null, 2),
    times,
    verified: verified !== undefined,
    ...(verified ? { keyName: `${verified.key.key.name} (${verified.key.key.algorithm}, kid ${verified.key.key.kid})` } : {}),
    ...(typeof exp === 'number' ? { expired: exp <= nowSeconds } : {}),
  };
}
