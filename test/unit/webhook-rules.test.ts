import t from 'tap';
import { ApiError } from '../../src/errors.js';
import { createDeliveryQueue } from '../../src/events/delivery-queue.js';
import { eventSettingOf, transactionSucceeded } from '../../src/model/event-configuration.js';
import { buildWebhook, webhookHearsTenant, type WebhookContext } from '../../src/model/webhook.js';

const TENANT = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000002';
const context: WebhookContext = {
  id: 'bbbbbbbb-0000-4000-8000-000000000001',
  now: 1,
  signingKeyUsable: () => true,
  tenantExists: (id) => id === TENANT || id === OTHER,
};
const fieldsOf = (call: () => unknown): string[] => {
  try {
    call();
  } catch (error) {
    return Object.keys((error as ApiError).errors?.fieldErrors ?? {});
  }
  return [];
};

t.test('transaction types count 2xx answers as FusionAuth defines them', async (t) => {
  const cases: Array<[Parameters<typeof transactionSucceeded>[0], number, number, boolean]> = [
    ['None', 0, 3, true],
    ['Any', 1, 3, true],
    ['Any', 0, 3, false],
    ['SimpleMajority', 1, 2, true],
    ['SimpleMajority', 1, 3, false],
    ['SuperMajority', 2, 3, true],
    ['SuperMajority', 3, 5, false],
    ['AbsoluteMajority', 3, 3, true],
    ['AbsoluteMajority', 2, 3, false],
    ['AbsoluteMajority', 0, 0, true],
  ];
  for (const [type, succeeded, total, expected] of cases)
    t.equal(transactionSucceeded(type, succeeded, total), expected, `${type}: ${succeeded} of ${total}`);
});

t.test('an event is on only when the tenant enables it', async (t) => {
  t.same(eventSettingOf(undefined, 'user.create'), { enabled: false, transactionType: 'None' });
  const tenant = { eventConfiguration: { events: { 'user.create': { enabled: true, transactionType: 'Any' }, 'user.delete': { enabled: false } } } };
  t.same(eventSettingOf(tenant, 'user.create'), { enabled: true, transactionType: 'Any' });
  t.same(eventSettingOf(tenant, 'user.delete'), { enabled: false, transactionType: 'None' });
  t.same(eventSettingOf(tenant, 'user.update'), { enabled: false, transactionType: 'None' });
});

t.test('a webhook hears every tenant when global, else only those it lists', async (t) => {
  const base = { url: 'http://127.0.0.1:1/x', connectTimeout: 1, readTimeout: 1 };
  t.ok(webhookHearsTenant(buildWebhook({ ...base, global: true }, context), OTHER));
  t.notOk(webhookHearsTenant(buildWebhook(base, context), TENANT), 'neither global nor listing a tenant: hears nothing');
  const scoped = buildWebhook({ ...base, tenantIds: [TENANT.toUpperCase()] }, context);
  t.ok(webhookHearsTenant(scoped, TENANT));
  t.notOk(webhookHearsTenant(scoped, OTHER));
  t.notOk(webhookHearsTenant(scoped, undefined));
});

t.test('webhook validation', async (t) => {
  const base = { url: 'http://127.0.0.1:1/x', connectTimeout: 1, readTimeout: 1 };
  t.same(fieldsOf(() => buildWebhook({}, context)).sort(), ['webhook.connectTimeout', 'webhook.readTimeout', 'webhook.url']);
  t.same(
    fieldsOf(() => buildWebhook({ ...base, url: 'file:///etc/passwd' }, context)),
    ['webhook.url'],
  );
  t.same(
    fieldsOf(() => buildWebhook({ ...base, headers: { 'X-Ok': 'a\r\nInjected: 1' } }, context)),
    ['webhook.headers'],
    'no header injection',
  );
  t.same(
    fieldsOf(() => buildWebhook({ ...base, headers: { 'Content-Length': '1' } }, context)),
    ['webhook.headers'],
    'no framing headers',
  );
  t.same(
    fieldsOf(() => buildWebhook({ ...base, tenantIds: ['cccccccc-0000-4000-8000-000000000009'] }, context)),
    ['webhook.tenantIds'],
  );
  t.same(
    fieldsOf(() => buildWebhook({ ...base, eventsEnabled: { 'user.create': 'yes' } }, context)),
    ['webhook.eventsEnabled'],
  );
  t.same(
    fieldsOf(() =>
      buildWebhook({ ...base, signatureConfiguration: { enabled: true, signingKeyId: TENANT } }, { ...context, signingKeyUsable: () => false }),
    ),
    ['webhook.signatureConfiguration.signingKeyId'],
  );
});

t.test('the delivery queue never runs more than its bound and refuses past its length', async (t) => {
  const queue = createDeliveryQueue(2, 3);
  let running = 0;
  let peak = 0;
  const releases: Array<() => void> = [];
  const task = () => async () => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running -= 1;
  };
  const accepted = Array.from({ length: 6 }, () => queue.push(task()));
  t.same(accepted, [true, true, true, true, true, false], 'two run, three wait, the sixth is refused');
  t.equal(queue.running, 2);
  while (releases.length > 0 || queue.running > 0) {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await queue.idle();
  t.equal(peak, 2);
});
