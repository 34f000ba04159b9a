import { OAuthError, OAuthRetryLater } from '../errors.js';
import type { Standin } from '../standin.js';
import { createAttemptWindow, type AttemptWindow } from './attempt-window.js';
import { authenticateClient, type Client, type PresentedClient } from './client-authentication.js';

const MINUTE = 60_000;
const windows = new WeakMap<Standin, AttemptWindow>();

function windowOf(standin: Standin): AttemptWindow {
  const fresh = () => createAttemptWindow(standin.config.limits.failedClientSecretsPerClient, MINUTE);
  let window = windows.get(standin);
  if (!window) {
    windows.set(standin, (window = fresh()));
    // Once per Standin: the control API's reset forgets every count (docs/test-control.md).
    standin.control.onReset(() => windows.set(standin, fresh()));
  }
  return window;
}

/**
 * authenticateClient with a bound on secret guessing (RFC 6749 §2.3.1, OAuth 2.1 §2.4.1; docs/hardening.md): after
 * `limits.failedClientSecretsPerClient` wrong secrets for one client_id in a minute, every request that presents a
 * secret for it, the right one included, gets 429 `temporarily_unavailable` with Retry-After until that minute ends;
 * then the right secret works again. Keyed by client_id, not address, because the secret belongs to the client
 * wherever the guesses come from.
 */
export function authenticateClientGuarded(standin: Standin, presented: PresentedClient): Client {
  return guardSecretAttempts(standin, presented, () => authenticateClient(presented, (id) => standin.stores.applications.get(id)));
}

/**
 * `authenticate` (which checks `presented`'s secret, throwing `invalid_client_authentication` when it is wrong) under
 * the same bound on secret guessing as an application's: an entity's client credentials (oauth/entity-client-credentials.ts)
 * share it, counted by client_id.
 */
export function guardSecretAttempts<T>(standin: Standin, presented: PresentedClient, authenticate: () => T): T {
  const window = windowOf(standin);
  const now = standin.config.now();
  const key = presented.clientId;
  if (key !== undefined && presented.secret !== undefined) {
    const wait = window.retryAfterMs(key, now);
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new OAuthRetryLater(
        'too_many_attempts',
        `Too many failed client authentications for this client_id; try again in ${seconds} seconds.`,
        seconds,
      );
    }
  }
  try {
    return authenticate();
  } catch (error) {
    if (key !== undefined && error instanceof OAuthError && error.reason === 'invalid_client_authentication') window.failed(key, now);
    throw error;
  }
}
