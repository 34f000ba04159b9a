import { createHash, X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, createRemoteJWKSet, exportJWK, importX509, jwtVerify } from 'jose';
import t from 'tap';
import { RICHARD, startClientStandin, WEB_APP } from '../helpers/client-standin.js';

// Generated RSA and EC keys carry a self-signed X.509 certificate, as FusionAuth's do: `certificate` on the
// Key API, `x5c`, `x5t` and `x5t#S256` in the JWKS.
t.test('generated keys carry a certificate, in the Key API and the JWKS', async (t) => {
  const { url, issuer, client, app } = await startClientStandin(t);

  const ec = (await client.generateKey('dddddddd-0000-4000-8000-0000000000e1', { key: { algorithm: 'ES384' as never, name: 'EC key', issuer: 'urn:example:issuer, with a comma' } })).response.key!;
  t.match(ec.certificate, /^-----BEGIN CERTIFICATE-----/, 'the generate answer shows it');
  const hmac = (await client.generateKey('dddddddd-0000-4000-8000-0000000000e2', { key: { algorithm: 'HS256' as never, name: 'HMAC key' } })).response.key!;
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
    const fromCertificate = await exportJWK(await importX509(`-----BEGIN CERTIFICATE-----\n${jwk.x5c[0]}\n-----END CERTIFICATE-----`, jwk.alg, { extractable: true }));
    t.equal(await calculateJwkThumbprint(fromCertificate), await calculateJwkThumbprint(jwk as never), `${jwk.alg}: x5c[0] holds the JWK's public key`);
    const der = Buffer.from(jwk.x5c[0], 'base64');
    t.equal(jwk['x5t#S256'], createHash('sha256').update(der).digest('base64url'));
    t.equal(jwk.x5t, createHash('sha1').update(der).digest('base64url'));
  }

  // A token verifies through the key from x5c, as libraries that trust x5c do.
  const token = (await client.login({ loginId: RICHARD.loginId, password: RICHARD.password, applicationId: WEB_APP })).response.token!;
  const rsaJwk = jwks.keys.find((jwk) => jwk.kty === 'RSA')!;
  await jwtVerify(token, await importX509(`-----BEGIN CERTIFICATE-----\n${rsaJwk.x5c[0]}\n-----END CERTIFICATE-----`, 'RS256'), { issuer });
  await jwtVerify(token, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)), { issuer });

  t.test('a key made by an older Standin, with no certificate, gets one when first shown, and keeps it', async (t) => {
    const { db } = app.standin.stores;
    db.prepare("UPDATE keys SET body = json_remove(body, '$.certificate', '$.expirationInstant') WHERE id = ?").run(ec.id);
    t.notOk((JSON.parse((db.prepare('SELECT body FROM keys WHERE id = ?').get(ec.id) as { body: string }).body) as { certificate?: string }).certificate);
    const [first, second] = await Promise.all([client.retrieveKey(ec.id!), client.retrieveKey(ec.id!)]);
    t.match(first.response.key!.certificate, /^-----BEGIN CERTIFICATE-----/);
    t.not(first.response.key!.certificate, ec.certificate, 'a new certificate');
    t.equal(second.response.key!.certificate, first.response.key!.certificate, 'one certificate, even for requests at once');
    const jwk = ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, any>> }).keys.find((key) => key.kid === ec.kid)!;
    t.same(jwk.x5c, [first.response.key!.certificate!.replace(/-----[A-Z ]+-----|\s/g, '')]);
  });
});
