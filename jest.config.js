/** Jest runs the TypeScript sources as ES modules (the noble packages ship ES modules only). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  testTimeout: 60_000,
  // One worker per core. Jest's default keeps a core for its main process, which only waits on the
  // workers; on a 2-core machine that meant one worker, and the suites that wait in real time (the
  // oracle as its own process, the HTTP fuzz run) held up everything behind them.
  maxWorkers: '100%',
};
