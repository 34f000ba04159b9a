/**
 * Schemes a browser runs or renders itself instead of navigating to an application: a redirect there after a
 * login would run the attacker's script on the sender's behalf, or show a page the attacker wrote.
 */
const SCRIPT_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:']);

/**
 * Why `value` can never be a safe URL to send a browser to (a redirect or logout URL), or `undefined` when
 * it can be. Custom schemes of native apps (`com.example.app:/callback`, RFC 8252 §7.1) are fine.
 */
export function unsafeRedirectUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  let url: URL;
  try {
    // The WHATWG parser also refuses ports above 65535, and sees through case, tabs and leading spaces.
    url = new URL(value);
  } catch {
    return 'is not an absolute URL with a valid port';
  }
  if (SCRIPT_SCHEMES.has(url.protocol)) return `uses the [${url.protocol.slice(0, -1)}] scheme, which a browser would run instead of leaving for`;
  if (url.port === '0') return 'names port 0, which nothing can listen on';
  return undefined;
}
