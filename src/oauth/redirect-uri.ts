import { matchesWildcardUrl } from '../model/wildcard-url.js';

// http on a loopback host, with an optional port, then the rest of the URI.
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?=[/?#]|$)/i;

/**
 * Whether `requested` is one of the registered redirect URIs: simple string comparison, nothing normalised
 * (RFC 9700 §2.1, §4.1.3; OAuth 2.1 §2.3.1), except that an http URI on localhost, 127.0.0.1 or [::1]
 * matches on any port (OAuth 2.1 §8.4.2; RFC 8252 §7.3), as FusionAuth allows for local development. With
 * `allowWildcards` (the application's `authorizedURLValidationPolicy: AllowWildcards`), a registered URI's `*`
 * match as FusionAuth's wildcards do (model/wildcard-url.ts).
 */
export function isRegisteredRedirectUri(registered: readonly string[], requested: string, allowWildcards = false): boolean {
  const portless = withoutLoopbackPort(requested);
  return registered.some(
    (uri) =>
      uri === requested ||
      (portless !== undefined && withoutLoopbackPort(uri) === portless) ||
      (allowWildcards && uri.includes('*') && matchesWildcardUrl(uri, requested)),
  );
}

/** `isRegisteredRedirectUri` against an application's OAuth configuration, under its URL validation policy. */
export function isApplicationRedirectUri(
  oauth: { authorizedRedirectURLs: readonly string[]; authorizedURLValidationPolicy: string },
  requested: string,
): boolean {
  return isRegisteredRedirectUri(oauth.authorizedRedirectURLs, requested, oauth.authorizedURLValidationPolicy === 'AllowWildcards');
}

function withoutLoopbackPort(uri: string): string | undefined {
  const match = LOOPBACK.exec(uri);
  return match ? `http://${match[1]!.toLowerCase()}${uri.slice(match[0].length)}` : undefined;
}
