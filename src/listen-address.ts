/** Loopback only: what nobody else on the network can reach (docs/hardening.md, "Listening address"). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The URL people use to reach a server listening on `host:port`: `localhost` for loopback and "any" addresses. */
export function publicUrl(host: string, port: number): string {
  if (isLoopback(host) || host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
