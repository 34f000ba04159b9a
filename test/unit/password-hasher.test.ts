import t from 'tap';
import { PASSWORD_HASHING_PRESETS } from '../../src/config.js';
import { BUSY_ANSWER_HOLD_MS } from '../../src/passwords/busy-answer-hold.js';
import { createPasswordHasher } from '../../src/passwords/password-hasher.js';

const hasher = createPasswordHasher(PASSWORD_HASHING_PRESETS.fast);

t.test('a hash is argon2id with the configured cost and verifies only the right password', async (t) => {
  const hash = await hasher.hash('correct horse battery');
  t.match(hash, /^\$argon2id\$v=19\$/);
  t.match(hash, /m=1024/);
  t.match(hash, /t=1/);
  t.equal(await hasher.verify(hash, 'correct horse battery'), true);
  t.equal(await hasher.verify(hash, 'correct horse batterY'), false);
  t.not(await hasher.hash('correct horse battery'), hash, 'a new salt every time');
});

t.test('hashes of another cost verify, and are marked for rehashing', async (t) => {
  const standard = createPasswordHasher(PASSWORD_HASHING_PRESETS.standard);
  const hash = await standard.hash('password');
  t.equal(await hasher.verify(hash, 'password'), true);
  t.equal(await hasher.needsRehash(hash), true);
  t.equal(await standard.needsRehash(hash), false);
});

t.test('a stored hash that demands an excessive cost is refused, not computed', async (t) => {
  const hash = await hasher.hash('password');
  const [, , , , salt, digest] = hash.split('$');
  const salted = `$${salt}$${digest}`;
  const withParams = (params: string) => `$argon2id$v=19$${params}${salted}`;
  t.equal(await hasher.verify(withParams('m=1024,t=1,p=1'), 'password'), true, 'the same parameters, rebuilt, still verify');
  t.equal(await hasher.verify(withParams('m=4194304,t=1,p=1'), 'password'), false, '4 GiB of memory');
  t.equal(await hasher.verify(withParams('m=1024,t=1000,p=1'), 'password'), false, '1000 passes');
  t.equal(await hasher.verify(withParams('m=1024,t=1,p=64'), 'password'), false, '64 lanes');
  t.equal(await hasher.verify(withParams('m=1024,m=1024,p=1'), 'password'), false, 'a repeated parameter');
  t.equal(await hasher.verify('$argon2i$v=19$m=1024,t=1,p=1' + salted, 'password'), false, 'not argon2id');
  t.equal(await hasher.verify('plaintext', 'plaintext'), false, 'not a hash at all');
});

t.test('password checks wait in a bounded queue: past the bound, or past the timeout, they are refused', async (t) => {
  const { PasswordsBusyError } = await import('../../src/passwords/password-hasher.js');
  const standard = createPasswordHasher(PASSWORD_HASHING_PRESETS.standard, 1, { queue: 2, timeoutMs: 60_000 });
  const hash = await standard.hash('password');
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => standard.verify(hash, 'password')));
  t.same(
    results.map((result) => result.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected'],
    'one running, two waiting, three refused',
  );
  t.ok(results.slice(3).every((result) => result.status === 'rejected' && result.reason instanceof PasswordsBusyError));
  t.same(standard.load(), { running: 0, waiting: 0 }, 'nothing left behind');

  const impatient = createPasswordHasher(PASSWORD_HASHING_PRESETS.standard, 1, { queue: 10, timeoutMs: 1 });
  const timed = await Promise.allSettled([impatient.verify(hash, 'password'), impatient.verify(hash, 'password')]);
  t.equal(timed[0].status, 'fulfilled', 'the running check finishes');
  t.ok(timed[1].status === 'rejected' && timed[1].reason instanceof PasswordsBusyError, 'the waiting one gives up after its timeout');
  t.equal(await impatient.verify(hash, 'password'), true, 'and the hasher still works');
  const unbounded = await Promise.all(Array.from({ length: 4 }, () => impatient.hash('x')));
  t.equal(unbounded.length, 4, 'hashing new passwords (API-key callers) waits its turn, unbounded');
});

t.test('a check refused because the queue is full is refused after the hold, not at once', async (t) => {
  const { PasswordsBusyError } = await import('../../src/passwords/password-hasher.js');
  const busy = createPasswordHasher(PASSWORD_HASHING_PRESETS.standard, 1, { queue: 0, timeoutMs: 60_000 });
  const hash = await busy.hash('password');
  const running = busy.verify(hash, 'password');
  t.ok(busy.saturated(), 'the one thread is taken and no check may wait');
  const asked = performance.now();
  const refusal: unknown = await busy.verify(hash, 'password').then(
    () => undefined,
    (error: unknown) => error,
  );
  const held = performance.now() - asked;
  t.ok(refusal instanceof PasswordsBusyError);
  // Refused at once, the rejection would come within a millisecond or two.
  t.ok(held >= BUSY_ANSWER_HOLD_MS - 10, `refused after ${Math.round(held)} ms`);
  t.equal(await running, true, 'the running check is not disturbed');
});

t.test('prefetched hashes are handed out by hash(); those forgotten before their turn are never computed', async (t) => {
  const argon2 = await import('argon2');
  const computed: string[] = [];
  const { createPasswordHasher: createCounted } = await t.mockImport<typeof import('../../src/passwords/password-hasher.js')>(
    '../../src/passwords/password-hasher.js',
    { argon2: { ...argon2, hash: (password: string, options: object) => (computed.push(password), argon2.hash(password, options)) } },
  );
  const counted = createCounted(PASSWORD_HASHING_PRESETS.fast, 1);
  counted.prefetch(['one', 'two', 'two']);
  t.same(counted.load(), { running: 1, waiting: 2 }, 'all three queued at once');
  const [one, two] = [counted.hash('one'), counted.hash('two')];
  t.same(counted.load(), { running: 1, waiting: 2 }, 'handed out, not hashed a second time');
  t.equal(await counted.verify(await one, 'one'), true, 'the prefetched hash is of its password');
  t.equal(await counted.verify(await two, 'two'), true, 'and so is the other');
  t.same(computed, ['one', 'two', 'two'], 'each prefetched password hashed once; the spare one too, not yet forgotten');

  computed.length = 0;
  counted.prefetch(['three', 'four', 'five']);
  const three = counted.hash('three');
  counted.forgetPrefetched();
  t.equal(await counted.verify(await three, 'three'), true, 'a hash handed out before forgetting still comes');
  t.equal(await counted.verify(await counted.hash('four'), 'four'), true, 'after forgetting, a hash is made when asked for');
  t.same(computed, ['three', 'four'], 'the forgotten ones that had not started were never computed');
  t.same(counted.load(), { running: 0, waiting: 0 }, 'nothing left behind');
});
