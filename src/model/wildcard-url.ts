/**
 * Authorized redirect URLs with wildcards, under an application's `authorizedURLValidationPolicy: AllowWildcards`
 * (FusionAuth "OAuth URL Validation", https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/url-validation):
 * one `*` in the left-most label of a domain of three labels or more (not an IP address), a whole port, one `*` per
 * path segment, and whole query values. Each `*` stands for one character or more (what, below); everything else
 * matches exactly.
 */

// scheme://host[:port][path][?query], with no fragment (RFC 6749 §3.1.2).
const PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#:]+)(?::(\*|[0-9]+))?(\/[^?#]*)?(\?[^#]*)?$/;
const IPV4 = /^[0-9*]+(\.[0-9*]+){3}$/;

interface Parts {
  scheme: string;
  host: string;
  port: string | undefined;
  path: string;
  query: string | undefined;
}

function partsOf(url: string): Parts | undefined {
  const match = PARTS.exec(url);
  if (!match) return undefined;
  return { scheme: match[1]!, host: match[2]!, port: match[3], path: match[4] ?? '', query: match[5] };
}

const count = (text: string) => text.split('*').length - 1;

/** Why the wildcards of `url` are not where FusionAuth allows them; undefined when they are (or there are none). */
export function wildcardProblem(url: string): string | undefined {
  if (!url.includes('*')) return undefined;
  const parts = partsOf(url);
  if (!parts) return 'is not an absolute URL with wildcards only in the host, port, path or query values';
  const labels = parts.host.split('.');
  if (parts.host.includes('*')) {
    // An IPv6 literal does not parse here at all (its colons).
    if (IPV4.test(parts.host)) return 'has a wildcard in an IP address';
    if (count(parts.host) > 1) return 'has more than one wildcard in its domain';
    if (!labels[0]!.includes('*')) return 'has a wildcard outside the left-most label of its domain';
    if (labels.length < 3) return 'has a wildcard in a domain of fewer than three labels';
  }
  if (parts.path.split('/').some((segment) => count(segment) > 1)) return 'has more than one wildcard in a path segment';
  for (const pair of (parts.query ?? '').slice(1).split('&')) {
    const [name = '', value = ''] = pair.split('=', 2);
    if (name.includes('*')) return 'has a wildcard in a query parameter name';
    if (value.includes('*') && value !== '*') return 'has a partial wildcard in a query value';
  }
  return undefined;
}

/** `url` with each wildcard replaced by a sample value: what the other checks of a redirect URL are run on. */
export function wildcardSample(url: string): string {
  const parts = partsOf(url);
  if (!parts || !url.includes('*')) return url;
  const port = parts.port === '*' ? ':1' : parts.port === undefined ? '' : `:${parts.port}`;
  return `${parts.scheme}${parts.host.replace('*', 'w')}${port}${parts.path.replaceAll('*', 'w')}${(parts.query ?? '').replaceAll('*', 'w')}`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const withWildcard = (text: string, replacement: string) => text.split('*').map(escape).join(replacement);

// What a wildcard stands for. Narrower than FusionAuth's wording (no `.:/?` in a host, no `/?` in a path segment,
// no `&` in a query value): a host part is letters, digits and hyphens only, and no part takes whitespace, control
// characters, `#` or a backslash, which browsers read as `/`. The URL is a redirect target.
const HOST_PART = '[A-Za-z0-9-]+';
const PATH_PART = '[^/?#\\\\\\s\\x00-\\x1f]+';
const QUERY_PART = '[^&#\\\\\\s\\x00-\\x1f]+';

/** Whether `requested` matches `registered`, a URL whose wildcards are where FusionAuth allows them. */
export function matchesWildcardUrl(registered: string, requested: string): boolean {
  const parts = partsOf(registered);
  if (!parts || wildcardProblem(registered) !== undefined) return false;
  const port = parts.port === undefined ? '' : parts.port === '*' ? ':[0-9]+' : `:${parts.port}`;
  const pattern =
    `^${escape(parts.scheme)}${withWildcard(parts.host, HOST_PART)}${port}` +
    `${withWildcard(parts.path, PATH_PART)}${parts.query === undefined ? '' : withWildcard(parts.query, QUERY_PART)}$`;
  return new RegExp(pattern).test(requested);
}
