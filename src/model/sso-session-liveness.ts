import type { Tenant } from './tenant.js';

/**
 * FusionAuth's default `tenant.httpSessionMaxInactiveInterval`, in seconds: how long an SSO session may sit
 * unused before it is over (https://fusionauth.io/docs/apis/tenants, "OAuth session timeout").
 */
export const DEFAULT_SSO_IDLE_SECONDS = 3600;

/** The idle limit of an SSO session of this tenant, in milliseconds; the default when the tenant sets none. */
export function ssoIdleLimitMs(tenant: Pick<Tenant, 'httpSessionMaxInactiveInterval'> | undefined): number {
  return (tenant?.httpSessionMaxInactiveInterval ?? DEFAULT_SSO_IDLE_SECONDS) * 1000;
}

/**
 * The one liveness rule of an SSO session: live while it has been idle for less than the limit, over from
 * the instant it reaches it. store/sso-sessions.ts states the same rule in SQL (SSO_SESSION_LIVE_SQL), and
 * test/unit/sso-session-liveness.test.ts checks that the two agree.
 */
export function isSsoSessionLive(lastUsedMs: number, idleLimitMs: number, nowMs: number): boolean {
  return nowMs - lastUsedMs < idleLimitMs;
}
