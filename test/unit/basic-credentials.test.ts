import t from 'tap';
import { parseBasicCredentials } from '../../src/http/basic-credentials.js';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

t.test('Basic credentials: each half form-decoded, the id as sent', async (t) => {
  t.same(parseBasicCredentials(basic('E9FDB985-9173-4E01-9D73-AC2D60D1DC8E:s3cret')), {
    clientId: 'E9FDB985-9173-4E01-9D73-AC2D60D1DC8E',
    secret: 's3cret',
  });
  t.same(parseBasicCredentials(basic('my%20client:a+b%3Ac')), { clientId: 'my client', secret: 'a b:c' }, 'RFC 6749 Appendix B');
  t.same(
    parseBasicCredentials(`bAsIc   ${Buffer.from('id:').toString('base64')}`),
    { clientId: 'id' },
    'scheme in any case; an empty secret is absent',
  );
  t.same(parseBasicCredentials(basic(':secret')), { secret: 'secret' }, 'an empty id is absent');
});

t.test('another scheme or no header is not Basic at all', async (t) => {
  t.equal(parseBasicCredentials(undefined), undefined);
  t.equal(parseBasicCredentials('Bearer abc'), undefined);
  t.equal(parseBasicCredentials('this-is-an-api-key'), undefined, "FusionAuth's clients send a raw API key in Authorization");
});

t.test('Basic that is not base64 of id:secret with valid escapes is malformed', async (t) => {
  t.equal(parseBasicCredentials('Basic'), 'malformed');
  t.equal(parseBasicCredentials('Basic !!!'), 'malformed');
  t.equal(parseBasicCredentials(basic('no-colon')), 'malformed');
  t.equal(parseBasicCredentials(basic('%E0%A4%A:secret')), 'malformed');
  t.equal(parseBasicCredentials(basic('id:%zz')), 'malformed');
});
