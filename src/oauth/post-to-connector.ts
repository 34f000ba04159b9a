import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { GenericConnector } from '../model/connector.js';

/** What a Generic connector answered: its status and JSON body, or why there was none (never what was sent). */
export type ConnectorAnswer = { statusCode: number; body: unknown } | { failure: string };

/** A connector answers one user: a larger body is a failure, so that an endpoint cannot make Standin buffer without bound. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The client certificate a connector's `sslCertificateKeyId` names: PEM certificate and private key. */
export interface ClientCertificate {
  cert: string;
  key: string;
}

/**
 * POSTs a login to a Generic connector (https://fusionauth.io/docs/lifecycle/migrate-users/connectors/generic-connector):
 * JSON, the connector's own headers, HTTP Basic credentials when set, the client certificate when one is named. The
 * connection must open within `connectTimeout`, and the endpoint may stay silent at most `readTimeout` between reads
 * ("Performance Considerations": neither bounds a response that keeps writing, which the size bound does here). A fresh
 * connection each time (no keep-alive agent), so a connect timeout means what it says. Never throws.
 */
export function postToConnector(connector: GenericConnector, body: string, certificate: ClientCertificate | undefined): Promise<ConnectorAnswer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(connector.authenticationURL);
    } catch {
      resolve({ failure: 'InvalidURL' });
      return;
    }
    const headers: Record<string, string> = {
      ...connector.headers,
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (connector.httpAuthenticationUsername !== undefined || connector.httpAuthenticationPassword !== undefined) {
      // RFC 7617 §2: user-id ":" password, base64.
      const credentials = `${connector.httpAuthenticationUsername ?? ''}:${connector.httpAuthenticationPassword ?? ''}`;
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }

    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (answer: ConnectorAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req?.destroy();
      resolve(answer);
    };
    const connectTimer = setTimeout(() => {
      finish({ failure: 'ConnectTimeout' });
    }, connector.connectTimeout);
    const options: RequestOptions = { method: 'POST', headers, agent: false, ...(certificate ?? {}) };
    try {
      req = url.protocol === 'https:' ? httpsRequest(url, options) : httpRequest(url, options);
    } catch {
      finish({ failure: 'InvalidRequest' });
      return;
    }
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        socket.setTimeout(connector.readTimeout, () => {
          finish({ failure: 'ReadTimeout' });
        });
      };
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ failure: error.code ?? 'ConnectionError' });
    });
    req.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) finish({ failure: 'ResponseTooLarge' });
        else chunks.push(chunk);
      });
      response.on('end', () => {
        let parsed: unknown;
        try {
          parsed = statusCode === 200 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        } catch {
          finish({ failure: 'InvalidJSON' });
          return;
        }
        finish({ statusCode, body: parsed });
      });
      response.on('error', () => {
        finish({ failure: 'ResponseError' });
      });
    });
    req.end(body);
  });
}
