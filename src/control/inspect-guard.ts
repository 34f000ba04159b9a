import { isServerWideKey } from '../model/api-key.js';
import type { Standin } from '../standin.js';
import { controlEnabled } from './guard.js';

/**
 * Who may open the inspect page (`GET|POST /_standin/inspect`): the control API's rule (routes/control/guard.ts) — the
 * control flag on (by default only when Standin listens on loopback), and a kickstart API key that may act on the
 * whole server (model/api-key.ts). A page load cannot send a header, so besides `Authorization` the key may come
 * as `?key=` (the decoder form posts back to the page's own URL, so the key is never written into the page);
 * docs/test-control.md states that trade-off.
 */
export type InspectAccess = { ok: true } | { ok: false; reason: 'off' | 'no_key' | 'bad_key' };

/** What the rule reads of a request: the `Authorization` header and the parsed query. */
export interface KeyOffer {
  headers: { authorization?: string | undefined };
  query: unknown;
}

/** The key a request offers: `Authorization` (raw, as `/api` and the control API take it), else `?key=`. */
export function offeredKey(request: KeyOffer): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header !== '') return header;
  const fromQuery = (request.query as { key?: unknown } | undefined)?.key;
  return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

export function inspectAccess(standin: Standin, request: KeyOffer): InspectAccess {
  if (!controlEnabled(standin.config)) return { ok: false, reason: 'off' };
  const key = offeredKey(request);
  if (key === undefined) return { ok: false, reason: 'no_key' };
  // The page shows every tenant: a key bound to one tenant, or limited to some endpoints, does not open it.
  const apiKey = key.length <= 1024 ? standin.stores.apiKeys.find(key) : undefined;
  return isServerWideKey(apiKey, standin.config.now()) ? { ok: true } : { ok: false, reason: 'bad_key' };
}
