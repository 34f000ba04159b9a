// An esbuild plugin for scripts/bundle.mjs. find-my-way, Fastify's router, compiles functions with `new Function` as
// each route is added: a prefix matcher for every static node of its trees, and for every handler a factory of its
// params object and a matcher of route constraints. At Standin's 200-odd routes that is some 1,500 compilations
// at every start, which no code cache can hold (bench/README.md, "Tenth round"). Bundled, the prefix matcher and the
// params factory are closures that do the same comparisons and assignments, and the constraints matcher, which only
// a router with constrained routes calls, is compiled on its first call from the handlers it has by then.
// test/e2e/bundled-router.test.ts routes requests through the built CLI and the sources alike. Each text replaced
// must occur exactly once in find-my-way's source, or the build fails rather than bundle it unchanged.
import { readFileSync } from 'node:fs';

const REWRITES = {
  'node.js': [
    {
      what: 'compilePrefixMatch builds a comparison per character and compiles them',
      from: [
        '  const lines = []',
        '  for (let i = 1; i < prefix.length; i++) {',
        '    const charCode = prefix.charCodeAt(i)',
        '    lines.push(`path.charCodeAt(i + ${i}) === ${charCode}`)',
        '  }',
        "  return new Function('path', 'i', `'use strict'\\nreturn ${lines.join(' && ')}`) // eslint-disable-line",
      ].join('\n'),
      to: [
        '  return function matchShortPrefix (path, i) {',
        '    for (let j = 1; j < prefix.length; j++) {',
        '      if (path.charCodeAt(i + j) !== prefix.charCodeAt(j)) return false',
        '    }',
        '    return true',
        '  }',
      ].join('\n'),
    },
  ],
  'handler-storage.js': [
    {
      what: "addHandler compiles the handler's params factory",
      from: '_createParamsObject: this._compileCreateParamsObject(params)',
      to: [
        // The compiled factory assigns `param0`…`param3`, then `extraParams[i - 4]`, to each name in turn.
        '_createParamsObject: function (param0, param1, param2, param3, extraParams) {',
        '        const values = [param0, param1, param2, param3]',
        '        const object = new NullObject()',
        '        for (let i = 0; i < params.length; i++) object[params[i]] = i < 4 ? values[i] : extraParams[i - 4]',
        '        return object',
        '      }',
      ].join('\n'),
    },
    {
      what: 'addHandler compiles the constraints matcher',
      from: '      this._compileGetHandlerMatchingConstraints(constrainer, constraints)',
      to: [
        '      this._getHandlerMatchingConstraints = function compileOnFirstCall (derivedConstraints) {',
        '        this._compileGetHandlerMatchingConstraints(constrainer, constraints)',
        '        return this._getHandlerMatchingConstraints(derivedConstraints)',
        '      }',
      ].join('\n'),
    },
  ],
};

function rewrite(path, source, { what, from, to }) {
  const at = source.indexOf(from);
  if (at === -1 || source.indexOf(from, at + 1) !== -1) throw new Error(`${path}: not as scripts/uncompiled-router.mjs expects (${what})`);
  return `${source.slice(0, at)}${to}${source.slice(at + from.length)}`;
}

export const uncompiledRouter = {
  name: 'uncompiled-router',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]find-my-way[\\/]lib[\\/](node|handler-storage)\.js$/ }, (args) => {
      const name = args.path.split(/[\\/]/).pop();
      const contents = REWRITES[name].reduce((source, change) => rewrite(args.path, source, change), readFileSync(args.path, 'utf8'));
      return { contents, loader: 'js' };
    });
  },
};
