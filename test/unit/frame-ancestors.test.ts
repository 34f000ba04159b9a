import t from 'tap';
import { frameAncestorSources, withFrameAncestors } from '../../src/http/frame-ancestors.js';

t.test('each authorizedOriginURLs entry that is an origin becomes a frame-ancestors source', async (t) => {
  const exact = (authorizedOriginURLs: string[]) => frameAncestorSources({ authorizedOriginURLs, authorizedURLValidationPolicy: 'ExactMatch' });
  t.same(exact(['http://localhost:3000', 'HTTPS://App.Example.com/', 'com.myapp://example']), [
    'http://localhost:3000',
    'https://app.example.com',
    'com.myapp://example',
  ]);
  t.same(
    exact(['http://localhost:3000/login', 'https://a.example?x=1', 'https://a.example;script-src *', 'com.myApp:/example']),
    [],
    'no origin, no source',
  );
  t.same(exact(['https://*.example.com', 'http://localhost:*']), [], 'wildcards only under AllowWildcards');
  t.same(
    frameAncestorSources({ authorizedOriginURLs: ['https://*.example.com', 'http://localhost:*'], authorizedURLValidationPolicy: 'AllowWildcards' }),
    ['https://*.example.com', 'http://localhost:*'],
  );
});

t.test('the policy keeps every other directive', async (t) => {
  const policy = "default-src 'self';base-uri 'none';frame-ancestors 'none';img-src 'self' data:";
  t.equal(
    withFrameAncestors(policy, ['http://a.test', 'http://b.test']),
    "default-src 'self';base-uri 'none';frame-ancestors http://a.test http://b.test;img-src 'self' data:",
  );
});
