/**
 * A local Slack Web API for tests, speaking the real wire format: `POST
 * /api/<method>` with a form-encoded (or JSON) body and `Authorization: Bearer
 * <token>`, answered with JSON `{ ok: true, … }` or `{ ok: false, error }`
 * (HTTP 200, as Slack does), HTTP 5xx or 429 when scripted. Point the official
 * `@slack/web-api` client at `apiUrl` (SLACK_API_URL).
 * Implemented: oauth.v2.access, auth.test, auth.revoke, chat.postMessage (with
 * metadata, threads, blocks), chat.update, conversations.replies / history (metadata only with
 * `include_all_metadata`), conversations.list, conversations.info, users.info,
 * users.lookupByEmail, reactions.add (`already_reacted` the second time), and the
 * interactivity `response_url` (`POST /actions/<id>`, recorded in `responses`).
 * Every call is recorded; `failNext(method, n, failure)` scripts failures; the
 * `afterPost` hook runs after a post is stored and before the answer is sent
 * (to kill a worker mid-delivery). Unknown methods answer `unknown_method`.
 * Also signs Events API requests like Slack (`signEvent`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface PostedMessage {
  /** Workspace of the token it was posted with. */
  team: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  user: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Block Kit blocks, as last posted or updated (chat.update replaces them). */
  blocks?: Array<Record<string, unknown>>;
  /** Emoji names reacted on it, with the reacting (bot) user. */
  reactions?: Array<{ name: string; user: string }>;
}

/** A message Slack's `response_url` received (an ephemeral answer to a click). */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export type SlackFailure = { http: number } | { error: string };

export interface SlackUser {
  id: string;
  name: string;
  real_name?: string;
  email?: string;
}

export interface FakeSlack {
  apiUrl: string;
  /** Slack's consent page: approving at once, it redirects to `redirect_uri?code&state` (a code for `nextInstall`). */
  authorizeUrl: string;
  /** What the next approval on the consent page installs into. */
  nextInstall: { team?: { id: string; name: string }; channelId?: string; channelName?: string };
  readonly calls: SlackCall[];
  /** Every stored message, in order (roots and thread replies). */
  readonly posts: PostedMessage[];
  team: { id: string; name: string };
  botUserId: string;
  /** A code `oauth.v2.access` accepts once, for a workspace (default `team`; pass another per account) and the channel picked. */
  issueCode(opts?: { team?: { id: string; name: string }; channelId?: string; channelName?: string }): string;
  readonly tokens: Set<string>;
  /** Workspace of each issued token. */
  readonly tokenTeams: Map<string, string>;
  users: Map<string, SlackUser>;
  channels: Array<{ id: string; name: string; is_private?: boolean; is_member?: boolean; purpose?: string; topic?: string }>;
  /** A `response_url` for an interactivity payload (answers land in `responses`). */
  responseUrl(): string;
  readonly responses: ResponseUrlPost[];
  failNext(method: string, count: number, failure: SlackFailure): void;
  /** Runs after a post is stored, before its answer; a rejection drops the connection without answering. */
  afterPost: ((post: PostedMessage) => Promise<void>) | undefined;
  postsIn(channel: string, threadTs?: string): PostedMessage[];
  waitForPosts(n: number, timeoutMs?: number): Promise<PostedMessage[]>;
  /** Resolves once `pred` holds (checked after every stored change: post, update, reaction, response_url). */
  waitUntil(what: string, pred: () => boolean, timeoutMs?: number): Promise<void>;
  /** The first post of a workspace matching `pred`, once it exists. */
  waitForPost(team: string, pred: (p: PostedMessage) => boolean, timeoutMs?: number): Promise<PostedMessage>;
  close(): Promise<void>;
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<ts>:<body>`. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  contentType = 'application/json',
): Record<string, string> {
  const sig = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}`, 'content-type': contentType };
}

/** An interactivity request as Slack sends it: `payload=<JSON>` form-encoded, signed over that exact body. */
export function slackActionRequest(
  signingSecret: string,
  payload: unknown,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return { body, headers: signSlackRequest(signingSecret, body, timestamp, 'application/x-www-form-urlencoded') };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    // The SDK JSON-encodes objects (metadata, blocks) into form fields.
    out[k] = v.startsWith('{') || v.startsWith('[') ? safeJson(v) : v;
  }
  return out;
}

