import t from 'tap';
import { matchesWildcardUrl, wildcardProblem, wildcardSample } from '../../../src/model/wildcard-url.js';

// FusionAuth's wildcard rules for authorized redirect URLs (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/url-validation):
// the examples of its tables, where a wildcard may stand and what it may stand for.

t.test('where a wildcard may stand', async (t) => {
  for (const url of [
    'https://*.example.com',
    'https://blah*.example.com',
    'https://example.com:*',
    'https://example.com/path/*/resource',
    'https://example.com/p*/to/resource',
    'https://example.com/*/par*tial/*',
    'https://example.com?foo=*',
    'https://example.com?foo=*&bar=*&baz=blah',
    'http://127.0.0.1:*/callback',
    'https://example.com/no/wildcard',
  ]) {
    t.equal(wildcardProblem(url), undefined, url);
  }
  for (const [url, reason] of [
    ['https://*.com', /fewer than three labels/],
    ['https://auth.*.com', /left-most label/],
    ['https://*mid*.example.com', /more than one wildcard in its domain/],
    ['https://*.168.1.1', /IP address/],
    ['https://example.com:4*', /not an absolute URL/],
    ['https://example.com/path/*mid*/resource', /more than one wildcard in a path segment/],
    ['https://example.com?foo=par*tial', /partial wildcard/],
    ['https://example.com?*=blah', /query parameter name/],
  ] as const) {
    t.match(wildcardProblem(url), reason, url);
  }
});

t.test('what a wildcard may stand for', async (t) => {
  for (const [pattern, value, matches] of [
    ['https://*.example.com', 'https://login.example.com', true],
    ['https://auth*.example.com', 'https://auth2.example.com', true],
    ['https://auth*.example.com', 'https://auth.example.com', false],
    ['https://*.example.com', 'https://auth.customer.example.com', false],
    ['https://*.example.com', 'https://evil@x.example.com', false],
    ['https://example.com:*', 'https://example.com:2012', true],
    ['https://example.com:*', 'https://example.com:80b', false],
    ['https://example.com:*', 'https://example.com', false],
    ['https://example.com/path/*/resource', 'https://example.com/path/to/resource', true],
    ['https://example.com/p*/to/resource', 'https://example.com/path/to/resource', true],
    ['https://example.com/*/par*tial/*', 'https://example.com/path/partotial/resource', true],
    ['https://example.com/path/*/resource', 'https://example.com/path/to/the/resource', false],
    ['https://example.com/path/*', 'https://example.com/path/resource?foo=bar', false],
    ['https://example.com/*/par*tial/*', 'https://example.com/path/partial/resource', false],
    ['https://example.com?foo=*', 'https://example.com?foo=bar', true],
    ['https://example.com?foo=*', 'https://example.com?foo=bar&baz=blah', false],
    ['https://example.com?foo=*', 'https://example.com?baz=blah&foo=bar', false],
    ['https://example.com/cb', 'https://example.com/cb', true],
    ['https://example.com/c.b', 'https://example.com/cxb', false],
    // Narrower than FusionAuth's wording: the URL is a redirect target.
    ['https://*.example.com', 'https://a_b.example.com', false],
    ['https://example.com/path/*', 'https://example.com/path/a b', false],
    ['https://example.com/path/*', 'https://example.com/path/a\\evil.com', false],
    ['https://example.com?foo=*', 'https://example.com?foo=a\nb', false],
  ] as const) {
    t.equal(matchesWildcardUrl(pattern, value), matches, `${pattern} ~ ${value}`);
  }
});

t.test('the sample a wildcard URL is checked as', async (t) => {
  t.equal(wildcardSample('http://127.0.0.1:*/cb/*?x=*'), 'http://127.0.0.1:1/cb/w?x=w');
  t.equal(wildcardSample('https://*.example.com'), 'https://w.example.com');
  t.equal(wildcardSample('javascript:*'), 'javascript:*', 'what does not parse is left for the other checks to refuse');
});
