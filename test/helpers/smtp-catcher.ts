import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  port: number;
  /** Parsed messages, in arrival order, with the envelope recipients. */
  messages: Array<{ mail: ParsedMail; envelopeTo: string[]; user?: string }>;
  /** Resolves with the next message, or rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<{ mail: ParsedMail; envelopeTo: string[]; user?: string }>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback and a random port (smtp-server), plain text with optional AUTH, keeping every
 * message parsed by mailparser. `credentials` makes AUTH required and checks them.
 */
export async function startSmtpCatcher(options: { credentials?: { user: string; pass: string }; port?: number } = {}): Promise<SmtpCatcher> {
  const messages: SmtpCatcher['messages'] = [];
  const waiting: Array<(message: SmtpCatcher['messages'][number]) => void> = [];
  // How many messages next() has handed out: a message that arrives before anyone waits is kept for the next call.
  let read = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.credentials?.user && auth.password === options.credentials?.pass;
      callback(ok ? null : new Error('Invalid username or password'), ok ? { user: auth.username } : undefined);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const message = {
            mail,
            envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            ...(typeof session.user === 'string' ? { user: session.user } : {}),
          };
          messages.push(message);
          const waiter = waiting.shift();
          if (waiter) {
            read++;
            waiter(message);
          }
          callback();
        })
        .catch((error: unknown) => {
          callback(error as Error);
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    messages,
    next(timeoutMs = 5000) {
      if (messages.length > read) return Promise.resolve(messages[read++]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no SMTP message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const catcher = await startSmtpCatcher();
  await catcher.close();
  return catcher.port;
}
