/** What the main thread and the sandbox worker say to each other (lambdas/sandbox.ts, lambdas/sandbox-worker.ts). */

export type LogLevel = 'Information' | 'Debug' | 'Error';

export interface SandboxJob {
  id: number;
  /** The lambda's JavaScript. */
  source: string;
  /** The function the source declares, called with the arguments (`populate`, …). */
  functionName: string;
  /** The arguments as JSON; `undefined` members are listed in `undefinedAt` (JSON has no undefined). */
  argsJson: string;
  undefinedAt: number[];
  /** Milliseconds of running before the lambda is interrupted. */
  cpuMs: number;
  /** Bytes the lambda's heap may hold. */
  memoryBytes: number;
}

export type SandboxOutcome =
  | { ok: true; argsJson: string; logs: Array<[LogLevel, string]> }
  | { ok: false; reason: 'exception' | 'timeout' | 'memory' | 'output' | 'crash'; error: string; stack?: string; logs: Array<[LogLevel, string]> };

/** The worker's first message: its engine is loaded. */
export interface SandboxReady {
  ready: true;
}

export interface SandboxReply {
  id: number;
  outcome: SandboxOutcome;
  /** The worker leaves after this reply (its WebAssembly memory grew too far or its engine failed); start another. */
  retire: boolean;
}
