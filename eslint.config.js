// ESLint flat config. Host code (tools/, tests/, host-sim/, bench/) may use Node freely. Device code
// (src/, proofs/, hal/) runs inside XS on an ESP32 (ARCHITECTURE.md, "One codebase, two worlds"):
// - nowhere in it: Node built-ins, Buffer, process, require;
// - outside hal/moddable/: also no ambient clock, randomness or timers (Date.now, new Date(),
//   Math.random, setTimeout, ...): they come in through the ports in src/ports.ts. hal/moddable/
//   builds those ports on Moddable's own "timer", "time", "http", "net" ... modules, some of which
//   share a name with a Node built-in, so only the Node-only names are refused there.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node built-ins with no Moddable module of the same name. */
const NODE_ONLY = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'events', 'fs', 'http2', 'https', 'module',
  'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'tty', 'util', 'v8', 'vm',
  'worker_threads', 'zlib',
];
/** Node built-ins whose names Moddable modules also use (modules/network/http, net, dns; modules/data/url). */
const NODE_AND_MODDABLE = ['dns', 'http', 'net', 'url'];

const WHY = 'Device code runs in XS on the ESP32';
const PORT = `${WHY}: inject it through a port (src/ports.ts).`;

const restrictImports = (names) => [
  'error',
  {
    patterns: [
      {
        group: ['node:*', ...names.flatMap((name) => [name, `${name}/*`])],
        message: `${WHY}, where Node built-ins do not exist.`,
      },
    ],
  },
];

const NODE_GLOBALS = [
  { name: 'Buffer', message: `${WHY}: use Uint8Array (proofs/bytes.ts).` },
  { name: 'process', message: `${WHY}: process is Node-only; settings come in through the ports.` },
  { name: 'require', message: `${WHY}: ES modules only.` },
];
const NODE_GLOBAL_PROPERTIES = ['Buffer', 'process'].map((property) => ({
  object: 'globalThis',
  property,
  message: `${WHY}: ${property} is Node-only.`,
}));
const TIMERS = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'];

export default defineConfig([
  globalIgnores(['node_modules/', 'build/', 'bench/out/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Device code, and the parts of the simulator and the XS tier's scenarios that run beside it in XS.
    files: ['src/**', 'proofs/**', 'hal/**', 'host-sim/chips/**', 'host-sim/air/**', 'host-sim/kernel/**', 'host-sim/ports/**', 'tools/xs/scenarios/**', 'tools/xs/moddable-fakes/**'],
    ignores: ['hal/moddable/**'],
    rules: {
      'no-restricted-imports': restrictImports([...NODE_ONLY, ...NODE_AND_MODDABLE]),
      'no-restricted-globals': [
        'error',
        ...NODE_GLOBALS,
        ...TIMERS.map((name) => ({ name, message: `Timers come from the Clock port. ${PORT}` })),
      ],
      'no-restricted-properties': [
        'error',
        ...NODE_GLOBAL_PROPERTIES,
        { object: 'Date', property: 'now', message: `Time comes from the Clock port. ${PORT}` },
        { object: 'Math', property: 'random', message: `Randomness comes from the Rng port. ${PORT}` },
        ...TIMERS.map((property) => ({
          object: 'globalThis',
          property,
          message: `Timers come from the Clock port. ${PORT}`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: `new Date() reads the wall clock; time comes from the Clock port. ${PORT}`,
        },
      ],
    },
  },
  {
    files: ['hal/moddable/**'],
    rules: {
      'no-restricted-imports': restrictImports(NODE_ONLY),
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
      'no-restricted-properties': ['error', ...NODE_GLOBAL_PROPERTIES],
    },
  },
]);
