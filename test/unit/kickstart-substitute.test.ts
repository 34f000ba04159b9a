import t from 'tap';
import { substitute, type SubstitutionContext } from '../../src/kickstart/substitute.js';
import { KickstartError } from '../../src/kickstart/types.js';
import { kickstartError, UUID } from '../helpers/fixtures.js';

function context(overrides: Partial<SubstitutionContext> = {}): SubstitutionContext {
  return { baseDir: '/nonexistent', variables: {}, env: {}, ...overrides };
}

t.test('#{var} is replaced inside strings and object keys, and non-strings pass through', async (t) => {
  const ctx = context({ variables: { host: 'localhost', port: '9011' } });
  t.same(substitute({ url: 'http://#{host}:#{port}/x', '#{host}': 1, list: ['#{host}', 2, true, null] }, ctx, 'body'), {
    url: 'http://localhost:9011/x',
    localhost: 1,
    list: ['localhost', 2, true, null],
  });
});

t.test("a key that is a variable becomes its value: the Member API's map of group id to members", async (t) => {
  const ctx = context({ variables: { groupId: 'a1b2c3d4-0000-4000-8000-000000000001', n: 7 } });
  t.same(substitute({ members: { '#{groupId}': [{ userId: 'u' }] }, '#{n}': true }, ctx, 'body'), {
    members: { 'a1b2c3d4-0000-4000-8000-000000000001': [{ userId: 'u' }] },
    7: true,
  });
});

t.test("a string that is nothing but #{n} keeps the variable's JSON type", async (t) => {
  const ctx = context({ variables: { n: 42, flag: false, list: ['a'], obj: { a: 1 }, s: '7' } });
  t.equal(substitute('#{n}', ctx, 'x'), 42);
  t.equal(substitute('#{flag}', ctx, 'x'), false);
  t.same(substitute('#{list}', ctx, 'x'), ['a']);
  t.same(substitute('#{obj}', ctx, 'x'), { a: 1 });
  t.equal(substitute('#{s}', ctx, 'x'), '7', 'a string variable stays a string');
  t.equal(substitute('n=#{n}', ctx, 'x'), 'n=42', 'inside a longer string a number becomes text');
});

t.test('#{ENV.NAME} reads the environment; an unset one is a clear error naming the place', async (t) => {
  const ctx = context({ env: { SECRET: 's3cret', EMPTY: '' } });
  t.equal(substitute('pw-#{ENV.SECRET}', ctx, 'x'), 'pw-s3cret');
  t.equal(substitute('#{ENV.EMPTY}', ctx, 'x'), '', 'set but empty is still set');
  const message = kickstartError(t, () => substitute({ user: { password: '#{ENV.MISSING}' } }, ctx, 'requests[1].body'));
  t.match(message, 'requests[1].body.user.password');
  t.match(message, '#{ENV.MISSING}');
  t.match(message, /environment variable that is not set/);
});

t.test('#{UUID()} is a new UUID at each occurrence', async (t) => {
  const out = substitute({ a: '#{UUID()}', b: '#{UUID()}', both: '#{UUID()}/#{UUID()}' }, context(), 'x') as Record<string, string>;
  t.match(out.a, UUID);
  t.match(out.b, UUID);
  t.not(out.a, out.b);
  const [first, second] = out.both!.split('/');
  t.match(first, UUID);
  t.match(second, UUID);
  t.not(first, second);
});

t.test('an unknown variable is a KickstartError naming the place', async (t) => {
  const message = kickstartError(t, () =>
    substitute({ registration: { roles: ['x', 'role-#{nope}'] } }, context({ variables: { known: 1 } }), 'requests[2].body'),
  );
  t.equal(message, 'requests[2].body.registration.roles[1]: #{nope} is not a defined variable');
  // A variable's own name is looked up exactly: prototype members are not variables.
  t.throws(() => substitute('#{toString}', context(), 'x'), KickstartError);
});

t.test('\\#{ escapes a placeholder: it is kept, without the backslash', async (t) => {
  // In the JSON source this is "\\#{name}"; once parsed, the string holds one backslash.
  const parsed = JSON.parse('{"template": "Hello \\\\#{user.name}, \\\\#{x} but #{known}"}') as unknown;
  t.same(substitute(parsed, context({ variables: { known: 'yes' } }), 'x'), { template: 'Hello #{user.name}, #{x} but yes' });
  t.equal(substitute('\\#{whole}', context(), 'x'), '#{whole}', 'a whole escaped string is not a variable lookup');
});

