import t from 'tap';
import { buildEmptyApp, testKickstart } from '../helpers/fixtures.js';

t.test('the home page lists the endpoints and applications, with every value escaped', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      {
        url: '/api/application/aaaaaaaa-0000-4000-8000-0000000000b1',
        body: {
          application: {
            name: '<script>alert(1)</script>',
            oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/?a="b"&c=<d>'], clientSecret: 'never-shown-secret' },
          },
        },
      },
    ]),
  });
  const response = await app.inject('/');
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^text\/html/);
  t.equal(response.headers['cache-control'], 'no-store');
  t.match(response.body, '<code>http://localhost:9011</code>');
  t.match(response.body, 'href="/.well-known/openid-configuration"');
  t.match(response.body, '&lt;script&gt;alert(1)&lt;/script&gt;');
  t.notMatch(response.body, '<script>', 'no markup from stored values');
  t.match(response.body, 'http://localhost:3000/?a=&quot;b&quot;&amp;c=&lt;d&gt;');
  t.notMatch(response.body, 'never-shown-secret', 'no client secret');
});
