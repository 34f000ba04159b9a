import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import { startStandin, type KickstartRequest } from '../../src/index.js';
import { CLIENT_TENANT_ID } from './constants.js';
import { authenticatorCode } from './totp.js';

export interface AuthenticatorStandin {
  standin: Awaited<ReturnType<typeof startStandin>>;
  /** FusionAuth's TypeScript client with the kickstart's API key. */
  client: FusionAuthClient;
  /** The enrolled user's authenticator secret, base32. */
  secret: string;
  /** The authenticator app's code at the control clock's time. */
  code: () => string;
}

/**
 * A Standin for second-factor tests: the kickstart's `requests` replayed with `apiKey` on the default tenant, a
 * clock frozen five seconds into a 30-second time step (only the control clock moves it, so a code stays the
 * code until the test advances it), and `userId` enrolled with an authenticator through the Two Factor API.
 */
export async function startWithAuthenticator(
  t: Test,
  { apiKey, requests, userId }: { apiKey: string; requests: KickstartRequest[]; userId: string },
): Promise<AuthenticatorStandin> {
  const frozen = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => frozen,
    kickstart: { variables: { defaultTenantId: CLIENT_TENANT_ID }, apiKeys: [{ key: apiKey }], requests },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(apiKey, standin.url);
  const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
  const code = () => authenticatorCode(secret, standin.clock.now());
  await client.enableTwoFactor(userId, { method: 'authenticator', code: code(), secretBase32Encoded: secret });
  return { standin, client, secret, code };
}
