import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TOTP as FusionAuth fixes it: RFC 6238 with HMAC-SHA1, 6 digits and a 30-second step
 * (https://fusionauth.io/docs/apis/two-factor, "TOTP Implementation"). Time comes from the caller, so
 * Standin's controllable clock (`config.now()`) drives it.
 */
export const TOTP = { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } as const;

/**
 * Steps accepted either side of the current one. FusionAuth does not document its window; RFC 6238 §5.2
 * recommends at most one step of network delay, so Standin accepts the previous, current and next code
 * (docs/two-factor.md).
 */
export const TOTP_WINDOW = 1;

/** The RFC 6238 §4.2 time step counter T of an instant in epoch milliseconds. */
export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP.timeStep);
}

/** The HOTP value (RFC 4226 §5.3) of `secret` at counter `step`, as six digits. */
export function hotp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP.codeLength).padStart(TOTP.codeLength, '0');
}

/** The code an authenticator app shows at `nowMs`. */
export function totpCode(secret: Buffer, nowMs: number): string {
  return hotp(secret, timeStep(nowMs));
}

/**
 * The time step whose code `code` is, within ± TOTP_WINDOW of `nowMs`, or undefined. The caller records the
 * step so the same code is not accepted twice (RFC 6238 §5.2).
 */
export function matchingStep(secret: Buffer, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = timeStep(nowMs);
  let found: number | undefined;
  // Every candidate is computed and compared in constant time, so timing tells nothing about which one matched.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code)) && found === undefined) found = step;
  }
  return found;
}
