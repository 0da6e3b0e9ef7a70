import nx from '@nx/eslint-plugin';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '**/jest.config.js', 'jest.preset.js'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // Who may import whom. Apps are wiring; libs hold behaviour; contracts depend on nothing.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          // Only test files close these loops: a platform lib's integration tests use the harness
          // (libs/testing) or run a service with the other platform libs, which depend on it.
          ignoredCircularDependencies: [
            ['testing', 'db'],
            ['testing', 'messaging'],
            ['testing', 'cache'],
            ['testing', 'observability'],
            ['observability', 'db'],
            ['observability', 'cache'],
            ['observability', 'messaging'],
          ],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
          ],
        },
      ],
      // Explicit types on env fields feed class-validator's type conversion.
      '@typescript-eslint/no-inferrable-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests of the platform libs use the test harness, which is built on those libs; that
    // cycle is confined to test files. Tests still may not reach into apps or relative-import other projects.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
      'no-restricted-imports': ['error', { patterns: ['**/apps/**', '../../libs/**', '../../../libs/**'] }],
    },
  },
  {
    // The operator console's React code: hooks used by their rules, and accessible markup.
    files: ['apps/console/web/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
    plugins: { ...jsxA11y.flatConfigs.recommended.plugins, 'react-hooks': reactHooks },
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
];
