import type { AuthorizeRequest } from './authorize-request.js';
import { withQueryParams } from './with-query-params.js';

/** Where and how an authorize response goes: a redirect with the parameters in the query, or a form post. */
export type AuthorizeResponse = { mode: 'query'; location: string } | { mode: 'form_post'; action: string; fields: [string, string][] };

/**
 * The response to a completed or failed authorize request, at the validated redirect_uri (RFC 6749 §4.1.2,
 * §4.1.2.1; OAuth 2.0 Form Post Response Mode). The registered URI's own query is kept as it is and the
 * parameters appended (RFC 6749 §3.1.2); `state` is echoed exactly; `iss` is added (RFC 9207).
 */
export function authorizeResponse(
  target: Pick<AuthorizeRequest, 'redirectUri' | 'responseMode' | 'state'>,
  params: Record<string, string | undefined>,
): AuthorizeResponse {
  const fields = Object.entries({ ...params, state: target.state }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (target.responseMode === 'form_post') return { mode: 'form_post', action: target.redirectUri, fields };
  // The URL as parsed (`http://host` gains its `/`), with its own query as it was registered, byte for byte.
  const url = new URL(target.redirectUri);
  const base = url.href.slice(0, url.href.length - url.search.length - url.hash.length);
  const written = target.redirectUri.split('#')[0]!;
  const query = url.search === '' ? '' : written.slice(written.indexOf('?'));
  return { mode: 'query', location: withQueryParams(`${base}${query}${url.hash}`, fields) };
}
