// Tests run TypeScript through tsx in child processes (Temporal's native bridge
// does not like worker threads). `npm test` (tests/run.ts) starts the services
// first and passes their addresses in the environment.

// ava starts files in this order, two at a time: the longest first, so the two lanes finish together
// instead of one of them starting a 100-second file near the end. The rest keep their usual order.
// Measured wall times (npm test prints them), longest first; update when a file becomes one of the longest.
const LONGEST_FIRST = [
  'tests/ui/inbox.browser.test.ts',
  'tests/infra/production-faults.test.ts',
  'tests/ui/records.browser.test.ts',
  'tests/bin/first-run.browser.test.ts',
  'tests/gateway/routes.test.ts',
  'tests/ui/settings.browser.test.ts',
  'tests/workflows/ai.test.ts',
  'tests/workflows/automation.test.ts',
  'tests/workflows/lifecycle.test.ts',
  'tests/lint/layering.test.ts',
  'tests/integrations/gmail.test.ts',
  'tests/widget/widget.browser.test.ts',
];
const rank = (file) => {
  const i = LONGEST_FIRST.findIndex((f) => file.endsWith(f));
  return i === -1 ? LONGEST_FIRST.length : i;
};

export default {
  files: ['tests/**/*.test.ts'],
  extensions: { ts: 'module' },
  // tests/timing/hook.js records each file's wall time when `npm test` asks (NETIA_TEST_TIMINGS).
  nodeArguments: ['--import=tsx', '--import=./tests/timing/hook.js'],
  workerThreads: false,
  concurrency: 2,
  timeout: '3m',
  verbose: true,
  sortTestFiles: (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
};
