/**
 * Where Standin sends the browser back to its hosted backend after a login. It is Standin's own endpoint,
 * which validates the caller's redirect_uri itself, so every application accepts it as a redirect URI, but
 * only exactly at the addresses Standin serves it, never on another loopback port
 * (docs/hardening-hosted-backend.md).
 */
export function hostedBackendCallback(baseUrl: string): string {
  return `${baseUrl}/app/callback`;
}
