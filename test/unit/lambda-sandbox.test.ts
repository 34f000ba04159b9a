import t from 'tap';
import { createSandbox } from '../../src/lambdas/sandbox.js';

// Hostile lambda bodies against the sandbox (docs/lambdas.md, "Isolation"): each run ends with an outcome within
// its bounds, nothing reaches the host, and the next run still works.
const LIMITS = { cpuMs: 500, wallMs: 5000, memoryBytes: 16 * 1024 * 1024, queue: 16 };
const args = () => [{ sub: 'user-1', exp: 2_000 }, { id: 'user-1', data: { favoriteColor: 'blue' } }, undefined, { scopes: ['openid'] }];

t.test('the sandbox', async (t) => {
  const sandbox = createSandbox(LIMITS);
  t.teardown(() => sandbox.close());
  const run = (source: string, given: unknown[] = args()) => sandbox.run({ source, functionName: 'populate', args: given });
  const claims = async (source: string) => {
    const outcome = await run(source);
    if (!outcome.ok) throw new Error(`the lambda failed: ${outcome.error}`);
    return (JSON.parse(outcome.argsJson) as Array<Record<string, unknown>>)[0]!;
  };

  t.test('it starts with the first run and runs a populate lambda with FusionAuth’s arguments', async (t) => {
    t.equal(sandbox.started, false, 'nothing is loaded before a lambda runs');
    const jwt = await claims(
      'function populate(jwt, user, registration, context) { jwt.color = user.data.favoriteColor; jwt.registered = typeof registration; jwt.scopes = context.scopes; }',
    );
    t.same(jwt, { sub: 'user-1', exp: 2_000, color: 'blue', registered: 'undefined', scopes: ['openid'] });
  });

  t.test('console lines come back by level', async (t) => {
    const outcome = await run('function populate() { console.log("a"); console.info({}); console.error("b"); console.debug("c"); }');
    t.same(outcome.logs, [
      ['Information', 'a'],
      ['Information', '[object Object]'],
      ['Error', 'b'],
      ['Debug', 'c'],
    ]);
  });

  t.test('an infinite loop is interrupted', async (t) => {
    t.match(await run('function populate() { while (true) {} }'), { ok: false, reason: 'timeout' });
  });

  t.test('a huge allocation runs out of memory', async (t) => {
    t.match(await run('function populate() { new Array(1e8).fill(0); }'), { ok: false, reason: 'memory' });
    t.match(await run('function populate() { let s = "x"; while (true) s += s; }'), { ok: false });
  });

  t.test('unbounded recursion is a stack overflow, not a crash', async (t) => {
    t.match(await run('function populate() { (function f() { f(); })(); }'), { ok: false, reason: 'exception', error: /stack overflow/ });
  });

  t.test('a run stuck past the hard bound ends its worker; the next run gets a fresh one', async (t) => {
    t.match(await run('function populate() { const a = []; while (true) a.push("x".repeat(1e5) + a.length); }'), { ok: false });
    t.same(await claims('function populate(jwt) { jwt.after = true; }'), { sub: 'user-1', exp: 2_000, after: true });
  });

  t.test('no way out: the Function constructor, require, process, fetch, timers, import', async (t) => {
    const jwt = await claims(`function populate(jwt) {
      const F = this.constructor.constructor;
      jwt.process = F('return typeof process')();
      jwt.globals = [typeof require, typeof module, typeof fetch, typeof setTimeout, typeof setInterval, typeof queueMicrotask, typeof XMLHttpRequest, typeof WebAssembly, typeof std, typeof os];
      jwt.own = Object.getOwnPropertyNames(globalThis).filter((name) => !/^[A-Z]/.test(name)).sort();
      Promise.resolve().then(() => { jwt.late = true; });
    }`);
    t.equal(jwt.process, 'undefined');
    t.same(jwt.globals, Array(10).fill('undefined'));
    t.notOk(
      (jwt.own as string[]).some((name) => ['process', 'require', 'fetch', 'setTimeout'].includes(name)),
      'no host name on the global object',
    );
    t.notOk('late' in jwt, 'jobs queued by the lambda never run');
    t.match(await run('function populate() { require("fs"); }'), { ok: false, reason: 'exception', error: /require/ });
    t.match(await run('function populate() { return import("fs"); }'), { ok: true }, 'a dynamic import only makes a promise that never settles');
  });

  t.test('prototype tricks on the arguments stay inside the sandbox', async (t) => {
    const given = args();
    const outcome = await run(
      `function populate(jwt, user) {
        Object.prototype.polluted = true;
        jwt.__proto__.alsoPolluted = true;
        user.data.favoriteColor = 'red';
        user.constructor.prototype.hasOwnProperty = null;
        Object.defineProperty(jwt, 'tricky', { get() { return 'read once'; }, enumerable: true });
      }`,
      given,
    );
    t.match(outcome, { ok: true });
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'the host’s Object.prototype is untouched');
    t.equal(({} as Record<string, unknown>).alsoPolluted, undefined);
    t.equal((given[1] as { data: { favoriteColor: string } }).data.favoriteColor, 'blue', 'the caller’s user is a copy');
    t.match(JSON.parse((outcome as { argsJson: string }).argsJson)[0], { tricky: 'read once' });
  });

  t.test('a getter that never returns, a replaced JSON, and an oversized result all fail the run', async (t) => {
    t.match(await run('function populate(jwt) { Object.defineProperty(jwt, "x", { get() { while (true) {} }, enumerable: true }); }'), {
      ok: false,
      reason: 'timeout',
    });
    const replaced = await run('function populate() { JSON.stringify = () => "{not json"; }');
    t.ok(!replaced.ok || replaced.argsJson === '{not json', 'what comes back is only a string the host parses');
    t.match(await run('function populate(jwt) { jwt.big = "x".repeat(3e6); }'), { ok: false });
    t.match(await run('function populate(jwt) { throw new Error("boom"); }'), { ok: false, reason: 'exception', error: 'Error: boom' });
    t.match(await run('var populate = 1;'), { ok: false, reason: 'exception' });
  });
});
