/**
 * Failures per key in a fixed window: once `max` failures fall in one window, the key is refused until the
 * window ends. In memory and per Standin: a restart forgets the counts, which is what a development server
 * wants. Bounded: past `maxEntries` keys the least recently failed goes first, so a spray of made-up keys
 * costs memory once, not forever (docs/hardening.md, "Client address").
 */
export interface AttemptWindow {
  /** Milliseconds until this key may try again; 0 when it may now. */
  retryAfterMs(key: string, now: number): number;
  failed(key: string, now: number): void;
}

interface Entry {
  count: number;
  endsAt: number;
}

export function createAttemptWindow(max: number, windowMs: number, maxEntries = 100_000): AttemptWindow {
  const entries = new Map<string, Entry>();
  return {
    retryAfterMs(key, now) {
      const entry = entries.get(key);
      if (!entry) return 0;
      if (entry.endsAt <= now) {
        entries.delete(key);
        return 0;
      }
      return entry.count >= max ? entry.endsAt - now : 0;
    },
    failed(key, now) {
      const current = entries.get(key);
      const entry = current && current.endsAt > now ? current : { count: 0, endsAt: now + windowMs };
      entry.count += 1;
      // Re-inserted at the end: the Map's first key is the least recently failed.
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
    },
  };
}

/**
 * The key of a client address: the socket's peer, never a header (Fastify's `trustProxy` stays off, so
 * `request.ip` ignores `X-Forwarded-For`); an IPv4-mapped IPv6 address is the IPv4 one, and IPv6 counts per
 * /64, the block one host usually holds, as @fastify/rate-limit does (docs/hardening.md).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
