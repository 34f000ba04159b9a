import { createHash } from 'node:crypto';
import t from 'tap';
import { isCodeVerifier, verifierMatches } from '../../../src/oauth/pkce.js';
import { VERIFIER } from '../../helpers/fixtures.js';

// RFC 7636 appendix B: this verifier's S256 challenge.
const APPENDIX_B_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

t.test('a verifier is 43 to 128 unreserved characters', async (t) => {
  t.ok(isCodeVerifier(VERIFIER), 'the RFC 7636 appendix B verifier');
  t.ok(isCodeVerifier('a'.repeat(43)), '43 characters');
  t.ok(isCodeVerifier('A-._~9'.repeat(21) + 'zz'), '128 characters of every unreserved kind');
  t.notOk(isCodeVerifier('a'.repeat(42)), '42 characters is too short');
  t.notOk(isCodeVerifier('a'.repeat(129)), '129 characters is too long');
  for (const bad of ['+', '/', '=', ' ', '%', 'é']) t.notOk(isCodeVerifier('a'.repeat(43) + bad), `${JSON.stringify(bad)} is not unreserved`);
  t.notOk(isCodeVerifier(`${'a'.repeat(43)}\n`), 'no trailing newline');
});

t.test('a verifier matches its S256 challenge only', async (t) => {
  t.ok(verifierMatches(APPENDIX_B_CHALLENGE, VERIFIER), 'RFC 7636 appendix B');
  t.ok(verifierMatches(createHash('sha256').update('b'.repeat(50)).digest('base64url'), 'b'.repeat(50)));
  t.notOk(verifierMatches(APPENDIX_B_CHALLENGE, `${VERIFIER}x`), 'another verifier');
  t.notOk(verifierMatches(VERIFIER, VERIFIER), 'plain (challenge = verifier) is not accepted');
  t.notOk(verifierMatches(`${APPENDIX_B_CHALLENGE}=`, VERIFIER), 'a padded challenge');
  t.notOk(verifierMatches('', VERIFIER), 'an empty challenge');
});
