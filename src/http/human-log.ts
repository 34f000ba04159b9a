import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pretty from 'pino-pretty';
import { redactUrl } from './redact-url.js';

/**
 * Log lines for a person at a terminal: time, level and message, one line each, through pino-pretty. The
 * fields a JSON line carries for machines (pid, host, request id, the request and response objects) stay out.
 */
export function humanLogStream() {
  // Colour when the terminal shows it (pino-pretty's default, which honours NO_COLOR).
  return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId,req,res,responseTime' });
}

/**
 * One line per request at a terminal, `POST /oauth2/token 200 4 ms`, written when it completes, instead of
 * Fastify's "incoming request" and "request completed" pair. The URL is redacted as in JSON lines
 * (docs/hardening.md, "Logs").
 */
export class HumanLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = `${request.method} ${redactUrl(request.url)} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}
