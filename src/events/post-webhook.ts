import { basicAuthOf, postJson } from '../http/post-json.js';
import type { Webhook } from '../model/webhook.js';

export interface PostOutcome {
  ok: boolean;
  statusCode?: number;
  /** Why no status came back (a timeout, a refused connection), without anything the request carried. */
  exception?: string;
}

/** The longest response body read (and thrown away): a receiver cannot make Standin buffer without bound. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one event body to a webhook (https://fusionauth.io/docs/extend/events-and-webhooks/writing-a-webhook):
 * JSON, the webhook's own headers, HTTP Basic credentials when set, the signature header when given. The
 * connection must open within `connectTimeout` and the receiver may stay silent at most `readTimeout` between
 * reads; either timeout, a refused connection or a non-2xx status is a failure. The answer's body is not used: past
 * the bound, its status alone decides.
 */
export async function postWebhook(webhook: Webhook, body: string, signature: string | undefined): Promise<PostOutcome> {
  const answer = await postJson({
    url: webhook.url,
    body,
    headers: { ...webhook.headers, ...(signature === undefined ? {} : { 'x-fusionauth-signature-jwt': signature }) },
    basicAuth: basicAuthOf(webhook),
    connectTimeoutMs: webhook.connectTimeout,
    readTimeoutMs: webhook.readTimeout,
    maxAnswerBytes: MAX_RESPONSE_BYTES,
  });
  if ('failure' in answer) {
    // A body that broke off after its status line is a failed read, with the status kept.
    if (answer.failure === 'ResponseError') {
      return { ok: false, ...(answer.statusCode === undefined ? {} : { statusCode: answer.statusCode }), exception: 'ReadError' };
    }
    return { ok: false, exception: answer.failure };
  }
  return { ok: answer.statusCode >= 200 && answer.statusCode <= 299, statusCode: answer.statusCode };
}
