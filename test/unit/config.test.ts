import t from 'tap';
import { ConfigError, PASSWORD_HASHING_PRESETS, resolveConfig } from '../../src/config.js';

t.test('defaults are the contract: 127.0.0.1:9011, ./data/standin.db, standard argon2id', async (t) => {
  const config = resolveConfig();
  t.equal(config.port, 9011);
  t.equal(config.host, '127.0.0.1');
  t.equal(config.db, './data/standin.db');
  t.equal(config.issuer, undefined);
  t.same(config.passwordHashing, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
});

t.test('bad values are refused with a message naming the value', async (t) => {
  t.throws(() => resolveConfig({ port: 70000 }), new ConfigError('invalid port 70000: expected a whole number from 0 to 65535'));
  t.throws(() => resolveConfig({ port: 1.5 }), ConfigError);
  t.throws(() => resolveConfig({ host: '' }), ConfigError);
  t.throws(() => resolveConfig({ issuer: 'not a url' }), /invalid issuer "not a url"/);
  t.throws(() => resolveConfig({ issuer: 'ftp://example.com' }), /http\(s\) URL/);
  t.throws(() => resolveConfig({ issuer: 'http://localhost:9011/?x=1' }), /no query or fragment/);
  t.throws(() => resolveConfig({ logLevel: 'loud' as never }), /invalid log level "loud"/);
  t.throws(() => resolveConfig({ passwordHashing: 'cheap' as never }), /invalid password hashing "cheap"/);
  t.throws(() => resolveConfig({ passwordHashing: { memoryCost: 4, timeCost: 1, parallelism: 1 } }), /memoryCost >= 8/);
  // Costs a login refuses to check (docs/storage.md): every login would fail, so the start does.
  for (const cost of [
    { memoryCost: 256 * 1024 + 1, timeCost: 2, parallelism: 1 },
    { memoryCost: 19456, timeCost: 11, parallelism: 1 },
    { memoryCost: 19456, timeCost: 2, parallelism: 9 },
  ])
    t.throws(
      () => resolveConfig({ passwordHashing: cost }),
      /at most memoryCost 262144 \(KiB\), timeCost 10 and parallelism 8/,
      JSON.stringify(cost),
    );
  t.same(resolveConfig({ passwordHashing: { memoryCost: 256 * 1024, timeCost: 10, parallelism: 8 } }).passwordHashing, {
    memoryCost: 256 * 1024,
    timeCost: 10,
    parallelism: 8,
  });
});

t.test('the fast preset is cheaper than the standard one in every parameter but parallelism', async (t) => {
  // Widened from the literal preset types, so the comparison below is a check and not a given.
  const { fast, standard }: Record<'fast' | 'standard', { memoryCost: number; timeCost: number }> = PASSWORD_HASHING_PRESETS;
  t.ok(fast.memoryCost < standard.memoryCost && fast.timeCost < standard.timeCost);
  t.same(resolveConfig({ passwordHashing: 'fast' }).passwordHashing, fast);
});
