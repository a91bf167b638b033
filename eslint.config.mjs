// Workflow code must stay deterministic: no Node builtins, HTTP clients or other I/O inside src/workflows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process',
  'readline', 'stream', 'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const forbiddenInWorkflows = [
  ...nodeBuiltins,
  ...nodeBuiltins.map((m) => `node:${m}`),
  'axios', 'fastify', 'prom-client', 'commander', 'cli-progress', 'undici', 'node-fetch',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];

/** What workflow code may import; `patched` only through runtime/patchLevel.ts (a marker per id is billed). */
function workflowImports({ patchesThroughLevels }) {
  const paths = forbiddenInWorkflows.map((name) => ({ name, message: 'Workflows must be deterministic: no I/O or Node builtins.' }));
  if (patchesThroughLevels) {
    paths.push({ name: '@temporalio/workflow', importNames: ['patched', 'deprecatePatch'], message: 'Ask isPatched() from runtime/patchLevel.ts: a patch level saves each new execution a marker per patch id.' });
  }
  return ['error', {
    paths,
    patterns: [
      { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Workflows import activity types only (import type).' },
      { group: ['**/client/**', '**/workers/**', '**/sim/**', '**/scripts/**'], message: 'Workflows may import only @temporalio/workflow, src/domain and activity types.' },
    ],
  }];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': workflowImports({ patchesThroughLevels: true }),
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process', 'require'],
    },
  },
  {
    // The one place that asks the SDK for a patch marker: everyone else asks through the patch level.
    files: ['src/workflows/runtime/patchLevel.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': workflowImports({ patchesThroughLevels: false }) },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: forbiddenInWorkflows.concat(['@temporalio/workflow', '@temporalio/common']).map((name) => ({ name, message: 'The domain is pure: no Temporal, no I/O.' })),
      }],
    },
  },
  {
    // Emulators must be able to disagree with the product: from src/ they may import types only (import type).
    files: ['sim/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/src', '**/src/**'], allowTypeImports: true, message: 'sim/ imports nothing from src/ but types (import type): write the emulator its own code.' }],
      }],
    },
  },
);
