import { postJson } from '../http/post-json.js';
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

/** The longest answer read (and thrown away): a receiver cannot keep Standin reading, or buffering, without bound. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `message` to a Generic messenger: its `headers`, then `Content-Type: application/json` and, with
 * `httpAuthenticationUsername`, HTTP Basic authentication (RFC 7617). A 2xx answer is success, anything else a failure
 * ("return a status code outside of that range"). The whole request may take `connectTimeout + readTimeout`
 * milliseconds, at most 25 s (docs/messengers.md). The answer's body is not used: Standin stops reading it past
 * 64 KiB or at that deadline, and the status alone decides. Redirects are not followed: a receiver answers, it does
 * not send Standin elsewhere.
 */
export async function postToGenericMessenger(messenger: Messenger, message: GenericMessageRequest): Promise<PostOutcome> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(messenger.headers ?? {})) if (typeof value === 'string') headers[name] = value;
  const username = messenger.httpAuthenticationUsername;
  const password = typeof messenger.httpAuthenticationPassword === 'string' ? messenger.httpAuthenticationPassword : '';
  const timeoutMs = Math.min(numberOr(messenger.connectTimeout, 1000) + numberOr(messenger.readTimeout, 2000), MAX_SEND_MS);
  // One deadline for connecting and answering together, as this messenger has always been documented to keep.
  const answer = await postJson({
    url: typeof messenger.url === 'string' ? messenger.url : '',
    body: JSON.stringify(message),
    headers,
    basicAuth: typeof username === 'string' && username !== '' ? { username, password } : undefined,
    connectTimeoutMs: timeoutMs,
    readTimeoutMs: timeoutMs,
    deadlineMs: timeoutMs,
    maxAnswerBytes: MAX_ANSWER_BYTES,
  });
  // Once the status line came, it decides, whatever became of the body (cut at the bound or the deadline, or broken off).
  if ('failure' in answer && answer.statusCode === undefined) {
    const { failure } = answer;
    if (failure === 'ConnectTimeout' || failure === 'ReadTimeout' || failure === 'DeadlineExceeded') {
      return { ok: false, error: `the receiver did not answer within ${timeoutMs} ms` };
    }
    return { ok: false, error: `the receiver could not be reached (${failure})` };
  }
  const status = answer.statusCode ?? 0;
  if (status >= 200 && status <= 299) return { ok: true, status };
  return { ok: false, status, error: `the receiver answered HTTP ${status}` };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
