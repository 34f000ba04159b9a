import t from 'tap';
import { base32Decode, base32Encode } from '../../../src/oauth/two-factor-base32.js';
import { matchingStep, timeStep, totpCode } from '../../../src/oauth/two-factor-totp.js';

// RFC 6238 Appendix B, SHA-1 column, last six digits (FusionAuth's code length).
const SECRET = Buffer.from('12345678901234567890');
const VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

t.test('codes match the RFC 6238 test vectors', async (t) => {
  for (const [seconds, code] of VECTORS) t.equal(totpCode(SECRET, seconds * 1000), code, `T=${seconds}`);
});

t.test('a code is accepted one step either side, and not two', async (t) => {
  const now = 1111111111 * 1000;
  const step = timeStep(now);
  t.equal(matchingStep(SECRET, totpCode(SECRET, now), now), step);
  t.equal(matchingStep(SECRET, totpCode(SECRET, now - 30_000), now), step - 1);
  t.equal(matchingStep(SECRET, totpCode(SECRET, now + 30_000), now), step + 1);
  t.equal(matchingStep(SECRET, totpCode(SECRET, now - 60_000), now), undefined);
  t.equal(matchingStep(SECRET, totpCode(SECRET, now + 60_000), now), undefined);
  t.equal(matchingStep(SECRET, 'abcdef', now), undefined);
  t.equal(matchingStep(SECRET, '12345', now), undefined);
});

t.test('base32 round-trips and matches RFC 4648 §10', async (t) => {
  t.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  t.same(base32Decode('MZXW6YTBOI======'), Buffer.from('foobar'));
  t.same(base32Decode('mzxw 6ytb oi'), Buffer.from('foobar'));
  t.equal(base32Decode('not base32!'), undefined);
  t.equal(base32Decode(''), undefined);
  t.equal(base32Encode(SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
});
