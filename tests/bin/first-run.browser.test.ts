/**
 * The first five minutes, as the README's Quick start tells them: a fresh clone
 * (no ui/dist, no widget/dist, no .netia/), `npm start` in it and nothing else.
 * It builds the console and the widget (saying so, with the time taken), brings
 * up embedded PostgreSQL and a Temporal dev server with a persistent SQLite
 * file, migrations, the demo account (credentials printed once), worker and
 * gateway. In Chromium: the printed console URL, logged in with the printed
 * demo credentials; the printed demo page with the widget; a visitor message
 * from the widget answered from the console, the answer showing in the widget.
 * Ctrl-C (SIGINT to the process group, as a terminal sends it) stops every
 * child and prints no error. A restart builds nothing, keeps the data, reuses
 * its generated key (a share link signed before still opens) and creates
 * nothing twice. `npm run dev` serves the console from Vite's dev server.
 *
 * This is the suite's only `npm start`: one clone, one build (a few seconds).
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { findFreePort } from '../../infra/ports.js';
import { api } from '../helpers/api.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { launchChromium, openConsole, shot } from '../ui/browser.js';
import { typeAndSend } from '../widget/chat-frame.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface Started {
  output: () => string;
  /** Output printed after Ctrl-C was sent. */
  outputAfterStop: () => string;
  ready: Promise<number>;
  stop: () => Promise<number | null>;
}

/** `npm start` in `cwd`, in its own process group (a terminal's job), output collected. */
function npmStart(cwd: string, env: Record<string, string>, script: 'start' | 'dev' = 'start'): Started {
  const started = Date.now();
  const child = spawn('npm', script === 'start' ? ['start'] : ['run', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let stopAt = -1;
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (out.includes('Press Ctrl-C to stop.')) resolve(Date.now() - started);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited early (${code}):\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stopping: Promise<number | null> | undefined;
  return {
    output: () => out,
    outputAfterStop: () => (stopAt < 0 ? '' : out.slice(stopAt)),
    ready: withTimeout(ready, 240_000, 'npm start ready'),
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        stopAt = out.length;
        // Ctrl-C in a terminal: SIGINT to the whole foreground process group (npm, sh, node).
        process.kill(-child.pid!, 'SIGINT');
        return withTimeout(exited, 30_000, 'npm start to stop after Ctrl-C');
      })();
      return stopping;
    },
  };
}

