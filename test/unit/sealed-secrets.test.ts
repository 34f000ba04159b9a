import t from 'tap';
import { openSealedSecret, sealSecret } from '../../src/store/sealed-secrets.js';
import { hashSecret } from '../../src/store/secrets.js';

// A one-time code sealed with its verification id (kept as a hash only): readable with the id, and with nothing else.
t.test('a sealed secret opens with its key only', async (t) => {
  const sealed = sealSecret('AB12CD', 'the-verification-id');
  t.equal(openSealedSecret(sealed, 'the-verification-id'), 'AB12CD');
  t.equal(openSealedSecret(sealed, 'another-id'), undefined, 'another key opens nothing');
  t.equal(openSealedSecret(sealed, hashSecret('the-verification-id')), undefined, 'nor does the hash the database keeps of the key');
  t.notMatch(sealed, /AB12CD/, 'the secret does not show');
  t.not(sealSecret('AB12CD', 'the-verification-id'), sealed, 'each seal is different (random IV)');
});

t.test('a tampered or malformed seal opens to nothing, without throwing', async (t) => {
  const [iv, tag, body] = sealSecret('AB12CD', 'key').split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  t.equal(openSealedSecret([iv, tag, flipped.toString('base64url')].join('.'), 'key'), undefined);
  for (const junk of ['', 'a.b', 'not.a.seal', '...', `${iv}.${tag}`]) t.equal(openSealedSecret(junk, 'key'), undefined, JSON.stringify(junk));
});
