import type { Lambda, LambdaType } from '../model/lambda.js';
import type { EventLogStore } from '../store/event-logs.js';
import type { LambdaStore } from '../store/lambdas.js';
import { createSandbox, type Sandbox, type SandboxLimits } from './sandbox.js';
import type { LogLevel, SandboxOutcome } from './sandbox-protocol.js';

/** The lambda types Standin runs; the others are stored and listed only (docs/lambdas.md). */
export const RUNNABLE_TYPES: ReadonlySet<LambdaType> = new Set([
  'JWTPopulate',
  'UserInfoPopulate',
  'OpenIDReconcile',
  'ExternalJWTReconcile',
  'ClientCredentialsJWTPopulate',
  'LoginValidation',
  'SelfServiceRegistrationValidation',
  'MFARequirement',
]);

/**
 * How a run went: the lambda is not there (or has another type), so nothing ran; it failed (threw, ran out of time or
 * memory, left something that is not JSON); or it ran, and these are its arguments as it left them. A validation
 * lambda needs the difference between the first two: a missing lambda lets a login through, a failing one does not.
 */
export type LambdaRun = { kind: 'absent' } | { kind: 'failed' } | { kind: 'ran'; args: unknown[] };

export interface LambdaRuntime {
  /**
   * Runs the stored lambda `lambdaId` if it exists and has type `type`: its function `functionName` gets copies of
   * `args`. Answers the arguments as the lambda left them, or undefined when it is missing, has another type, threw,
   * or ran out of time or memory. What it printed, and any failure, go to the event log.
   */
  run(lambdaId: string, type: LambdaType, functionName: string, args: unknown[]): Promise<unknown[] | undefined>;
  /** As `run`, telling a lambda that is not there from one that failed. */
  invoke(lambdaId: string, type: LambdaType, functionName: string, args: unknown[]): Promise<LambdaRun>;
  close(): Promise<void>;
}

export interface LambdaRuntimeDeps {
  lambdas: LambdaStore;
  eventLogs: EventLogStore;
  /** Milliseconds since the epoch, for the event log. */
  now(): number;
  limits?: SandboxLimits;
}

/** The sandbox is created on the first run: a Standin whose applications attach no lambda never starts it. */
export function createLambdaRuntime(deps: LambdaRuntimeDeps): LambdaRuntime {
  let sandbox: Sandbox | undefined;
  const invoke = async (lambdaId: string, type: LambdaType, functionName: string, args: unknown[]): Promise<LambdaRun> => {
    const lambda = deps.lambdas.get(lambdaId);
    if (!lambda || lambda.type !== type) return { kind: 'absent' };
    sandbox ??= createSandbox(deps.limits);
    const outcome = await sandbox.run({ source: lambda.body, functionName, args });
    writeEventLog(deps, lambda, outcome);
    if (!outcome.ok) return { kind: 'failed' };
    try {
      const after: unknown = JSON.parse(outcome.argsJson);
      if (Array.isArray(after)) return { kind: 'ran', args: after };
    } catch {
      // Reported below, as a value that is not an array is.
    }
    writeFailure(deps, lambda, 'The lambda left its arguments in a form that is not JSON.');
    return { kind: 'failed' };
  };
  return {
    invoke,
    async run(lambdaId, type, functionName, args) {
      const outcome = await invoke(lambdaId, type, functionName, args);
      return outcome.kind === 'ran' ? outcome.args : undefined;
    },
    async close() {
      await sandbox?.close();
    },
  };
}

const LEVELS: readonly LogLevel[] = ['Debug', 'Information', 'Error'];

/**
 * FusionAuth's event log for a lambda run (https://fusionauth.io/docs/extend/code/lambdas, "Console"): at most one
 * entry per level, its lines gathered under the lambda's id and name; Debug lines only when the lambda's `debug` is on.
 * A failure adds an Error entry; its details (the exception and stack) only with `debug` on, as FusionAuth hides them
 * otherwise.
 */
function writeEventLog(deps: LambdaRuntimeDeps, lambda: Lambda, outcome: SandboxOutcome): void {
  for (const level of LEVELS) {
    if (level === 'Debug' && !lambda.debug) continue;
    const lines = outcome.logs.filter(([kind]) => kind === level).map(([, line]) => line);
    if (lines.length > 0) deps.eventLogs.insert(deps.now(), level, `Lambda invocation result.\n\n${header(lambda)}\n\n${lines.join('\n')}\n`);
  }
  if (outcome.ok) return;
  const what =
    outcome.reason === 'timeout'
      ? 'The lambda ran past its time limit and was stopped.'
      : outcome.reason === 'memory'
        ? 'The lambda ran out of memory and was stopped.'
        : 'The lambda threw an exception.';
  const details = lambda.debug
    ? `\n\n${outcome.error}${outcome.stack === undefined ? '' : `\n${outcome.stack}`}`
    : '\n\nEnable debug on the lambda to see the details.';
  writeFailure(deps, lambda, `${what}${details}`);
}

function writeFailure(deps: LambdaRuntimeDeps, lambda: Lambda, text: string): void {
  deps.eventLogs.insert(deps.now(), 'Error', `Lambda invocation failed.\n\n${header(lambda)}\n\n${text}\n`);
}

function header(lambda: Lambda): string {
  return `Id: ${lambda.id}\nName: ${lambda.name}\nType: ${lambda.type}`;
}
