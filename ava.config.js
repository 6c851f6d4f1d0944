// Tests run TypeScript through tsx in child processes (Temporal's native bridge
// does not like worker threads). `npm test` (tests/run.ts) starts the services
// first and passes their addresses in the environment.
export default {
  files: ['tests/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 2,
  timeout: '3m',
  verbose: true,
};