/** A string argument ('' when absent or not a string). */
function arg(args: Record<string, unknown>, key: string): string {
  const v = args[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const posts: PostedMessage[] = [];
  const tokens = new Set<string>();
  const tokenTeams = new Map<string, string>();
  const codes = new Map<string, { team?: { id: string; name: string }; channelId?: string; channelName?: string }>();
  const scripts = new Map<string, SlackFailure[]>();
  const waiters: Array<() => void> = [];
  const responses: ResponseUrlPost[] = [];
  let clock = 1_700_000_000;
  let seq = 0;

  const fake: FakeSlack = {
    apiUrl: '',
    authorizeUrl: '',
    nextInstall: {},
    calls,
    posts,
    team: { id: 'T0NETIA01', name: 'Netia Test' },
    botUserId: 'U0BOT0001',
    tokens,
    tokenTeams,
    users: new Map(),
    channels: [
      { id: 'C0SUPPORT1', name: 'support', is_member: true },
      { id: 'C0SHARED01', name: 'shared-customers', is_member: true },
    ],
    afterPost: undefined,
    responses,
    responseUrl() {
      return `${fake.apiUrl.replace(/\/api\/$/, '')}/actions/${randomBytes(6).toString('hex')}`;
    },
    issueCode(opts = {}) {
      const code = `code-${randomBytes(6).toString('hex')}`;
      codes.set(code, opts);
      return code;
    },
    failNext(method, count, failure) {
      const list = scripts.get(method) ?? [];
      for (let i = 0; i < count; i++) list.push(failure);
      scripts.set(method, list);
    },
    postsIn(channel, threadTs) {
      return posts.filter(
        (p) => p.channel === channel && (threadTs === undefined ? !p.thread_ts : p.thread_ts === threadTs || p.ts === threadTs),
      );
    },
    waitForPosts(n, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (posts.length >= n) {
            clearTimeout(timer);
            resolve(posts.slice(0, n));
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () => reject(new Error(`fake Slack: ${posts.length} posts after ${timeoutMs} ms, wanted ${n}`)),
          timeoutMs,
        );
        const watch = (): void => {
          if (!check()) waiters.push(watch);
        };
        watch();
      });
    },
    waitUntil(what, pred, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake Slack: still not ${what} after ${timeoutMs} ms`)), timeoutMs);
        const watch = (): void => {
          if (pred()) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(watch);
        };
        watch();
      });
    },
    waitForPost(team, pred, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = posts.find((p) => p.team === team && pred(p));
          if (found) {
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`fake Slack: no matching post in ${team} after ${timeoutMs} ms`)), timeoutMs);
        const watch = (): void => {
          if (!check()) waiters.push(watch);
        };
        watch();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function handle(method: string, token: string | undefined, args: Record<string, unknown>): Record<string, unknown> {
    if (method === 'oauth.v2.access') {
      const code = arg(args, 'code');
      const opts = codes.get(code);
      if (!opts) return { ok: false, error: 'invalid_code' };
      codes.delete(code);
      const access = `xoxb-${randomBytes(8).toString('hex')}`;
      tokens.add(access);
      tokenTeams.set(access, (opts.team ?? fake.team).id);
      return {
        ok: true,
        access_token: access,
        token_type: 'bot',
        scope: 'chat:write,channels:read,channels:history,users:read,users:read.email',
        bot_user_id: fake.botUserId,
        app_id: 'A0NETIA01',
        team: opts.team ?? fake.team,
        enterprise: null,
        authed_user: { id: 'U0ADMIN01' },
        ...(opts.channelId
          ? {
              incoming_webhook: {
                channel: `#${opts.channelName ?? 'support'}`,
                channel_id: opts.channelId,
                configuration_url: 'https://example.slack.com/services/B1',
                url: 'https://hooks.slack.com/services/T/B/x',
              },
            }
          : {}),
      };
    }
    if (!token || !tokens.has(token)) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, team: fake.team.name, team_id: fake.team.id, user_id: fake.botUserId, bot_id: 'B0BOT0001' };
      case 'auth.revoke':
        tokens.delete(token);
        return { ok: true, revoked: true };
      case 'chat.postMessage': {
        const channel = arg(args, 'channel');
        if (!fake.channels.some((c) => c.id === channel)) return { ok: false, error: 'channel_not_found' };
        const text = arg(args, 'text');
        if (!text) return { ok: false, error: 'no_text' };
        const ts = `${clock++}.${String(++seq).padStart(6, '0')}`;
        const post: PostedMessage = {
          team: tokenTeams.get(token) ?? fake.team.id,
          channel,
          ts,
          text,
          user: fake.botUserId,
          ...(args.thread_ts ? { thread_ts: arg(args, 'thread_ts') } : {}),
          ...(args.metadata && typeof args.metadata === 'object' ? { metadata: args.metadata as PostedMessage['metadata'] } : {}),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks as PostedMessage['blocks'] } : {}),
        };
        posts.push(post);
        for (const w of waiters.splice(0)) w();
        return { ok: true, channel, ts, message: { type: 'message', text, user: fake.botUserId, ts, bot_id: 'B0BOT0001' } };
      }
      case 'conversations.replies':
      case 'conversations.history': {
        const channel = arg(args, 'channel');
        const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === true;
        const list =
          method === 'conversations.replies'
            ? posts.filter((p) => p.channel === channel && (p.ts === args.ts || p.thread_ts === args.ts))
            : posts.filter((p) => p.channel === channel && !p.thread_ts).reverse();
        return {
          ok: true,
          has_more: false,
          messages: list.map((p) => ({
            type: 'message',
            user: p.user,
            text: p.text,
            ts: p.ts,
            ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}),
            ...(withMetadata && p.metadata ? { metadata: p.metadata } : {}),
          })),
        };
      }
      case 'chat.update': {
        // Only the bot's own messages can be edited by it (Slack: `cant_update_message`).
        const post = posts.find((p) => p.channel === arg(args, 'channel') && p.ts === arg(args, 'ts'));
        if (!post) return { ok: false, error: 'message_not_found' };
        if (post.user !== fake.botUserId) return { ok: false, error: 'cant_update_message' };
        if (!arg(args, 'text') && !Array.isArray(args.blocks)) return { ok: false, error: 'no_text' };
        if (args.text !== undefined) post.text = arg(args, 'text');
        if (Array.isArray(args.blocks)) post.blocks = args.blocks as PostedMessage['blocks'];
        for (const w of waiters.splice(0)) w();
        return {
          ok: true,
          channel: post.channel,
          ts: post.ts,
          text: post.text,
          message: { type: 'message', text: post.text, ts: post.ts },
        };
      }
      case 'reactions.add': {
        const post = posts.find((p) => p.channel === arg(args, 'channel') && p.ts === arg(args, 'timestamp'));
        if (!post) return { ok: false, error: 'message_not_found' };
        const name = arg(args, 'name');
        if (!name) return { ok: false, error: 'invalid_name' };
        post.reactions ??= [];
        if (post.reactions.some((r) => r.name === name && r.user === fake.botUserId)) return { ok: false, error: 'already_reacted' };
        post.reactions.push({ name, user: fake.botUserId });
        for (const w of waiters.splice(0)) w();
        return { ok: true };
      }
      case 'conversations.info': {
        const channel = fake.channels.find((c) => c.id === arg(args, 'channel'));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: channel.id,
            name: channel.name,
            is_channel: !channel.is_private,
            is_private: channel.is_private ?? false,
            is_member: channel.is_member ?? true,
            topic: { value: channel.topic ?? '', creator: '', last_set: 0 },
            purpose: { value: channel.purpose ?? '', creator: '', last_set: 0 },
          },
        };
      }
      case 'users.lookupByEmail': {
        const email = arg(args, 'email').toLowerCase();
        const user = [...fake.users.values()].find((u) => u.email?.toLowerCase() === email);
        if (!user) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: user.id, name: user.name, real_name: user.real_name ?? user.name, profile: { email: user.email } } };
      }
      case 'conversations.list':
        return {
          ok: true,
          channels: fake.channels.map((c) => ({ is_private: false, is_member: true, ...c })),
          response_metadata: { next_cursor: '' },
        };
      case 'users.info': {
        const user = fake.users.get(arg(args, 'user'));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            name: user.name,
            real_name: user.real_name ?? user.name,
            profile: { email: user.email, real_name: user.real_name ?? user.name },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') {
        // The admin approves on Slack's page: back to the app with a code and the state untouched.
        const back = new URL(url.searchParams.get('redirect_uri') ?? 'http://invalid/');
        back.searchParams.set('code', fake.issueCode(fake.nextInstall));
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        res.end();
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/actions/')) {
        // A `response_url`: Slack takes JSON and answers `ok` as plain text.
        const raw = await readBody(req);
        responses.push({ id: url.pathname.slice('/actions/'.length), body: safeJson(raw) as Record<string, unknown> });
        for (const w of waiters.splice(0)) w();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const body = await readBody(req);
      const args = parseArgs(body, String(req.headers['content-type'] ?? ''));
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
      calls.push({ method, token, args });
      const script = scripts.get(method);
      const failure = script?.shift();
      if (failure) {
        if ('http' in failure) {
          res.writeHead(failure.http, { 'content-type': 'text/plain', ...(failure.http === 429 ? { 'retry-after': '1' } : {}) });
          res.end('failure');
        } else answer(res, 200, { ok: false, error: failure.error });
        return;
      }
      const result = handle(method, token, args);
      if (method === 'chat.postMessage' && result.ok && fake.afterPost) {
        try {
          await fake.afterPost(posts[posts.length - 1]!);
        } catch {
          res.destroy();
          return;
        }
      }
      answer(res, 200, result);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  fake.authorizeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/v2/authorize`;
  return fake;
}
