import t from 'tap';
import { readCliArguments, type CliOption } from '../../src/cli-arguments.js';
import { ConfigError } from '../../src/config.js';

const OPTIONS: CliOption[] = [
  { flag: '--port', value: '<port>', help: 'port to listen on', env: 'TEST_PORT', default: '9011' },
  { flag: '--issuer', value: '<url>', help: 'issuer', env: 'TEST_ISSUER' },
  { flag: '--log-level', value: '<level>', help: 'log level', env: 'TEST_LOG_LEVEL', choices: ['info', 'warn'], default: 'info' },
  { flag: '--picker', help: 'a switch' },
  { flag: '--control', value: '[enabled]', help: 'a value that may be left out' },
];
const COMMAND = { name: 'standin', description: 'A test command.', version: '1.2.3', options: OPTIONS };

const read = (args: string[], env: NodeJS.ProcessEnv = {}) => readCliArguments(args, env, COMMAND);
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const request = read(args, env);
  if (!('run' in request)) throw new Error(`expected values, got ${JSON.stringify(request)}`);
  return request.run;
};
const refusal = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    read(args, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

t.test('a value follows its flag or is joined to it with =; the last one given wins', async (t) => {
  t.same(run(['--port', '1']), { port: '1', 'log-level': 'info' });
  t.same(run(['--port=2']), { port: '2', 'log-level': 'info' });
  t.same(run(['--port', '1', '--port', '3']).port, '3');
  t.equal(run(['--port', '-5']).port, '-5', 'an argument after a flag that takes a value is its value, dash or not');
  t.equal(run(['--issuer', 'http://a.test:1/x?y=1']).issuer, 'http://a.test:1/x?y=1');
});

t.test('the command line wins over the environment, which wins over the default', async (t) => {
  t.equal(run([], {}).port, '9011');
  t.equal(run([], { TEST_PORT: '4' }).port, '4');
  t.equal(run(['--port', '5'], { TEST_PORT: '4' }).port, '5');
  t.equal(run([], { TEST_ISSUER: '' }).issuer, '', 'a variable set to nothing is still set');
  t.notOk('issuer' in run([]), 'an option with no default and no variable is absent');
});

t.test('a switch is true when given and takes no value', async (t) => {
  t.equal(run(['--picker']).picker, true);
  t.notOk('picker' in run([]));
  t.match(refusal(['--picker=yes']), /^option '--picker' takes no value \('--picker=yes'\)$/);
});

t.test('an optional value is the next argument unless that is an option', async (t) => {
  t.equal(run(['--control']).control, true);
  t.equal(run(['--control', 'false']).control, 'false');
  t.equal(run(['--control=false']).control, 'false');
  t.same(run(['--control', '--port', '7']), { control: true, port: '7', 'log-level': 'info' });
  t.match(refusal(['--control', 'false', 'extra']), /^unexpected argument 'extra'/, 'only one argument is its value');
});

t.test('mistakes are one-line ConfigErrors naming what was wrong', async (t) => {
  t.equal(refusal(['--colour', 'blue']), "unknown option '--colour'");
  t.equal(refusal(['-x']), "unknown option '-x'");
  t.equal(refusal(['--port']), "option '--port <port>' argument missing");
  t.match(refusal(['extra']), /^unexpected argument 'extra'/);
  t.match(refusal(['--', '--port']), /^unexpected argument '--port'/, 'after --, everything is an argument');
  t.equal(refusal(['--log-level', 'loud']), "option '--log-level <level>' argument 'loud' is invalid. Allowed choices are info, warn.");
  t.match(refusal([], { TEST_LOG_LEVEL: 'loud' }), /'--log-level <level>' argument 'loud' is invalid/, 'a variable outside the choices too');
});

t.test('--help and --version ask for a text to print, before any value is checked', async (t) => {
  t.same(read(['--version']), { print: '1.2.3\n' });
  t.same(read(['-V']), { print: '1.2.3\n' });
  const help = read(['--log-level', 'loud', '-h']);
  t.ok('print' in help);
  if (!('print' in help)) return;
  t.equal(
    help.print,
    [
      'Usage: standin [options]',
      '',
      'A test command.',
      '',
      'Options:',
      '  -V, --version        output the version number',
      '  --port <port>        port to listen on (default: "9011", env: TEST_PORT)',
      '  --issuer <url>       issuer (env: TEST_ISSUER)',
      '  --log-level <level>  log level (choices: "info", "warn", default: "info", env:',
      '                       TEST_LOG_LEVEL)',
      '  --picker             a switch',
      '  --control [enabled]  a value that may be left out',
      '  -h, --help           display help for command',
      '',
    ].join('\n'),
    'the terms in one column, two spaces beyond the longest; each help wrapped at 80 columns',
  );
});
