/**
 * `uri` with `params` appended to its query, the query it already has kept byte for byte (RFC 6749 §3.1.2: the
 * endpoint URI's query component "MUST be retained" when parameters are added); a fragment stays last.
 * `URL.searchParams` would re-encode the kept query (`a%20b` to `a+b`, `flag` to `flag=`).
 */
export function withQueryParams(uri: string, params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return uri;
  const hash = uri.indexOf('#');
  const [base, fragment] = hash < 0 ? [uri, ''] : [uri.slice(0, hash), uri.slice(hash)];
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  const added = params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  return `${base}${separator}${added}${fragment}`;
}
