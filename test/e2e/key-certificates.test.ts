import { createHash, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import Database from 'better-sqlite3';
import { calculateJwkThumbprint, createRemoteJWKSet, exportJWK, importX509, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { CLIENT_API_KEY, RICHARD_LOGIN, startClientStandin, WEB_APP } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// Generated RSA and EC keys carry a self-signed X.509 certificate, as FusionAuth's do: `certificate` on the
// Key API, `x5c`, `x5t` and `x5t#S256` in the JWKS.
t.test('generated keys carry a certificate, in the Key API and the JWKS', async (t) => {
  const { url, issuer, client } = await startClientStandin(t);

  const ec = (
    await client.generateKey('dddddddd-0000-4000-8000-0000000000e1', {
      key: { algorithm: 'ES384' as never, name: 'EC key', issuer: 'urn:example:issuer, with a comma' },
    })
  ).response.key!;
  t.match(ec.certificate, /^-----BEGIN CERTIFICATE-----/, 'the generate answer shows it');
  const hmac = (await client.generateKey('dddddddd-0000-4000-8000-0000000000e2', { key: { algorithm: 'HS256' as never, name: 'HMAC key' } })).response
    .key!;
  t.notOk(hmac.certificate, 'an HMAC key has none');

  const { keys } = (await client.retrieveKeys()).response;
  const asymmetric = keys!.filter((key) => key.type === 'RSA' || key.type === 'EC');
  t.equal(asymmetric.length, 2, 'the default signing key and the EC key');
  for (const key of asymmetric) {
    const certificate = new X509Certificate(key.certificate!);
    t.ok(certificate.verify(certificate.publicKey), `${key.name}: self-signed`);
    t.equal(certificate.publicKey.export({ type: 'spki', format: 'pem' }), key.publicKey, `${key.name}: certifies the key's public key`);
    t.match(certificate.subject, /^CN=/);
    t.equal(certificate.issuer, certificate.subject);
    t.ok(Date.parse(certificate.validTo) - Date.now() > 9 * 365 * 24 * 3600 * 1000, 'valid for years');
    t.equal(key.expirationInstant, Date.parse(certificate.validTo));
  }
  const rsa = asymmetric.find((key) => key.type === 'RSA')!;
  t.equal(rsa.issuer, issuer, 'a key with no issuer names the default tenant’s');
  t.equal(new X509Certificate(rsa.certificate!).subject, `CN=${issuer}`);
  t.equal(new X509Certificate(ec.certificate!).subject, 'CN=urn:example:issuer\\, with a comma');
  const again = (await client.retrieveKey(ec.id!)).response.key!;
  t.equal(again.certificate, ec.certificate, 'the same certificate on every read');

  const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, any>> };
  t.equal(jwks.keys.length, 2);
  for (const jwk of jwks.keys) {
    const stored = asymmetric.find((key) => key.kid === jwk.kid)!;
    t.same(jwk.x5c, [stored.certificate!.replace(/-----[A-Z ]+-----|\s/g, '')], 'x5c is the Key API certificate');
    // jose reads the certificate in x5c[0]: its public key is the JWK's own.
    const fromCertificate = await exportJWK(
      await importX509(`-----BEGIN CERTIFICATE-----\n${jwk.x5c[0]}\n-----END CERTIFICATE-----`, jwk.alg, { extractable: true }),
    );
    t.equal(
      await calculateJwkThumbprint(fromCertificate),
      await calculateJwkThumbprint(jwk as never),
      `${jwk.alg}: x5c[0] holds the JWK's public key`,
    );
    const der = Buffer.from(jwk.x5c[0], 'base64');
    t.equal(jwk['x5t#S256'], createHash('sha256').update(der).digest('base64url'));
    t.equal(jwk.x5t, createHash('sha1').update(der).digest('base64url'));
  }

  // A token verifies through the key from x5c, as libraries that trust x5c do.
  const token = (await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP })).response.token!;
  const rsaJwk = jwks.keys.find((jwk) => jwk.kty === 'RSA')!;
  await jwtVerify(token, await importX509(`-----BEGIN CERTIFICATE-----\n${rsaJwk.x5c[0]}\n-----END CERTIFICATE-----`, 'RS256'), { issuer });
  await jwtVerify(token, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)), { issuer });
});

t.test('a key in a database made by an older Standin gets a certificate when first shown, and keeps it', async (t) => {
  const dir = temporaryFolder(t, 'standin-certificates-');
  const db = join(dir, 'standin.db');
  const options = {
    db,
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    kickstart: { apiKeys: [{ key: CLIENT_API_KEY }], requests: [] },
  };
  const first = await startStandin(options);
  const keyId = first.app.standin.stores.keys.list()[0]!.id;
  await first.close();
  // What an older Standin left: the key without a certificate.
  const raw = new Database(db);
  t.equal(
    (raw.prepare("SELECT count(*) AS n FROM keys WHERE json_extract(body, '$.certificate') IS NOT NULL").get() as { n: number }).n,
    0,
    'the seed does not make certificates at start-up',
  );
  raw.close();

  const standin = await startStandin(options);
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(CLIENT_API_KEY, standin.url);
  const [a, b] = await Promise.all([client.retrieveKey(keyId), client.retrieveKey(keyId)]);
  t.match(a.response.key!.certificate, /^-----BEGIN CERTIFICATE-----/);
  t.equal(b.response.key!.certificate, a.response.key!.certificate, 'one certificate, even for requests at once');
  const jwk = ((await (await fetch(`${standin.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, any>> }).keys[0]!;
  t.same(jwk.x5c, [a.response.key!.certificate!.replace(/-----[A-Z ]+-----|\s/g, '')]);
  await standin.close();
  const stored = new Database(db);
  t.equal(
    JSON.parse((stored.prepare('SELECT body FROM keys WHERE id = ?').get(keyId) as { body: string }).body).certificate,
    a.response.key!.certificate,
    'stored',
  );
  stored.close();
});
