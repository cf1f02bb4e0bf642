// The layers, enforced: which folder may import which. Only import rules, on purpose: the types are
// typescript's job, and style is left alone. Each rule says what it protects.
//   renderer/, preload/, common/ never import main/  (the windows and the bridge hold no main code)
//   common/ imports nothing of the app but itself    (the shared facts sit below every process)
//   main/realtime/ imports neither electron nor main/shell/  (the session runs under plain node)
//   main/ never imports test/                        (the product does not ship test code)
//   only main/shell/ and main/index.ts import electron  (the rest of main runs under node and in tests)
import tseslint from 'typescript-eslint';
import svelteParser from 'svelte-eslint-parser';

const mainFolder = { regex: '^(\\.\\./)+main(/|$)', message: 'renderer/, preload/ and common/ never import main/: shared types and data live in common/.' };
const electron = { name: 'electron', message: 'Only main/shell/ and main/index.ts import electron; elsewhere take a port (an interface) that main/shell fills.' };
const testFolder = { regex: '^(\\.\\./)+test/', message: 'main/ never imports test/: what the product needs lives in main/ or simulator/.' };

/** One no-restricted-imports rule from its paths and patterns. */
const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default [
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'docs/**'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  { files: ['**/*.svelte'], languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser } } },
  { files: ['renderer/**/*.{ts,svelte}', 'preload/**/*.ts'], rules: restrict([], [mainFolder]) },
  {
    files: ['common/**/*.ts'],
    rules: restrict([electron], [mainFolder, { regex: '^(\\.\\./)+(preload|renderer|test|simulator)(/|$)', message: 'common/ sits below every process: it imports only itself and libraries.' }]),
  },
  { files: ['main/**/*.ts'], ignores: ['main/shell/**', 'main/index.ts'], rules: restrict([electron], [testFolder]) },
  { files: ['main/shell/**/*.ts', 'main/index.ts'], rules: restrict([], [testFolder]) },
  {
    files: ['main/realtime/**/*.ts'],
    rules: restrict([electron], [testFolder, { regex: '^\\.\\./shell(/|$)', message: 'main/realtime/ never imports main/shell/: the session knows nothing of windows, trays or keys.' }]),
  },
];
