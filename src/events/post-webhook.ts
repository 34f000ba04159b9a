import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
 * reads; either timeout, a refused connection or a non-2xx status is a failure. A fresh connection each time
 * (no keep-alive agent), so a connect timeout means what it says.
 */
export function postWebhook(webhook: Webhook, body: string, signature: string | undefined): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(webhook.url);
    } catch {
      resolve({ ok: false, exception: 'InvalidURL' });
      return;
    }
    const headers: Record<string, string> = {
      ...webhook.headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (webhook.httpAuthenticationUsername !== undefined || webhook.httpAuthenticationPassword !== undefined) {
      // RFC 7617 §2: user-id ":" password, base64.
      const credentials = `${webhook.httpAuthenticationUsername ?? ''}:${webhook.httpAuthenticationPassword ?? ''}`;
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
    if (signature !== undefined) headers['x-fusionauth-signature-jwt'] = signature;

    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req?.destroy();
      resolve(outcome);
    };
    const connectTimer = setTimeout(() => {
      finish({ ok: false, exception: 'ConnectTimeout' });
    }, webhook.connectTimeout);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    try {
      req = send(url, { method: 'POST', headers, agent: false });
    } catch {
      finish({ ok: false, exception: 'InvalidRequest' });
      return;
    }
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        socket.setTimeout(webhook.readTimeout, () => {
          finish({ ok: false, exception: 'ReadTimeout' });
        });
      };
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, exception: error.code ?? 'ConnectionError' });
    });
    req.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) finish({ ok: statusCode >= 200 && statusCode <= 299, statusCode });
      });
      response.on('end', () => {
        finish({ ok: statusCode >= 200 && statusCode <= 299, statusCode });
      });
      response.on('error', () => {
        finish({ ok: false, statusCode, exception: 'ReadError' });
      });
    });
    req.end(body);
  });
}
