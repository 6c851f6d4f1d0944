/**
 * Configuration is parsed once, fails fast naming the bad key, and never
 * prints secrets.
 */
import { inspect } from 'node:util';
import test from 'ava';
import { ConfigError, loadConfig, publicBaseUrl } from '../../services/config/index.js';
import { loadTemporalSettings } from '../../temporal.config.js';

const SECRET = 'a-development-secret-key-base-0123456789abcdef';

test('defaults give a working development configuration once development is said explicitly', (t) => {
  const c = loadConfig({ NODE_ENV: 'development', SECRET_KEY_BASE: SECRET });
  t.is(c.http.port, 4000);
  t.is(c.env, 'development');
  t.is(c.database.url, undefined);
  t.is(c.redisUrl, undefined);
  t.true(c.demoSeed);
  t.true(Object.isFrozen(c));
  t.is(publicBaseUrl(c), 'http://127.0.0.1:4000', 'links use the listen address without PUBLIC_URL');
  t.is(
    publicBaseUrl(loadConfig({ NODE_ENV: 'development', SECRET_KEY_BASE: SECRET, HOST: '0.0.0.0', PORT: '4100' })),
    'http://localhost:4100',
  );
});

test('an unset NODE_ENV is production: secrets and PUBLIC_URL are required', (t) => {
  t.is(t.throws(() => loadConfig({}), { instanceOf: ConfigError })?.key, 'SECRET_KEY_BASE');
  t.is(t.throws(() => loadConfig({ NODE_ENV: '' }), { instanceOf: ConfigError })?.key, 'SECRET_KEY_BASE');
  t.is(t.throws(() => loadConfig({ SECRET_KEY_BASE: SECRET }), { instanceOf: ConfigError })?.key, 'PUBLIC_URL');
  const c = loadConfig({ SECRET_KEY_BASE: SECRET, PUBLIC_URL: 'https://support.example.com/' });
  t.is(c.env, 'production');
  t.false(c.demoSeed);
  t.is(publicBaseUrl(c), 'https://support.example.com');
});

test('an explicit development run also needs SECRET_KEY_BASE (npm start generates one); tests may go without', (t) => {
  t.is(t.throws(() => loadConfig({ NODE_ENV: 'development' }), { instanceOf: ConfigError })?.key, 'SECRET_KEY_BASE');
  t.is(loadConfig({ NODE_ENV: 'test' }).secretKeyBase, undefined);
});

test('an invalid value fails fast and names its key', (t) => {
  const err = t.throws(() => loadConfig({ PORT: 'eighty' }), { instanceOf: ConfigError });
  t.is(err?.key, 'PORT');
  t.regex(err?.message ?? '', /PORT/);
  t.is(t.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), { instanceOf: ConfigError })?.key, 'DATABASE_URL');
});

test('production requires SECRET_KEY_BASE and PUBLIC_URL', (t) => {
  const err = t.throws(() => loadConfig({ NODE_ENV: 'production' }), { instanceOf: ConfigError });
  t.is(err?.key, 'SECRET_KEY_BASE');
  const noUrl = t.throws(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY_BASE: SECRET }), { instanceOf: ConfigError });
  t.is(noUrl?.key, 'PUBLIC_URL');
  t.regex(noUrl?.message ?? '', /PUBLIC_URL/);
});

test('empty strings count as unset', (t) => {
  t.is(loadConfig({ NODE_ENV: 'test', REDIS_URL: '' }).redisUrl, undefined);
});

test('secrets never appear in logs, JSON or inspection, and a bad secret is not echoed', (t) => {
  const secret = 'super-secret-value-that-is-long-enough-123';
  const c = loadConfig({ NODE_ENV: 'development', SECRET_KEY_BASE: secret });
  t.false(JSON.stringify(c).includes(secret));
  t.false(inspect(c, { depth: 10 }).includes(secret));
  t.false(String(c.secretKeyBase).includes(secret));
  t.is(c.secretKeyBase?.reveal(), secret);
  const err = t.throws(() => loadConfig({ NODE_ENV: 'development', SECRET_KEY_BASE: 'short-secret' }));
  t.false(err?.message.includes('short-secret'));

  const temporal = loadTemporalSettings({ TEMPORAL_API_KEY: 'tmprl-api-key-xyz' });
  t.false(JSON.stringify(temporal).includes('tmprl-api-key-xyz'));
  t.false(inspect(temporal, { depth: 10 }).includes('tmprl-api-key-xyz'));
  t.truthy(temporal.tls, 'an API key implies TLS');
});

test('temporal settings carry the timer defaults and validate them', (t) => {
  const s = loadTemporalSettings({ CONVERSATION_REMINDER_MS: '5000', TEMPORAL_TASK_QUEUE: 'blue' });
  t.is(s.conversation.reminderAfterMs, 5000);
  t.is(s.conversation.archiveAfterMs, 14 * 24 * 3600 * 1000);
  t.is(s.taskQueue, 'blue');
  t.is(s.worker.stickyScheduleToStartMs, 3000, 'a dead worker holds its conversations 3 s, not the SDK default 10 s');
  t.is(loadTemporalSettings({ TEMPORAL_STICKY_TIMEOUT_MS: '1500' }).worker.stickyScheduleToStartMs, 1500);
  t.is(s.worker.workflowThreads, 2);
  t.throws(() => loadTemporalSettings({ TEMPORAL_WORKFLOW_THREADS: '0' }), { message: /TEMPORAL_WORKFLOW_THREADS/ });
  t.throws(() => loadTemporalSettings({ TEMPORAL_STICKY_TIMEOUT_MS: '0' }), { message: /TEMPORAL_STICKY_TIMEOUT_MS/ });
  t.throws(() => loadTemporalSettings({ CONVERSATION_REMINDER_MS: '-1' }), { message: /CONVERSATION_REMINDER_MS/ });
});

test('session-replay writes take a bounded share of the pool: defaults, overrides, and a bad value names its key', (t) => {
  t.deepEqual(loadConfig({ NODE_ENV: 'test' }).replayWrites, {
    concurrency: 2,
    lingerMs: 25,
    maxQueued: 2000,
    maxQueuedBytes: 64 * 1024 * 1024,
  });
  t.deepEqual(
    loadConfig({ NODE_ENV: 'test', REPLAY_WRITE_CONCURRENCY: '1', REPLAY_WRITE_LINGER_MS: '0', REPLAY_WRITE_QUEUE_MAX: '1' }).replayWrites,
    { concurrency: 1, lingerMs: 0, maxQueued: 1, maxQueuedBytes: 64 * 1024 * 1024 },
  );
  for (const [key, value] of [
    ['REPLAY_WRITE_CONCURRENCY', '0'],
    ['REPLAY_WRITE_LINGER_MS', '-1'],
    ['REPLAY_WRITE_QUEUE_MAX', 'many'],
    ['REPLAY_WRITE_QUEUE_MAX_BYTES', '10'],
  ] as const) {
    t.is(t.throws(() => loadConfig({ NODE_ENV: 'test', [key]: value }), { instanceOf: ConfigError })?.key, key);
  }
});