t.test('\\@{ and \\&{ escape an include: the text is kept, without the backslash, and no file is read', async (t) => {
  // The base folder does not exist: reading any file would throw.
  const ctx = context({ variables: { known: 'yes' } });
  // In the JSON source these are "\\@{…}" and "\\&{…}"; once parsed, each string holds one backslash.
  const parsed = JSON.parse('{"a": "mail \\\\@{not/a/file.txt} #{known}", "b": "\\\\&{not/a/file.json}", "c": "x \\\\&{y} \\\\@{z}"}') as unknown;
  t.same(substitute(parsed, ctx, 'x'), { a: 'mail @{not/a/file.txt} yes', b: '&{not/a/file.json}', c: 'x &{y} @{z}' });
  t.equal(substitute('\\@{whole.txt}', ctx, 'x'), '@{whole.txt}', 'a whole escaped text include');
  t.equal(substitute('\\&{whole.json}', ctx, 'x'), '&{whole.json}', 'a whole escaped JSON include is a string, not a value');
  t.equal(substitute('\\#{a} \\@{b} \\&{c} #{known}', ctx, 'x'), '#{a} @{b} &{c} yes', 'the three escapes side by side');
});

t.test('@{file} inlines a text file as a string, without substituting its content again', async (t) => {
  const baseDir = t.testdir({
    templates: { 'index.ftl': '<p>#{notAVariable} and @{other.txt} and "quotes"\n</p>\n' },
  });
  const ctx = context({ baseDir, variables: {} });
  t.equal(substitute('@{templates/index.ftl}', ctx, 'x'), '<p>#{notAVariable} and @{other.txt} and "quotes"\n</p>\n');
  t.equal(substitute('before:@{templates/index.ftl}', ctx, 'x'), 'before:<p>#{notAVariable} and @{other.txt} and "quotes"\n</p>\n');
});

t.test('@{file} that cannot be read is a KickstartError naming the place and the path', async (t) => {
  const baseDir = t.testdir({ folder: {} });
  const missing = kickstartError(t, () => substitute({ theme: { stylesheet: '@{css/missing.css}' } }, context({ baseDir }), 'requests[6].body'));
  t.match(missing, 'requests[6].body.theme.stylesheet');
  t.match(missing, 'css/missing.css');
  t.match(missing, 'ENOENT');
  const directory = kickstartError(t, () => substitute('@{folder}', context({ baseDir }), 'x'));
  t.match(directory, 'EISDIR');
});

t.test('&{file} inlines a JSON file as a value, substituted like the kickstart itself', async (t) => {
  const baseDir = t.testdir({
    'user.json': JSON.stringify({ email: '#{email}', age: '#{age}', id: '#{UUID()}', raw: '\\#{kept}' }),
    'list.json': '[1, "two", null]',
  });
  const ctx = context({ baseDir, variables: { email: 'a@example.com', age: 30 } });
  const out = substitute({ user: '&{user.json}', list: '&{list.json}' }, ctx, 'x') as { user: Record<string, unknown>; list: unknown };
  t.equal(out.user.email, 'a@example.com');
  t.equal(out.user.age, 30);
  t.match(out.user.id, UUID);
  t.equal(out.user.raw, '#{kept}');
  t.same(out.list, [1, 'two', null]);
  t.equal(substitute('see &{user.json}', ctx, 'x'), 'see &{user.json}', 'only a whole string is a JSON include');
});

t.test('&{file} with invalid JSON or a missing file is a KickstartError naming the place', async (t) => {
  const baseDir = t.testdir({ 'bad.json': '{"a": 1,}' });
  const invalid = kickstartError(t, () => substitute({ body: '&{bad.json}' }, context({ baseDir }), 'requests[0]'));
  t.match(invalid, 'requests[0].body');
  t.match(invalid, /&\{bad\.json\} is not valid JSON/);
  const missing = kickstartError(t, () => substitute('&{nope.json}', context({ baseDir }), 'requests[3]'));
  t.match(missing, /^requests\[3\]: cannot read the included file nope\.json: ENOENT/);
  const inner = t.testdir({ 'outer.json': '{"x": "#{undefinedVar}"}' });
  t.match(
    kickstartError(t, () => substitute('&{outer.json}', context({ baseDir: inner }), 'requests[4]')),
    /^requests\[4\] \(&\{outer\.json\}\)\.x: #\{undefinedVar\} is not a defined variable/,
  );
});
