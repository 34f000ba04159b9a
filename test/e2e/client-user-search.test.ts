import { FusionAuthClient, Sort } from '@fusionauth/typescript-client';
import t from 'tap';
import { CLIENT_API_KEY, CLIENT_TENANT_ID, failureOf, GILFOYLE_ID, RICHARD_ID, startClientStandin } from '../helpers/fixtures.js';

// FusionAuth's Search for Users API with the database search engine, through searchUsersByQuery (admin pages).
t.test('searchUsersByQuery: wildcards, paging, sorting, totals', async (t) => {
  const { client, url } = await startClientStandin(t);
  // Richard and Gilfoyle come with the helper; add a few more, one in another tenant.
  const people = [
    { email: 'monica@piedpiper.example', firstName: 'Monica', lastName: 'Hall', fullName: 'Monica Hall' },
    { email: 'jared@piedpiper.example', firstName: 'Donald', lastName: 'Dunn', username: 'Jared' },
    { email: 'big.head@hooli.example', firstName: 'Nelson', lastName: 'Bighetti' },
    { email: 'percent%50_off@shop.example', firstName: 'Odd' },
  ];
  for (const user of people) await client.createUser(null as never, { user: { ...user, password: 'password' } });
  const OTHER_TENANT = 'eeeeeeee-0000-4000-8000-0000000000f1';
  await client.createTenant(OTHER_TENANT, { tenant: { name: 'Other' } });
  await new FusionAuthClient(CLIENT_API_KEY, url, OTHER_TENANT).createUser(null as never, {
    user: { email: 'monica@other.example', password: 'password' },
  });
  const inTenant = new FusionAuthClient(CLIENT_API_KEY, url, CLIENT_TENANT_ID);

  const emails = async (search: Record<string, unknown>, on = inTenant) => {
    const { response } = await on.searchUsersByQuery({ search });
    return { emails: response.users!.map((user) => user.email), total: response.total };
  };

  t.test('a term matches within email, username, first, last and full name, without regard to case', async (t) => {
    t.same((await emails({ queryString: 'PIEDPIPER' })).emails.sort(), ['jared@piedpiper.example', 'monica@piedpiper.example']);
    t.same((await emails({ queryString: 'jared' })).emails, ['jared@piedpiper.example'], 'by username');
    t.same((await emails({ queryString: 'bighett' })).emails, ['big.head@hooli.example'], 'within the last name');
    t.same((await emails({ queryString: 'monica hall' })).emails, ['monica@piedpiper.example'], 'the full name');
    t.same((await emails({ queryString: 'richard' })).emails, ['richard@example.com'], 'the first name');
    t.same(await emails({ queryString: 'nobody' }), { emails: [], total: 0 });
  });

  t.test('* stands for anything; % and _ are plain characters', async (t) => {
    t.equal((await emails({ queryString: '*' })).total, 6, 'every user of the tenant');
    t.same((await emails({ queryString: 'm*@piedpiper' })).emails, ['monica@piedpiper.example']);
    t.same((await emails({ queryString: '%50_' })).emails, ['percent%50_off@shop.example']);
    t.same((await emails({ queryString: 'a_b' })).emails, [], '_ is not a wildcard');
    t.same((await emails({ queryString: "x' OR '1'='1" })).emails, [], 'quotes are text, not SQL');
    t.same((await emails({ queryString: '\\' })).emails, [], 'and so is a backslash');
    t.equal((await emails({ queryString: '*' }, client)).total, 7, 'with no tenant named, every tenant');
  });

  t.test('numberOfResults (25 by default), startRow and sortFields', async (t) => {
    const sorted = [
      'big.head@hooli.example',
      'gilfoyle@example.com',
      'jared@piedpiper.example',
      'monica@piedpiper.example',
      'percent%50_off@shop.example',
      'richard@example.com',
    ];
    t.same((await emails({ queryString: '*', sortFields: [{ name: 'email', order: Sort.asc }] })).emails, sorted);
    t.same((await emails({ queryString: '*', sortFields: [{ name: 'email', order: Sort.desc }] })).emails, [...sorted].reverse());
    const page = await emails({ queryString: '*', sortFields: [{ name: 'email' }], startRow: 2, numberOfResults: 2 });
    t.same(page, { emails: sorted.slice(2, 4), total: 6 }, 'a page, and the total of all matches');
    const byName = await emails({
      queryString: '*',
      sortFields: [
        { name: 'fullName', order: Sort.asc },
        { name: 'email', order: Sort.desc },
      ],
    });
    t.same(byName.emails.slice(0, 1), ['monica@piedpiper.example'], 'users with a full name first, then the rest');
    const inserted = await emails({
      queryString: '*',
      sortFields: [
        { name: 'insertInstant', order: Sort.desc },
        { name: 'login', order: Sort.asc },
      ],
    });
    t.equal(inserted.emails.length, 6);
    const bad = await failureOf(inTenant.searchUsersByQuery({ search: { queryString: '*', sortFields: [{ name: 'password' }] } }));
    t.equal(bad.statusCode, 400);
    t.ok(bad.exception.fieldErrors['sortFields[0].name']);
    t.equal((await failureOf(inTenant.searchUsersByQuery({ search: { queryString: '*', numberOfResults: -1 } }))).statusCode, 400);
    t.equal((await failureOf(inTenant.searchUsersByQuery({ search: {} }))).statusCode, 400, 'neither ids nor queryString');
  });

  t.test('users come with their registrations unless expand leaves them out', async (t) => {
    const { response } = await inTenant.searchUsersByQuery({ search: { queryString: 'richard' } });
    t.ok(response.users![0]!.registrations!.length > 0);
    // expand (since 1.48.0) is not in this client's UserSearchCriteria type, but it sends what it is given.
    const bare = await inTenant.searchUsersByQuery({ search: { queryString: 'richard', expand: [] } as never });
    t.notOk(bare.response.users![0]!.registrations);
  });

  t.test('ids still win, and the Elasticsearch query is not modelled', async (t) => {
    const byIds = await inTenant.searchUsersByQuery({ search: { ids: [GILFOYLE_ID, RICHARD_ID], queryString: 'monica' } });
    t.same(
      byIds.response.users!.map((user) => user.id),
      [GILFOYLE_ID, RICHARD_ID],
    );
    const elastic = await failureOf(inTenant.searchUsersByQuery({ search: { query: '{"match_all":{}}' } }));
    t.equal(elastic.statusCode, 400);
    t.equal(elastic.exception.generalErrors[0].code, '[NotModelled]');
  });

  t.test('GET /api/user/search?queryString=… with paging, sorting and accurateTotal', async (t) => {
    const query = new URLSearchParams({
      queryString: 'PiedPiper',
      numberOfResults: '1',
      startRow: '1',
      'sortFields[0].name': 'email',
      'sortFields[0].order': 'desc',
      accurateTotal: 'true',
    });
    const response = await fetch(`${url}/api/user/search?${query}`, {
      headers: { authorization: CLIENT_API_KEY, 'x-fusionauth-tenantid': CLIENT_TENANT_ID },
    });
    t.equal(response.status, 200);
    const body = (await response.json()) as { total: number; users: Array<{ email: string }> };
    t.same({ total: body.total, emails: body.users.map((user) => user.email) }, { total: 2, emails: ['jared@piedpiper.example'] });
  });
});
