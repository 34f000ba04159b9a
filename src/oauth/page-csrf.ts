import { createHmac } from 'node:crypto';

/** The token of a form: an HMAC, keyed by the browser's secret, of the form's purpose and hidden fields. */
export function pageCsrfToken(secret: string, purpose: string, fields: ReadonlyArray<readonly [string, string]>): string {
  const bound = JSON.stringify([purpose, ...[...fields].filter(([name]) => name !== 'csrf_token').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  return createHmac('sha256', secret).update(bound).digest('base64url');
}
