import type { FastifyInstance } from 'fastify';

interface Body {
  advanceSeconds?: number;
  set?: number | string;
}

const schema = {
  body: {
    type: 'object',
    properties: {
      advanceSeconds: { type: 'number' },
      // Epoch milliseconds, or an ISO 8601 instant (`2026-03-01T00:00:00Z`).
      set: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 64 }] },
    },
  },
} as const;

/** `/_standin/clock`: Standin's clock (control/clock.ts). Every answer is `{now, iso, offsetMs}`. */
export async function clockRoutes(app: FastifyInstance): Promise<void> {
  const state = () => ({
    now: app.standin.control.clock.now(),
    iso: new Date(app.standin.control.clock.now()).toISOString(),
    offsetMs: app.standin.control.clock.offsetMs(),
  });

  app.get('/clock', async () => state());

  app.post<{ Body: Body | undefined }>('/clock', { schema }, async (request) => {
    const { advanceSeconds, set } = request.body ?? {};
    if ((advanceSeconds === undefined) === (set === undefined)) throw new TypeError('give one of advanceSeconds or set');
    if (advanceSeconds !== undefined) app.standin.control.clock.advance(advanceSeconds);
    if (set !== undefined) app.standin.control.clock.set(typeof set === 'number' ? set : instant(set));
    return state();
  });

  app.delete('/clock', async () => {
    app.standin.control.clock.reset();
    return state();
  });
}

function instant(value: string): number {
  // RFC 3339 §5.6 date-time only: Date.parse also takes loose forms that mean different things in different zones.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw new TypeError('set: epoch milliseconds or an RFC 3339 instant such as 2026-03-01T00:00:00Z');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError('set: not a valid instant');
  return ms;
}
