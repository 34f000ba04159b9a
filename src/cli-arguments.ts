import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';

/**
 * One option of the `standin` command line. `value` names its argument: `<port>` takes one, `[addresses]` takes
 * the next argument only when it is not an option (so `--control` alone means true), and none makes a switch.
 */
export interface CliOption {
  flag: `--${string}`;
  value?: `<${string}>` | `[${string}]`;
  help: string;
  /** The environment variable read when the option is not given. */
  env?: string;
  default?: string;
  choices?: readonly string[];
}

/** What the command line asked for: to run with these values (keyed by flag, `--port` → `port`), or a text to print. */
export type CliRequest = { run: Record<string, string | true> } | { print: string };

/**
 * Reads `args` (the arguments after the script) against `options`, with node:util's parseArgs doing the splitting
 * (`--db=x` and `--db x` alike; an argument after a flag that takes a value is its value, as `-5` in `--port -5`).
 * Each option given on the command line wins over its environment variable, which wins over its default; a value
 * outside an option's choices is refused wherever it came from. Mistakes are ConfigErrors of one line.
 */
export function readCliArguments(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  command: { name: string; description: string; version: string; options: readonly CliOption[] },
): CliRequest {
  const byName = new Map(command.options.map((option) => [option.flag.slice(2), option]));
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: {
      ...Object.fromEntries(command.options.map((option) => [option.flag.slice(2), { type: takesValue(option) ? 'string' : 'boolean' }] as const)),
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });
  const given: Record<string, string | true> = {};
  let waiting: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'positional' && waiting !== undefined) {
      given[waiting] = token.value;
      waiting = undefined;
      continue;
    }
    waiting = undefined;
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new ConfigError(`unexpected argument ${quote(token.value)}: ${command.name} takes options only`);
    if (token.name === 'help') return { print: helpText(command) };
    if (token.name === 'version') return { print: `${command.version}\n` };
    const option = byName.get(token.name);
    if (option === undefined) throw new ConfigError(`unknown option ${quote(token.rawName)}`);
    if (takesValue(option)) {
      if (token.value === undefined) throw new ConfigError(`option ${quote(term(option))} argument missing`);
      given[token.name] = token.value;
    } else if (token.value !== undefined && option.value === undefined) {
      throw new ConfigError(`option ${quote(option.flag)} takes no value (${quote(`${option.flag}=${token.value}`)})`);
    } else {
      given[token.name] = token.value ?? true;
      if (token.value === undefined && option.value !== undefined) waiting = token.name;
    }
  }
  const run: Record<string, string | true> = {};
  for (const [name, option] of byName) {
    const value = given[name] ?? (option.env === undefined ? undefined : env[option.env]) ?? option.default;
    if (value === undefined) continue;
    if (option.choices !== undefined && !option.choices.includes(value as string))
      throw new ConfigError(
        `option ${quote(term(option))} argument ${quote(String(value))} is invalid. Allowed choices are ${option.choices.join(', ')}.`,
      );
    run[name] = value;
  }
  return { run };
}

function takesValue(option: CliOption): boolean {
  return option.value?.startsWith('<') === true;
}

function term(option: CliOption): string {
  return option.value === undefined ? option.flag : `${option.flag} ${option.value}`;
}

function quote(text: string): string {
  return `'${text}'`;
}

const WIDTH = 80;

/** The usage text of `--help`: each option's term, then its help with its choices, default and variable, wrapped. */
function helpText(command: { name: string; description: string; options: readonly CliOption[] }): string {
  const rows: [string, string][] = [
    ['-V, --version', 'output the version number'],
    ...command.options.map((option): [string, string] => {
      const extras = [
        ...(option.choices === undefined ? [] : [`choices: ${option.choices.map((choice) => JSON.stringify(choice)).join(', ')}`]),
        ...(option.default === undefined ? [] : [`default: ${JSON.stringify(option.default)}`]),
        ...(option.env === undefined ? [] : [`env: ${option.env}`]),
      ];
      return [term(option), extras.length === 0 ? option.help : `${option.help} (${extras.join(', ')})`];
    }),
    ['-h, --help', 'display help for command'],
  ];
  const indent = Math.max(...rows.map(([left]) => left.length)) + 4;
  const lines = rows.map(([left, right]) => `  ${left.padEnd(indent - 2)}${wrap(right, WIDTH - indent).join(`\n${' '.repeat(indent)}`)}`);
  return [`Usage: ${command.name} [options]`, '', wrap(command.description, WIDTH).join('\n'), '', 'Options:', ...lines, ''].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
