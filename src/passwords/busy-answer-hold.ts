/**
 * How long Standin holds an answer that refuses a login because argon2 is saturated (503, or 429 for an address
 * past its failed-login budget while saturated) before sending it. A client that ignores `Retry-After` asks
 * again the moment its refusal arrives: refused at once, 300 such connections ask about 8,000 times a second on
 * two cores, and the CPU those refusals cost is taken from the password checks under way and from every other
 * client. Held, each connection asks at most ten times a second; the refusal itself is unchanged
 * (docs/hardening.md, "Refusals while busy"; bench/README.md, "Seventeenth round").
 */
export const BUSY_ANSWER_HOLD_MS = 100;

/** Settles once a refusal given now has been held long enough to be sent. */
export function busyAnswerHold(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, BUSY_ANSWER_HOLD_MS));
}
