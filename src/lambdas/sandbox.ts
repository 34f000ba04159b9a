import { Worker } from 'node:worker_threads';
import type { SandboxJob, SandboxOutcome, SandboxReady, SandboxReply } from './sandbox-protocol.js';

export interface SandboxLimits {
  /** Milliseconds of running before QuickJS interrupts the lambda. */
  cpuMs: number;
  /** Milliseconds before the worker running a lambda is ended, whatever it is doing. */
  wallMs: number;
  /** Bytes of heap per run. */
  memoryBytes: number;
  /** Runs waiting for the worker beyond this many fail at once. */
  queue: number;
}

// Generous, since FusionAuth documents no limit and a busy machine stretches wall-clock time: a lambda is cut off
// only when it is clearly runaway.
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { cpuMs: 1000, wallMs: 5000, memoryBytes: 32 * 1024 * 1024, queue: 256 };

export interface SandboxRun {
  source: string;
  functionName: string;
  args: unknown[];
}

export interface Sandbox {
  run(job: SandboxRun): Promise<SandboxOutcome>;
  /** Whether the worker has been started (it starts with the first run). */
  readonly started: boolean;
  close(): Promise<void>;
}

// Loading WebAssembly QuickJS takes tens of milliseconds; a worker that has not loaded by then never will.
const STARTUP_MS = 30_000;

interface Pending {
  job: SandboxJob;
  resolve: (outcome: SandboxOutcome) => void;
}

/**
 * Runs lambdas one at a time in a worker thread that holds a WebAssembly QuickJS (docs/lambdas.md, "Isolation").
 * The worker starts with the first run, so a Standin without lambdas never loads it. A run that does not answer
 * within `wallMs` (an engine stuck in one long operation) ends the worker; the next run starts another. The main
 * thread never runs lambda code, so requests without lambdas are served while a lambda runs.
 */
export function createSandbox(limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Sandbox {
  let worker: Worker | undefined;
  let ready = false;
  // A worker being ended after its run overstayed: the next one starts once it has stopped, not beside it.
  let stopping: Promise<unknown> | undefined;
  let current: (Pending & { timer: NodeJS.Timeout }) | undefined;
  const waiting: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const start = (): Worker => {
    // Built, the worker is JavaScript next to this file. Under tsx (the tests run the sources), Node 20 does not
    // hand the loader to worker threads, so the worker registers tsx itself before importing its TypeScript.
    const typescript = import.meta.url.endsWith('.ts');
    const entry = new URL(`./sandbox-worker${typescript ? '.ts' : '.js'}`, import.meta.url);
    const source = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
    const started = new Worker(typescript ? source : entry, {
      ...(typescript ? { eval: true } : {}),
      // The worker's own JavaScript heap (messages, JSON); the lambda's heap is QuickJS's, capped per run.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    started.unref();
    started.on('message', (message: SandboxReply | SandboxReady) => {
      if ('ready' in message) {
        if (worker === started) ready = true;
        pump();
        return;
      }
      if (message.retire && worker === started) worker = undefined;
      finish(message.id, message.outcome);
    });
    const gone = (error?: unknown) => {
      clearTimeout(loading);
      if (worker !== started) return;
      const wasReady = ready;
      worker = undefined;
      const failure: SandboxOutcome = {
        ok: false,
        reason: 'crash',
        error: error instanceof Error ? error.message : 'The lambda sandbox stopped.',
        logs: [],
      };
      if (current) {
        finish(current.job.id, failure);
        return;
      }
      // A worker that never loaded would fail again: the runs waiting for it fail now rather than wait forever.
      if (!wasReady) for (const pending of waiting.splice(0)) pending.resolve(failure);
      pump();
    };
    const loading = setTimeout(() => void started.terminate(), STARTUP_MS);
    loading.unref();
    started.on('message', () => {
      clearTimeout(loading);
    });
    started.on('error', gone);
    started.on('exit', () => {
      gone();
    });
    ready = false;
    return started;
  };

  const finish = (id: number, outcome: SandboxOutcome) => {
    if (!current || current.job.id !== id) return;
    clearTimeout(current.timer);
    const { resolve } = current;
    current = undefined;
    resolve(outcome);
    pump();
  };

  const pump = () => {
    if (current || closed || stopping || waiting.length === 0) return;
    worker ??= start();
    if (!ready) return;
    const next = waiting.shift()!;
    const running = worker;
    const timer = setTimeout(() => {
      // Past the hard bound: the worker is ended with the run, and the next run gets a fresh one.
      if (worker === running) worker = undefined;
      stopping = running.terminate().finally(() => {
        stopping = undefined;
        pump();
      });
      finish(next.job.id, { ok: false, reason: 'timeout', error: `The lambda ran longer than ${limits.wallMs} ms.`, logs: [] });
    }, limits.wallMs);
    timer.unref();
    current = { ...next, timer };
    running.postMessage(next.job);
  };

  return {
    get started() {
      return worker !== undefined;
    },
    run({ source, functionName, args }) {
      if (closed) return Promise.resolve({ ok: false, reason: 'crash', error: 'The lambda sandbox is closed.', logs: [] });
      if (waiting.length >= limits.queue)
        return Promise.resolve({ ok: false, reason: 'timeout', error: 'Too many lambdas are waiting to run.', logs: [] });
      const job: SandboxJob = {
        id: nextId++,
        source,
        functionName,
        argsJson: JSON.stringify(args.map((arg) => (arg === undefined ? null : arg))),
        undefinedAt: args.flatMap((arg, index) => (arg === undefined ? [index] : [])),
        cpuMs: limits.cpuMs,
        memoryBytes: limits.memoryBytes,
      };
      return new Promise<SandboxOutcome>((resolve) => {
        waiting.push({ job, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const pending of waiting.splice(0)) pending.resolve({ ok: false, reason: 'crash', error: 'The lambda sandbox is closed.', logs: [] });
      if (current) finish(current.job.id, { ok: false, reason: 'crash', error: 'The lambda sandbox is closed.', logs: [] });
      const running = worker;
      worker = undefined;
      if (running) await running.terminate();
    },
  };
}
