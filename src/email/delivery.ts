import type { Transporter } from 'nodemailer';
import type { EmailConfiguration } from '../model/email-configuration.js';
import type { OutboxEmail } from '../store/email-outbox.js';

/** What delivery logs through (pino, as Fastify's `app.log`). */
export interface DeliveryLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** What SMTP sends of an outbox email: its addresses, subject, bodies and headers. */
export type Message = Pick<OutboxEmail, 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'html' | 'text' | 'headers'>;

export interface DeliveryJob {
  /** The outbox id, for logs and for recording the outcome. */
  id: string;
  smtp: EmailConfiguration;
  message: Message;
}

export interface AttemptResult {
  id: string;
  attempt: number;
  outcome: 'sent' | 'retrying' | 'failed';
  /** Why it failed, without secrets. */
  error?: string;
}

export interface EmailDelivery {
  /** Queues a message; delivery starts after the current request's work, never inside it. */
  enqueue(job: DeliveryJob): void;
  /** Resolves when nothing is queued, being sent or waiting for a retry (for tests and shutdown). */
  idle(): Promise<void>;
  /** Stops retries and closes SMTP connections; a message not sent yet stays `pending` in the outbox. */
  close(): Promise<void>;
}

/**
 * Pauses between a failed attempt and the next: 4 attempts over about 40 s, then the message is marked
 * failed. Short enough that a mail catcher started late still gets the message in a test run, long enough
 * not to hammer a server that is down (docs/email.md, "Delivery").
 */
export const RETRY_DELAYS_MS: readonly number[] = [2_000, 8_000, 30_000];

// nodemailer waits two minutes for a connection by default; a local test server answers at once or not at all.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
// At most this many SMTP conversations at once; the rest wait their turn.
const CONCURRENCY = 4;

/**
 * SMTP delivery with nodemailer, off the request path: `enqueue` returns at once, each message is tried
 * on the next turn of the event loop and, on failure, again after each of `retryDelaysMs`. Every outcome is
 * reported to `record` (the outbox) and logged with the outbox id, the recipient and the reason, never the
 * SMTP password or the message's body (which holds links and codes).
 */
export function createEmailDelivery(options: {
  log: DeliveryLog;
  record: (result: AttemptResult) => void;
  retryDelaysMs?: readonly number[];
}): EmailDelivery {
  const { log, record } = options;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const transports = new Map<string, Transporter>();
  const timers = new Set<NodeJS.Timeout>();
  let busy = 0;
  let closed = false;
  const ready: Array<{ job: DeliveryJob; number: number }> = [];
  let waiters: Array<() => void> = [];

  const settle = () => {
    if (busy === 0 && timers.size === 0 && ready.length === 0) {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };

  const transportFor = async (smtp: EmailConfiguration): Promise<Transporter> => {
    const key = JSON.stringify([smtp.host, smtp.port, smtp.security, smtp.username ?? '', smtp.password ?? '']);
    // nodemailer is loaded with the first email that leaves, not on every start (import() caches it).
    const { default: nodemailer } = await import('nodemailer');
    let transport = transports.get(key);
    if (!transport) {
      transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        // FusionAuth's SSL is TLS from the first byte; TLS is STARTTLS, required; NONE is plain text throughout.
        secure: smtp.security === 'SSL',
        requireTLS: smtp.security === 'TLS',
        ignoreTLS: smtp.security === 'NONE',
        ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
        // One connection per message, closed after it: nothing stays open against a test's mail server, whose
        // close() would otherwise wait for Standin's idle connection.
        ...TIMEOUTS,
      });
      transports.set(key, transport);
    }
    return transport;
  };

  const attempt = async (job: DeliveryJob, number: number): Promise<void> => {
    busy++;
    try {
      const { message } = job;
      await (
        await transportFor(job.smtp)
      ).sendMail({
        from: message.from.name ? { name: message.from.name, address: message.from.address } : message.from.address,
        to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
        ...(message.cc.length ? { cc: message.cc } : {}),
        ...(message.bcc.length ? { bcc: message.bcc } : {}),
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: message.headers.map(({ name, value }) => ({ key: name, value })),
      });
      record({ id: job.id, attempt: number, outcome: 'sent' });
      log.info({ emailId: job.id, to: job.message.to.address, attempt: number }, 'email delivered');
    } catch (error) {
      const reason = describeFailure(error, job.smtp);
      const retry = !closed && number <= delays.length;
      record({ id: job.id, attempt: number, outcome: retry ? 'retrying' : 'failed', error: reason });
      log.warn(
        { emailId: job.id, to: job.message.to.address, smtp: `${job.smtp.host}:${job.smtp.port}`, attempt: number, error: reason },
        retry
          ? `email delivery failed; retrying in ${delays[number - 1]! / 1000} s`
          : 'email delivery failed; giving up (the email stays in the outbox)',
      );
      if (retry) schedule(job, number + 1, delays[number - 1]!);
    } finally {
      busy--;
      pump();
      settle();
    }
  };

  const pump = () => {
    while (!closed && busy < CONCURRENCY && ready.length > 0) {
      const next = ready.shift()!;
      void attempt(next.job, next.number);
    }
  };

  const schedule = (job: DeliveryJob, number: number, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) {
        settle();
        return;
      }
      ready.push({ job, number });
      pump();
    }, delayMs);
    timers.add(timer);
  };

  return {
    enqueue(job) {
      if (closed) return;
      schedule(job, 1, 0);
    },
    idle: () => (busy === 0 && timers.size === 0 && ready.length === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    async close() {
      closed = true;
      ready.length = 0;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const transport of transports.values()) transport.close();
      transports.clear();
      settle();
    },
  };
}

/** The failure in one line: nodemailer's code and SMTP reply code, and its message with any credential cut out. */
export function describeFailure(error: unknown, smtp: Pick<EmailConfiguration, 'username' | 'password'>): string {
  const { code, responseCode, message } = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  let text = typeof message === 'string' ? message.split('\n')[0]!.slice(0, 300) : 'unknown error';
  for (const secret of [smtp.password, smtp.username]) {
    if (typeof secret === 'string' && secret.length > 0) text = text.split(secret).join('[redacted]');
  }
  return [typeof code === 'string' ? code : undefined, typeof responseCode === 'number' ? `SMTP ${responseCode}` : undefined, text]
    .filter(Boolean)
    .join(' ');
}
