// Lint configuration: typescript-eslint's strict, type-checked rules (docs/development.md, "Lint and format").
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tap/**', 'examples/*/dist/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fastify plugins and route handlers are async functions by convention, awaited or not.
      '@typescript-eslint/require-await': 'off',
      // `noUncheckedIndexedAccess` types every indexed read as possibly undefined; `!` marks the reads an
      // invariant guarantees (a row written in the same transaction, a key the loop just set).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers and booleans read naturally in messages; objects and undefined still may not slip in.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `const { password: _password, ...rest } = user` is how a member is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // FusionAuth objects are plain JSON records; deleting a named member is how a field is dropped from one.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    // startStandin() may give a Fastify instance a new Standin (src/create-standin.ts): a route or hook that kept
    // `app.standin`, or a part of it, from the moment it was registered would serve the next test with the last
    // one's database and counts. Read `app.standin` (or `request.server.standin`) where it is used.
    files: ['src/routes/**', 'src/plugins/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "VariableDeclarator[init.type='Identifier'][init.name='app']",
          message: 'Read app.standin where it is used, not once at registration (src/create-standin.ts).',
        },
        {
          selector: "VariableDeclarator > MemberExpression.init[object.name='app'][property.name='standin']",
          message: 'Read app.standin where it is used, not once at registration (src/create-standin.ts).',
        },
        {
          selector: "VariableDeclarator > MemberExpression.init > MemberExpression.object[object.name='app'][property.name='standin']",
          message: 'Read app.standin where it is used, not once at registration (src/create-standin.ts).',
        },
      ],
    },
  },
  {
    files: ['test/**', 'examples/**/*.test.ts', 'bench/**', 'scripts/**'],
    rules: {
      // tap awaits the subtests it is given; `t.test(...)` is not awaited by convention.
      '@typescript-eslint/no-floating-promises': 'off',
      // Tests read answers as parsed JSON (`any`) on purpose: the assertions are what check their shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // The FusionAuth client types wire strings as enums; comparing them with the strings on the wire is the test.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
      // Tests call the client methods real apps call, deprecated names included; openid-client marks
      // `allowInsecureRequests` deprecated only to make it stand out, and loopback tests need it.
      '@typescript-eslint/no-deprecated': 'off',
    },
  },
  {
    // Plain JavaScript (benchmarks, scripts, the example apps' browser code): no type information to use.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node, ...globals.browser } },
  },
);
