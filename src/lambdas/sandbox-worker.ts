import { parentPort } from 'node:worker_threads';
import { getQuickJS, shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import { shownValue } from '../model/json.js';
import type { LogLevel, SandboxJob, SandboxOutcome, SandboxReply } from './sandbox-protocol.js';

/**
 * The lambda sandbox's worker thread (docs/lambdas.md, "Isolation"). Each run gets a fresh QuickJS runtime inside
 * WebAssembly: no host object, function or module is ever handed to it, so the lambda sees only the ECMAScript
 * built-ins and the `console` defined below, in guest code. Its heap is capped, its stack is capped, and an
 * interrupt handler stops it after its CPU budget. The main thread's watchdog ends this whole thread if a run
 * still does not answer.
 */

// Far below the WebAssembly stack QuickJS itself runs on, so deep recursion is a catchable RangeError.
const MAX_STACK = 256 * 1024;
// Once the WebAssembly memory (which never shrinks) has grown past this, the worker hands its place to a fresh one.
const RETIRE_AT_BYTES = 256 * 1024 * 1024;
// What a run may hand back: claims and console lines, not a heap dump.
const MAX_OUTPUT = 1024 * 1024;

// The `console` FusionAuth gives lambdas: one argument per call, lines gathered per level (https://fusionauth.io/docs/extend/code/lambdas).
const PRELUDE = `(() => {
  const lines = [];
  const push = (level) => (message) => { if (lines.length < 200) lines.push([level, String(message).slice(0, 10000)]); };
  const console = { log: push('Information'), info: push('Information'), error: push('Error'), debug: push('Debug') };
  Object.defineProperty(globalThis, 'console', { value: Object.freeze(console), writable: false, configurable: false });
  Object.defineProperty(globalThis, '__standinLines', { value: lines, writable: false, configurable: false, enumerable: false });
})();`;

const port = parentPort;
if (port === null) throw new Error('sandbox-worker runs as a worker thread');
const quickjs = await getQuickJS();
// One run before the first real one: WebAssembly compiles lazily, and a lambda's budget is not for compiling QuickJS.
run(quickjs, {
  id: 0,
  source: 'function warm(a) { a.push(JSON.stringify({ a: [1, "b"] })); console.log(String(a)); }',
  functionName: 'warm',
  argsJson: '[[]]',
  undefinedAt: [],
  cpuMs: 5_000,
  memoryBytes: 8 * 1024 * 1024,
});
// The main thread starts a run's clock only once the engine is loaded: loading is not the lambda's time.
port.postMessage({ ready: true });

port.on('message', (job: SandboxJob) => {
  let outcome: SandboxOutcome;
  let retire = false;
  try {
    outcome = run(quickjs, job);
  } catch (error) {
    // The engine itself failed (a WebAssembly abort): this module instance cannot be trusted again.
    outcome = { ok: false, reason: 'crash', error: error instanceof Error ? error.message : String(error), logs: [] };
    retire = true;
  }
  if (quickjs.getWasmMemory().buffer.byteLength > RETIRE_AT_BYTES) retire = true;
  const reply: SandboxReply = { id: job.id, outcome, retire };
  port.postMessage(reply);
  if (retire) process.exit(0);
});

function run(module: QuickJSWASMModule, job: SandboxJob): SandboxOutcome {
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(job.memoryBytes);
  runtime.setMaxStackSize(MAX_STACK);
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + job.cpuMs));
  const context = runtime.newContext();
  try {
    for (const [source, file] of [
      [PRELUDE, 'prelude.js'],
      [job.source, 'lambda.js'],
      [callScript(job), 'call.js'],
    ] as const) {
      const result = context.evalCode(source, file);
      if (result.error) {
        grace(runtime);
        const failure = describe(context, result.error);
        result.error.dispose();
        return { ok: false, ...failure, logs: lines(context) };
      }
      if (file !== 'call.js') {
        result.value.dispose();
        continue;
      }
      grace(runtime);
      const text = context.typeof(result.value) === 'string' ? context.getString(result.value) : undefined;
      result.value.dispose();
      if (text === undefined || text.length > MAX_OUTPUT)
        return { ok: false, reason: 'output', error: 'The lambda changed its arguments into something that is not JSON.', logs: lines(context) };
      return { ok: true, argsJson: text, logs: lines(context) };
    }
    return { ok: false, reason: 'crash', error: 'unreachable', logs: [] };
  } finally {
    context.dispose();
    runtime.dispose();
  }
}

// Calls the lambda's function with fresh copies of the arguments, then hands back the arguments as they are now.
function callScript(job: SandboxJob): string {
  return `(() => {
  const args = JSON.parse(${JSON.stringify(job.argsJson)});
  for (const index of ${JSON.stringify(job.undefinedAt)}) args[index] = undefined;
  if (typeof ${job.functionName} !== 'function') throw new TypeError('The lambda does not declare a function named ${job.functionName}.');
  ${job.functionName}(...args);
  return JSON.stringify(args);
})()`;
}

// Reading the outcome may run guest code again (a getter, a toString): it gets a short budget of its own.
function grace(runtime: QuickJSRuntime): void {
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 50));
}

function describe(
  context: QuickJSContext,
  handle: Parameters<QuickJSContext['dump']>[0],
): { reason: 'exception' | 'timeout' | 'memory'; error: string; stack?: string } {
  let dumped: unknown;
  try {
    dumped = context.dump(handle);
  } catch {
    dumped = undefined;
  }
  const error =
    typeof dumped === 'object' && dumped !== null ? (dumped as { name?: unknown; message?: unknown; stack?: unknown }) : { message: dumped };
  const message =
    `${typeof error.name === 'string' ? `${error.name}: ` : ''}${error.message === undefined ? 'unknown error' : shownValue(error.message)}`.slice(
      0,
      10000,
    );
  const stack = typeof error.stack === 'string' ? error.stack.slice(0, 10000) : undefined;
  const reason = /interrupted/.test(message) ? 'timeout' : /out of memory/.test(message) ? 'memory' : 'exception';
  return { reason, error: message, ...(stack === undefined ? {} : { stack }) };
}

function lines(context: QuickJSContext): Array<[LogLevel, string]> {
  // Read the lines back without running guest code: a lambda may have replaced JSON or Array.prototype.
  const result = context.evalCode(
    '(() => { const out = []; const l = globalThis.__standinLines; for (let i = 0; i < l.length; i++) { const e = l[i]; out[i] = [String(e[0]), String(e[1])]; } return out; })()',
    'lines.js',
  );
  if (result.error) {
    result.error.dispose();
    return [];
  }
  const dumped: unknown = context.dump(result.value);
  result.value.dispose();
  if (!Array.isArray(dumped)) return [];
  const levels: readonly unknown[] = ['Information', 'Debug', 'Error'];
  return (dumped as unknown[]).filter(
    (entry): entry is [LogLevel, string] => Array.isArray(entry) && levels.includes(entry[0]) && typeof entry[1] === 'string',
  );
}
