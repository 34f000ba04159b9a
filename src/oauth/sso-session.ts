import { randomUUID } from 'node:crypto';
import { isSsoSessionLive, ssoIdleLimitMs } from '../model/sso-session-liveness.js';
import type { Standin } from '../standin.js';
import { newSecret } from '../store/secrets.js';
import type { SsoSession } from '../store/sso-sessions.js';

/**
 * The live SSO session a `fusionauth.sso` cookie value points at, if any. A session idle for longer
 * than its tenant's `httpSessionMaxInactiveInterval` is over (FusionAuth Tenant API, "OAuth session
 * timeout"); an unknown cookie value grants nothing (docs/hardening.md, "Sessions").
 */
export function liveSsoSession(standin: Standin, cookie: string | undefined): SsoSession | undefined {
  if (!cookie) return undefined;
  const session = standin.stores.ssoSessions.byCookie(cookie);
  if (!session) return undefined;
  const idleLimitMs = ssoIdleLimitMs(standin.stores.tenants.get(session.tenantId));
  if (!isSsoSessionLive(session.lastUsed, idleLimitMs, standin.config.now())) {
    standin.stores.ssoSessions.delete(session.id);
    return undefined;
  }
  return session;
}

/** Starts a session for a fresh login: always a new id and a new cookie value, never one the browser sent. */
export function startSsoSession(standin: Standin, userId: string, tenantId: string, persistent: boolean): { session: SsoSession; cookie: string } {
  const now = standin.config.now();
  const session: SsoSession = { id: randomUUID(), userId, tenantId, authTime: now, lastUsed: now, persistent };
  const cookie = newSecret();
  standin.stores.ssoSessions.insert(session, cookie);
  return { session, cookie };
}
