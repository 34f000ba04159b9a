import type { OAuthConfiguration } from '../model/application.js';

/**
 * Which pages may frame an application's hosted pages. FusionAuth lets the origins in the application's
 * `oauthConfiguration.authorizedOriginURLs` load its hosted login pages in an iframe, and keeps every other page
 * out (https://fusionauth.io/docs/apis/applications, `authorizedOriginURLs`). Standin says so with CSP
 * `frame-ancestors` listing those origins, which the browser enforces against every ancestor of the frame
 * (CSP Level 3 §6.4.2), rather than FusionAuth's dropping of `X-Frame-Options` for the origin a request names
 * (docs/hardening.md, "Headers").
 */

// scheme://host[:port] with an optional trailing slash; `*.` before the host and `*` as the port are the
// wildcards CSP host-sources and FusionAuth's AllowWildcards policy share.
const ORIGIN_PATTERN = /^([a-z][a-z0-9+.-]*):\/\/((?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?\/?$/i;

/**
 * The CSP source expressions for an application's `authorizedOriginURLs`: each entry that is an origin,
 * written as one; an entry with wildcards only under `authorizedURLValidationPolicy: AllowWildcards`. Entries
 * that name no origin (a path, a query) frame nothing: they could never be a frame's ancestor.
 */
export function frameAncestorSources(oauth: Pick<OAuthConfiguration, 'authorizedOriginURLs' | 'authorizedURLValidationPolicy'>): string[] {
  const wildcards = oauth.authorizedURLValidationPolicy === 'AllowWildcards';
  const sources = oauth.authorizedOriginURLs.flatMap((url) => {
    const match = ORIGIN_PATTERN.exec(url);
    if (!match) return [];
    const [, scheme = '', host = '', port] = match;
    if (!wildcards && (host.startsWith('*.') || port === '*')) return [];
    return [`${scheme}://${host}${port === undefined ? '' : `:${port}`}`.toLowerCase()];
  });
  return [...new Set(sources)];
}

/** The Content-Security-Policy value with its `frame-ancestors` directive replaced by these sources. */
export function withFrameAncestors(policy: string, sources: readonly string[]): string {
  return policy
    .split(';')
    .map((directive) => (directive.trim().toLowerCase().startsWith('frame-ancestors ') ? `frame-ancestors ${sources.join(' ')}` : directive))
    .join(';');
}
