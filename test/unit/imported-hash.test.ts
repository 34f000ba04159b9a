import { createHmac, pbkdf2Sync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { PASSWORD_HASHING_PRESETS } from '../../src/config.js';
import { encodeImportedHash, parseImportedHash } from '../../src/passwords/imported-hash.js';
import { createPasswordHasher } from '../../src/passwords/password-hasher.js';

// FusionAuth's built-in schemes (https://fusionauth.io/docs/reference/password-hashes), checked by the hasher.
const hasher = createPasswordHasher(PASSWORD_HASHING_PRESETS.fast);
const SALT = Buffer.from('0123456789abcdef').toString('base64');

t.test('md5("password") from a legacy table, hex turned to base64, no salt, one round', async (t) => {
  const stored = encodeImportedHash({
    scheme: 'salted-md5',
    factor: 1,
    salt: '',
    hash: Buffer.from('5f4dcc3b5aa765d61d8327deb882cf99', 'hex').toString('base64'),
  });
  t.equal(await hasher.verify(stored, 'password'), true);
  t.equal(await hasher.verify(stored, 'passwore'), false);
  t.equal(await hasher.needsRehash(stored), false, "whether it is replaced is the tenant's choice, not the hasher's");
});

t.test('PBKDF2 with the factor as its iteration count, and the key length of the scheme', async (t) => {
  const hash = pbkdf2Sync('password', Buffer.from(SALT, 'base64'), 1000, 32, 'sha256').toString('base64');
  t.equal(await hasher.verify(encodeImportedHash({ scheme: 'salted-pbkdf2-hmac-sha256', factor: 1000, salt: SALT, hash }), 'password'), true);
  t.equal(
    await hasher.verify(encodeImportedHash({ scheme: 'salted-pbkdf2-hmac-sha256', factor: 1001, salt: SALT, hash }), 'password'),
    false,
    'another factor',
  );
  t.equal(
    await hasher.verify(encodeImportedHash({ scheme: 'salted-pbkdf2-hmac-sha256-512', factor: 1000, salt: SALT, hash }), 'password'),
    false,
    "a 32-byte key is not a 512-bit scheme's hash",
  );
});

t.test('HMAC-SHA256 keyed by the salt', async (t) => {
  const hash = createHmac('sha256', Buffer.from(SALT, 'base64')).update('password').digest('base64');
  t.equal(await hasher.verify(encodeImportedHash({ scheme: 'salted-hmac-sha256', factor: 0, salt: SALT, hash }), 'password'), true);
});

t.test('bcrypt split into factor, salt and hash', async (t) => {
  const whole = bcrypt.hashSync('password', 4);
  const stored = encodeImportedHash({ scheme: 'bcrypt', factor: 4, salt: whole.slice(7, 29), hash: whole.slice(29) });
  t.equal(await hasher.verify(stored, 'password'), true);
  t.equal(await hasher.verify(stored, 'Password'), false);
});

t.test('a stored form Standin would not write never matches', async (t) => {
  const hash = Buffer.from('5f4dcc3b5aa765d61d8327deb882cf99', 'hex').toString('base64');
  for (const stored of [
    `$fusionauth-import$salted-md5$1$$${hash}$extra`,
    `$fusionauth-import$phpass-md5$1$$${hash}`,
    `$fusionauth-import$salted-md5$100001$$${hash}`,
    `$fusionauth-import$salted-md5$1$$${hash.slice(0, 10)}`,
    `$fusionauth-import$bcrypt$40$${'a'.repeat(22)}$${'b'.repeat(31)}`,
  ]) {
    t.equal(parseImportedHash(stored), undefined, stored);
    t.equal(await hasher.verify(stored, 'password'), false);
  }
});
