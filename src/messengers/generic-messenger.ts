import type { Messenger } from '../model/messenger.js';

/**
 * The JSON FusionAuth's Generic messenger POSTs to its `url` for a text message
 * (https://fusionauth.io/docs/customize/email-and-messages/generic-messenger, "Writing the Generic Message Receiver").
 */
export interface GenericMessageRequest {
  code?: string;
  phoneNumber: string;
  textMessage: string;
  type: 'SMS';
  userId: string;
}

/** What the receiver made of it: accepted (2xx), or why not, in words that carry no URL or credential. */
export type PostOutcome = { ok: true; status: number } | { ok: false; status?: number; error: string };

// The longest a send may take: below the server's 30 s request timeout, so the API call waiting on it always answers.
const MAX_SEND_MS = 25_000;

/**
 * POSTs `message` to a Generic messenger: its `headers`, then `Content-Type: application/json` and, with
 * `httpAuthenticationUsername`, HTTP Basic authentication (RFC 7617). A 2xx answer is success, anything else a failure
 * ("return a status code outside of that range"). Node's fetch has one deadline, not a connect and a read timeout, so
 * the two are added: the request may take `connectTimeout + readTimeout` milliseconds in all, at most 25 s. Redirects
 * are not followed: a receiver answers, it does not send Standin elsewhere.
 */
export async function postToGenericMessenger(messenger: Messenger, message: GenericMessageRequest): Promise<PostOutcome> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(messenger.headers ?? {})) if (typeof value === 'string') headers[name] = value;
  headers['Content-Type'] = 'application/json';
  const username = messenger.httpAuthenticationUsername;
  if (typeof username === 'string' && username !== '') {
    const password = typeof messenger.httpAuthenticationPassword === 'string' ? messenger.httpAuthenticationPassword : '';
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  const timeoutMs = Math.min(numberOr(messenger.connectTimeout, 1000) + numberOr(messenger.readTimeout, 2000), MAX_SEND_MS);
  try {
    const response = await fetch(messenger.url as string, {
      method: 'POST',
      headers,
      body: JSON.stringify(message),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not needed; reading it to the end frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status <= 299) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `the receiver answered HTTP ${response.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, error: `the receiver did not answer within ${timeoutMs} ms` };
    // fetch's own message names no URL ("fetch failed"); its cause's code says why (ECONNREFUSED, ENOTFOUND, …).
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, error: `the receiver could not be reached${typeof code === 'string' ? ` (${code})` : ''}` };
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
