import t from 'tap';
import { redactUrl } from '../../src/http/redact-url.js';

t.test('secret query parameters are redacted by their decoded name, whatever the case', async (t) => {
  const cases: [string, string][] = [
    ['/api/jwt/refresh?token=abc&userId=u', '/api/jwt/refresh?token=[redacted]&userId=u'],
    ['/app/callback?code=c0de&state=s&locale=en', '/app/callback?code=[redacted]&state=s&locale=en'],
    ['/oauth2/logout?id_token_hint=eyJ.x.y&client_id=c', '/oauth2/logout?id_token_hint=[redacted]&client_id=c'],
    ['/oauth2/userinfo?access_token=at', '/oauth2/userinfo?access_token=[redacted]'],
    ['/oauth2/token?client_secret=s3cret&grant_type=x', '/oauth2/token?client_secret=[redacted]&grant_type=x'],
    ['/x?CLIENT_SECRET=a&Refresh_Token=b', '/x?CLIENT_SECRET=[redacted]&Refresh_Token=[redacted]'],
    ['/x?client%5Fsecret=a', '/x?client%5Fsecret=[redacted]'],
    ['/x?code+=a', '/x?code+=[redacted]'],
    ['/x?token', '/x?token=[redacted]'],
    ['/x?%E0%A4%A=1&key=k', '/x?%E0%A4%A=1&key=[redacted]'],
    ['/x?a=1&b=2', '/x?a=1&b=2'],
  ];
  for (const [url, expected] of cases) t.equal(redactUrl(url), expected, url);
});

t.test('secret path segments are redacted by route, on the decoded path', async (t) => {
  const cases: [string, string][] = [
    ['/api/user/change-password/AbCdEf123', '/api/user/change-password/[redacted]'],
    ['/api/user/change-password', '/api/user/change-password'],
    ['/api/user/change-password?loginId=a@example.com', '/api/user/change-password?loginId=a@example.com'],
    ['/%61pi/user/change%2Dpassword/AbC?x=1', '/%61pi/user/change%2Dpassword/[redacted]?x=1'],
    ['/API/User/Change-Password/AbC', '/API/User/Change-Password/[redacted]'],
    ['/password/change/xyz', '/password/change/[redacted]'],
    ['/email/verify/xyz', '/email/verify/[redacted]'],
    ['/api/user/verify-email/xyz', '/api/user/verify-email/[redacted]'],
    ['/oauth2/passwordless/c0de/extra', '/oauth2/passwordless/[redacted]/[redacted]'],
    ['/api/user/00000000-0000-0000-0000-000000000001', '/api/user/00000000-0000-0000-0000-000000000001'],
  ];
  for (const [url, expected] of cases) t.equal(redactUrl(url), expected, url);
});