/** Command lines of running processes that mention `needle` (the clone's path). */
async function processesMentioning(needle: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

function field(out: string, re: RegExp, what: string): string {
  const value = re.exec(out)?.[1];
  if (!value) throw new Error(`npm start did not print ${what}:\n${out}`);
  return value;
}

test('a fresh clone: npm start builds and serves the console and the widget, a widget message is answered from the console, Ctrl-C is clean, a restart keeps everything', async (t) => {
  t.timeout(600_000);
  const clone = await mkdtemp(path.join(tmpdir(), 'netia-first-run-'));
  // The embedded PostgreSQL runs as the `postgres` user when we are root: it must reach the data folder.
  await chmod(clone, 0o755);
  const running: Started[] = [];
  const browser = await launchChromium();
  try {
    // Exactly what a user gets from `git clone`: the committed tree, nothing built, no data.
    const { stdout: head } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
    await run('git', ['clone', '--quiet', '--no-checkout', root, clone]);
    await run('git', ['checkout', '--quiet', head.trim()], { cwd: clone });
    for (const built of ['ui/dist', 'widget/dist', '.netia']) {
      t.false(
        await stat(path.join(clone, built)).then(
          () => true,
          () => false,
        ),
        `${built} is not in a fresh clone`,
      );
    }
    // `npm ci` stands for this (the suite must not reinstall): the same packages.
    await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));

    const [port, pgPort, temporalPort, uiPort] = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
    const env = {
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
    };
    const first = npmStart(clone, env);
    running.push(first);
    const readyMs = await first.ready;
    const out = first.output();
    t.log(`fresh clone: ready in ${(readyMs / 1000).toFixed(1)} s (builds, initdb, migrations included)`);
    const builds = [...out.matchAll(/built (the agent console \(ui\/dist\)|the widget \(widget\/dist\)) in (\d+\.\d) s/g)].map(
      (m) => `${m[1]} ${m[2]} s`,
    );
    t.log(`built: ${builds.join(', ')}`);
    t.regex(out, /building the agent console \(ui\/dist\): ui\/dist is missing/, 'says what it builds and why');
    t.regex(out, /built the agent console \(ui\/dist\) in \d+\.\d s/, 'and how long it took');
    t.regex(out, /built the widget \(widget\/dist\) in \d+\.\d s/);
    t.regex(out, /Mode:\s+development/, 'npm start says it runs in development mode');
    t.regex(out, /Secret key:\s+generated /);
    t.regex(out, new RegExp(`Temporal UI:\\s+http://127\\.0\\.0\\.1:${uiPort}`));

    const consoleUrl = field(out, /Console:\s+(http:\/\/\S+)/, 'the console URL');
    const demoUrl = field(out, /Demo page:\s+(http:\/\/\S+)/, 'the demo page URL');
    const email = field(out, /Demo account: (\S+@\S+)/, 'the demo account');
    const password = field(out, /Demo password: (\S+)\s+<- shown once/, 'the demo password');
    t.is(consoleUrl, `http://127.0.0.1:${port}/`);
    t.regex(demoUrl, /\/demo\?account_id=[0-9a-f-]{36}$/);
    for (const p of ['/', '/widget.js', '/chat', '/api/ping']) {
      t.is((await fetch(new URL(p, consoleUrl))).status, 200, `${p} answers 200 on a fresh clone`);
    }

    // The agent: the printed console URL, the printed credentials.
    const agent = await openConsole(browser, consoleUrl);
    await agent.page.goto(consoleUrl);
    await agent.page.getByRole('heading', { name: 'Log in to your inbox' }).waitFor();
    await agent.page.getByLabel('Email').fill(email);
    await agent.page.getByLabel('Password').fill(password);
    await agent.page.getByRole('button', { name: 'Log in' }).click();
    await agent.page.waitForURL('**/inbox/**');

    // The visitor: the printed demo page, the widget on it.
    const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const visitor = await visitorContext.newPage();
    const visitorErrors: string[] = [];
    visitor.on('pageerror', (e) => visitorErrors.push(e.message));
    await visitor.goto(demoUrl);
    await visitor.getByRole('button', { name: /^Open chat/ }).click();
    const chat = visitor.frameLocator('netia-chat-widget iframe');
    const input = chat.getByRole('textbox', { name: 'Message' });
    await typeAndSend(input, 'Hi! Is anyone there? I just installed Netia.');
    await chat.getByRole('log').getByText('I just installed Netia').waitFor();

    // It arrives live in the console; the agent opens it and answers.
    const row = agent.page.locator('.conv-row').filter({ hasText: 'I just installed Netia' });
    try {
      await row.waitFor({ timeout: 60_000 });
    } catch (err) {
      const dir = await mkdtemp(path.join(tmpdir(), 'netia-first-run-failure-'));
      await agent.page.screenshot({ path: path.join(dir, 'console.png') });
      await visitor.screenshot({ path: path.join(dir, 'widget.png') });
      t.log(`screenshots in ${dir}; console errors: ${agent.errors.join(' | ')}; demo page errors: ${visitorErrors.join(' | ')}`);
      throw err;
    }
    await row.click();
    const reply = agent.page.getByLabel('Reply to the customer');
    await reply.fill('Welcome! Yes, we are here: this answer comes from the console.');
    await reply.press('Enter');
    await agent.page.getByTestId('messages').getByText('this answer comes from the console').waitFor();

    // The answer shows in the widget.
    await chat.getByText('Welcome! Yes, we are here: this answer comes from the console.').waitFor({ timeout: 60_000 });
    await agent.page.screenshot({ path: shot('first-run-console') });
    await visitor.screenshot({ path: shot('first-run-widget') });
    t.deepEqual(agent.errors, [], 'no uncaught errors in the console');
    t.deepEqual(visitorErrors, [], 'no uncaught errors on the demo page');
    await agent.context.close();
    await visitorContext.close();

    // Share link signed now, checked after the restart (the generated key must be reused).
    const http = api(consoleUrl.replace(/\/$/, ''));
    const login = await http.post('/api/session', { user: { email, password } });
    t.is(login.status, 200);
    const accountId = login.body.data.account_id as string;
    const list = await http.get('/api/conversations?status=open', login.body.data.token);
    const conversationId = (list.body.data as Array<{ id: string }>)[0]?.id;
    t.truthy(conversationId, 'the widget conversation is listed');
    const share = await http.post(`/api/conversations/${conversationId}/share`, undefined, login.body.data.token);
    t.is(share.status, 200);
    const sharedPath = `/api/conversations/shared?conversation_id=${conversationId}&token=${encodeURIComponent(share.body.data.token)}`;
    t.is((await http.get(sharedPath)).status, 200);
    const secretFile = path.join(clone, '.netia', 'secret_key_base');
    t.is((await stat(secretFile)).mode & 0o777, 0o600, 'the generated key is readable by its owner only');
    const secret = await readFile(secretFile, 'utf8');
    t.true(secret.trim().length >= 64);

    // Ctrl-C: everything it started stops, and nothing it prints looks like a failure.
    t.true(
      (await processesMentioning(clone)).some((l) => /temporal/.test(l)),
      'the Temporal dev server runs from the clone',
    );
    await first.stop();
    const afterStop = first.outputAfterStop();
    t.regex(afterStop, /stopped/);
    t.notRegex(afterStop, /fail|error|warn|Unhandled|DRAINING/i, `Ctrl-C printed nothing alarming:\n${afterStop}`);
    t.deepEqual(await processesMentioning(clone), [], 'no process of the clone is left after Ctrl-C');

    // A restart: nothing to build, the same key, the same data, the demo account not created again.
    const second = npmStart(clone, env);
    running.push(second);
    const secondMs = await second.ready;
    t.log(`restart: ready in ${(secondMs / 1000).toFixed(1)} s`);
    const out2 = second.output();
    t.notRegex(out2, /building /, 'up-to-date assets are not rebuilt');
    t.notRegex(out2, /<- shown once/, 'the demo account is not created twice');
    t.regex(out2, /Secret key:\s+reused /);
    t.is(await readFile(secretFile, 'utf8'), secret, 'the key is generated once and reused');
    t.is((await http.get(sharedPath)).status, 200, 'a link signed before the restart still verifies (same key)');
    const login2 = await http.post('/api/session', { user: { email, password } });
    t.is(login2.status, 200);
    t.is(login2.body.data.account_id, accountId);
    const read = await http.get(`/api/conversations/${conversationId}`, login2.body.data.token);
    t.is(read.status, 200);
    t.deepEqual(
      read.body.data.messages.map((m: { body: string }) => m.body),
      ['Hi! Is anyone there? I just installed Netia.', 'Welcome! Yes, we are here: this answer comes from the console.'],
    );
    // The conversation's workflow survived the restart (persistent Temporal SQLite file): it takes new messages.
    const customer = await http.post('/api/customers', { customer: { account_id: accountId } });
    const after = await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customer.body.data.id },
      message: { body: 'after restart' },
    });
    t.is(after.status, 201);
    await second.stop();
    t.notRegex(second.outputAfterStop(), /fail|error|warn|Unhandled|DRAINING/i);

    // `npm run dev`: the same stack, the console from Vite's dev server (live reload), its API proxied.
    const dev = npmStart(clone, env, 'dev');
    running.push(dev);
    await dev.ready;
    const devUrl = field(dev.output(), /Console:\s+(http:\/\/\S+) \(Vite dev server/, 'the dev server URL');
    const devPage = await (await fetch(devUrl)).text();
    t.regex(devPage, /\/@vite\/client/, "the console is served with Vite's live-reload client");
    const proxied = await fetch(new URL('/api/ping', devUrl));
    t.is(proxied.status, 200, '/api goes through to the gateway');
    await dev.stop();
    t.notRegex(dev.outputAfterStop(), /fail|error|warn|Unhandled|DRAINING/i);
    t.deepEqual(await processesMentioning(clone), [], 'no process of the clone is left after Ctrl-C');
  } finally {
    // A failed assertion must not leave `npm start` (and its Temporal and PostgreSQL) running.
    await Promise.allSettled(running.map((r) => r.stop()));
    await browser.close();
    await rm(clone, { recursive: true, force: true });
  }
});
