import { basicAuthOf, postJson } from '../http/post-json.js';
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
 * ("Performance Considerations": neither bounds a response that keeps writing, which the size bound does here). Only
 * a 200's body is parsed. Never throws.
 */
export async function postToConnector(
  connector: GenericConnector,
  body: string,
  certificate: ClientCertificate | undefined,
): Promise<ConnectorAnswer> {
  const answer = await postJson({
    url: connector.authenticationURL,
    body,
    headers: { ...connector.headers, accept: 'application/json' },
    basicAuth: basicAuthOf(connector),
    connectTimeoutMs: connector.connectTimeout,
    readTimeoutMs: connector.readTimeout,
    maxAnswerBytes: MAX_RESPONSE_BYTES,
    certificate,
  });
  if ('failure' in answer) return { failure: answer.failure };
  if (answer.tooLarge) return { failure: 'ResponseTooLarge' };
  if (answer.statusCode !== 200) return { statusCode: answer.statusCode, body: undefined };
  try {
    return { statusCode: 200, body: JSON.parse(answer.body.toString('utf8')) as unknown };
  } catch {
    return { failure: 'InvalidJSON' };
  }
}
