/** What an `Authorization: Basic` header names: each half absent when it is empty. */
export interface BasicCredentials {
  clientId?: string;
  secret?: string;
}

/**
 * Reads `Authorization: Basic` (RFC 6749 §2.3.1; RFC 7617): base64 of `id:secret`, each half
 * application/x-www-form-urlencoded before encoding (RFC 6749 Appendix B). `undefined` when the header is
 * absent or another scheme; `'malformed'` when it is Basic but not that shape. The id is returned as sent:
 * whoever compares it decides whether its case matters.
 */
export function parseBasicCredentials(authorization: string | undefined): BasicCredentials | 'malformed' | undefined {
  const match = /^Basic(?: +(.*))?$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const encoded = match[1] ?? '';
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) return 'malformed';
  return { ...(clientId === '' ? {} : { clientId }), ...(secret === '' ? {} : { secret }) };
}

/** Form-urlencoded decoding; undefined for a malformed percent-escape. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
