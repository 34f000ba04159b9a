import type { Fault, FaultList } from '../control/faults.js';
import type { Webhook } from '../model/webhook.js';
import type { PostOutcome } from './post-webhook.js';

/** The fault path of a webhook's deliveries: `/_webhook/<webhookId>`, or `/_webhook/*` for all (docs/webhooks.md, "Faults"). */
export function deliveryFaultPath(webhookId: string): string {
  return `/_webhook/${webhookId}`;
}

/**
 * A queued fault for this webhook's next delivery, as it plays out: a delay of at least the webhook's
 * `readTimeout` is a read timeout; a `status` (or an `oauthError`, as 400) is the receiver's answer without asking
 * it; a delay alone only delays the real request. Undefined when no fault applies.
 */
export async function faultedDelivery(faults: FaultList, webhook: Webhook): Promise<PostOutcome | 'proceed' | undefined> {
  const fault: Fault | undefined = faults.take({ method: 'POST', path: deliveryFaultPath(webhook.id) }, true);
  if (!fault) return undefined;
  const delay = fault.delayMs ?? 0;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(delay, webhook.readTimeout)));
  if (delay >= webhook.readTimeout) return { ok: false, exception: 'ReadTimeout' };
  const status = fault.status ?? (fault.oauthError !== undefined ? 400 : undefined);
  if (status === undefined) return 'proceed';
  return { ok: status >= 200 && status <= 299, statusCode: status };
}
