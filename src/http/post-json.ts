import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

/** One JSON POST to a receiver Standin calls out to: a webhook, a Generic connector, a Generic messenger. */
export interface JsonPost {
  url: string;
  /** The JSON text sent. */
  body: string;
  /** The caller's own headers; `Content-Type`, `Content-Length` and (with `basicAuth`) `Authorization` are set over them. */
  headers: Record<string, string>;
  /** HTTP Basic credentials, sent when given (RFC 7617). */
  basicAuth?: { username: string; password: string } | undefined;
  /** The connection (name lookup included) must open within this many milliseconds. */
  connectTimeoutMs: number;
  /** Once connected, the receiver may stay silent at most this long between reads. */
  readTimeoutMs: number;
  /** The whole exchange must end within this many milliseconds, when given: a receiver that keeps writing slowly is stopped. */
  deadlineMs?: number | undefined;
  /** The longest answer body read: a receiver cannot make Standin buffer (or read) without bound. */
  maxAnswerBytes: number;
  /** A client certificate for an https receiver. */
  certificate?: { cert: string; key: string } | undefined;
}

/**
 * The Basic credentials of a receiver configured as FusionAuth's webhooks and Generic connectors are: sent when either
 * `httpAuthenticationUsername` or `httpAuthenticationPassword` is set, the other then empty.
 */
export function basicAuthOf(receiver: {
  httpAuthenticationUsername?: string | undefined;
  httpAuthenticationPassword?: string | undefined;
}): JsonPost['basicAuth'] {
  const { httpAuthenticationUsername: username, httpAuthenticationPassword: password } = receiver;
  return username === undefined && password === undefined ? undefined : { username: username ?? '', password: password ?? '' };
}

/** Why a POST got no (whole) answer, in words that carry nothing the request did: no URL, no header, no credential. */
export type JsonPostFailure =
  | 'InvalidURL'
  | 'InvalidRequest'
  | 'ConnectTimeout'
  | 'ReadTimeout'
  | 'DeadlineExceeded'
  /** The answer's body broke off after its status line. */
  | 'ResponseError'
  /** Node's error code for a failed connection (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, …) or `ConnectionError`. */
  | (string & {});

/**
 * What came back: the whole answer (`body` at most `maxAnswerBytes`), an answer whose body went past the bound
 * (`tooLarge`: its status, and reading stopped there), or a failure; a failure after the status line came (a read
 * timeout, the deadline, a body that broke off) carries that status.
 */
export type JsonPostAnswer =
  | { statusCode: number; body: Buffer; tooLarge?: undefined }
  | { statusCode: number; tooLarge: true }
  | { failure: JsonPostFailure; statusCode?: number };

/**
 * POSTs JSON with a connect timeout, a read timeout, an optional deadline and a bound on the answer read. A fresh
 * connection each time (no keep-alive agent), so that a connect timeout means what it says; redirects are not
 * followed (a 3xx is an answer like any other). Never throws; what each answer means is the caller's to say.
 */
export function postJson(post: JsonPost): Promise<JsonPostAnswer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(post.url);
    } catch {
      resolve({ failure: 'InvalidURL' });
      return;
    }
    const headers: Record<string, string> = {
      ...post.headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(post.body)),
    };
    if (post.basicAuth !== undefined) {
      // RFC 7617 §2: user-id ":" password, base64.
      const credentials = `${post.basicAuth.username}:${post.basicAuth.password}`;
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }

    let settled = false;
    let statusCode: number | undefined;
    let req: ClientRequest | undefined;
    const fail = (failure: JsonPostFailure) => {
      finish(statusCode === undefined ? { failure } : { failure, statusCode });
    };
    const finish = (answer: JsonPostAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(deadlineTimer);
      req?.destroy();
      resolve(answer);
    };
    const connectTimer = setTimeout(() => {
      fail('ConnectTimeout');
    }, post.connectTimeoutMs);
    const deadlineTimer =
      post.deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            fail('DeadlineExceeded');
          }, post.deadlineMs);
    const options: RequestOptions = { method: 'POST', headers, agent: false, ...(post.certificate ?? {}) };
    try {
      req = url.protocol === 'https:' ? httpsRequest(url, options) : httpRequest(url, options);
    } catch {
      fail('InvalidRequest');
      return;
    }
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        socket.setTimeout(post.readTimeoutMs, () => {
          fail('ReadTimeout');
        });
      };
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(error.code ?? 'ConnectionError');
    });
    req.on('response', (response) => {
      const status = response.statusCode ?? 0;
      statusCode = status;
      const chunks: Buffer[] = [];
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > post.maxAnswerBytes) finish({ statusCode: status, tooLarge: true });
        else chunks.push(chunk);
      });
      response.on('end', () => {
        finish({ statusCode: status, body: Buffer.concat(chunks) });
      });
      response.on('error', () => {
        fail('ResponseError');
      });
    });
    req.end(post.body);
  });
}
