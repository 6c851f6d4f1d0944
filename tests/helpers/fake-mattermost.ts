/**
 * A local Mattermost server for tests, speaking REST API v4's wire format: JSON bodies,
 * `Authorization: Bearer <personal access token>`, 26-character ids, errors as
 * `{ id, message, detailed_error, request_id, status_code }` with the HTTP status, and
 * post lists as `{ order, posts }`. Implemented: `GET /api/v4/users/me`,
 * `GET /api/v4/users/{id}` (email hidden unless `showEmail`, as the privacy setting),
 * `GET /api/v4/channels/{id}` (403 for a channel the token's user is not in),
 * `POST /api/v4/posts` (`root_id` must be a root of the same channel, `props` kept),
 * `GET /api/v4/posts/{id}`, `GET /api/v4/posts/{id}/thread`,
 * `GET /api/v4/channels/{id}/posts?page&per_page` (newest first).
 * Outgoing webhooks: `addOutgoingHook` registers one for a channel (callback URL, token,
 * form or JSON); every post in that channel — a person's (`userPosts`) or the bot's own —
 * is sent to it with Mattermost's fields (token, team_id, team_domain, channel_id,
 * channel_name, timestamp, user_id, user_name, post_id, text, trigger_word, file_ids).
 * Every API call is recorded; `failNext(route, n, status)` scripts failures; `afterPost`
 * runs after a post is stored and before the answer (to kill a worker mid-delivery).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MattermostPost {
  id: string;
  create_at: number;
  update_at: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
}

export interface MattermostUser {
  id: string;
  username: string;
  email: string;
  is_bot?: boolean;
}

export interface MattermostChannel {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  members: Set<string>;
}

export interface OutgoingHook {
  channelId: string;
  token: string;
  callbackUrl: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
}

export interface ApiCall {
  method: string;
  path: string;
  token: string | undefined;
  body: unknown;
}

export interface HookDelivery {
  hook: OutgoingHook;
  postId: string;
  status: number;
  body: string;
}

export interface FakeMattermost {
  url: string;
  team: { id: string; name: string };
  bot: MattermostUser;
  /** The bot's personal access token. */
  botToken: string;
  channel: MattermostChannel;
  users: Map<string, MattermostUser>;
  channels: Map<string, MattermostChannel>;
  readonly posts: MattermostPost[];
  readonly calls: ApiCall[];
  readonly hookDeliveries: HookDelivery[];
  /** As Mattermost's "Show Email Address" privacy setting (default on). */
  showEmail: boolean;
  newId(): string;
  addUser(user: Partial<MattermostUser> & { email: string }): MattermostUser;
  /** A channel of the team with the bot (and every user added later) in it. */
  addChannel(name: string): MattermostChannel;
  addOutgoingHook(hook: Omit<OutgoingHook, 'contentType'> & { contentType?: OutgoingHook['contentType'] }): OutgoingHook;
  /** A person posts (a reply when `rootId`); the channel's outgoing hooks are called; resolves when they answered. */
  userPosts(userId: string, channelId: string, message: string, rootId?: string): Promise<MattermostPost>;
  /** `route` is `METHOD /api/v4/...` with `{id}` for ids, e.g. `POST /api/v4/posts`. */
  failNext(route: string, count: number, status: number): void;
  afterPost: ((post: MattermostPost) => Promise<void>) | undefined;
  waitForPost(pred: (p: MattermostPost) => boolean, timeoutMs?: number): Promise<MattermostPost>;
  close(): Promise<void>;
}

const ID_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

function newId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % 32];
  return id;
}

function routeKey(method: string, path: string): string {
  return `${method} ${path.replace(/\/[a-z0-9]{26}(?=\/|$)/g, '/{id}')}`;
}

export async function startFakeMattermost(): Promise<FakeMattermost> {
  const calls: ApiCall[] = [];
  const posts: MattermostPost[] = [];
  const hooks: OutgoingHook[] = [];
  const hookDeliveries: HookDelivery[] = [];
  const scripts = new Map<string, number[]>();
  const waiters: Array<() => void> = [];
  const tokens = new Map<string, string>();
  const users = new Map<string, MattermostUser>();
  const channels = new Map<string, MattermostChannel>();
  const team = { id: newId(), name: 'netia-test' };
  const bot: MattermostUser = { id: newId(), username: 'netia-bot', email: 'netia-bot@localhost', is_bot: true };
  users.set(bot.id, bot);
  const botToken = newId();
  tokens.set(botToken, bot.id);
  const channel: MattermostChannel = {
    id: newId(),
    team_id: team.id,
    name: 'support',
    display_name: 'Support',
    members: new Set([bot.id]),
  };
  channels.set(channel.id, channel);
  let clock = 1_700_000_000_000;

  function notify(): void {
    for (const w of waiters.splice(0)) w();
  }

  function storePost(p: Omit<MattermostPost, 'id' | 'create_at' | 'update_at' | 'type'> & { type?: string }): MattermostPost {
    const at = ++clock;
    const post: MattermostPost = { id: newId(), create_at: at, update_at: at, type: '', ...p };
    posts.push(post);
    notify();
    return post;
  }

  async function fireHooks(post: MattermostPost): Promise<void> {
    const ch = channels.get(post.channel_id);
    const user = users.get(post.user_id);
    for (const hook of hooks.filter((h) => h.channelId === post.channel_id)) {
      const fields: Record<string, string> = {
        token: hook.token,
        team_id: ch?.team_id ?? '',
        team_domain: team.name,
        channel_id: post.channel_id,
        channel_name: ch?.name ?? '',
        timestamp: String(post.create_at),
        user_id: post.user_id,
        user_name: user?.username ?? '',
        post_id: post.id,
        text: post.message,
        trigger_word: '',
        file_ids: '',
      };
      const body = hook.contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
      try {
        const res = await fetch(hook.callbackUrl, { method: 'POST', headers: { 'content-type': hook.contentType }, body });
        hookDeliveries.push({ hook, postId: post.id, status: res.status, body: await res.text() });
      } catch (err) {
        hookDeliveries.push({ hook, postId: post.id, status: 0, body: String(err) });
      }
    }
  }

  const fake: FakeMattermost = {
    url: '',
    team,
    bot,
    botToken,
    channel,
    users,
    channels,
    posts,
    calls,
    hookDeliveries,
    showEmail: true,
    newId,
    addUser(u) {
      const user: MattermostUser = { id: u.id ?? newId(), username: u.username ?? u.email.split('@')[0]!, email: u.email, is_bot: false };
      users.set(user.id, user);
      for (const ch of channels.values()) ch.members.add(user.id);
      return user;
    },
    addChannel(name) {
      const ch: MattermostChannel = {
        id: newId(),
        team_id: team.id,
        name,
        display_name: name,
        members: new Set([bot.id, ...users.keys()]),
      };
      channels.set(ch.id, ch);
      return ch;
    },
    addOutgoingHook(h) {
      const hook: OutgoingHook = { contentType: 'application/x-www-form-urlencoded', ...h };
      hooks.push(hook);
      return hook;
    },
    async userPosts(userId, channelId, message, rootId) {
      const post = storePost({ user_id: userId, channel_id: channelId, root_id: rootId ?? '', message, props: {} });
      await fireHooks(post);
      return post;
    },
    failNext(route, count, status) {
      const list = scripts.get(route) ?? [];
      for (let i = 0; i < count; i++) list.push(status);
      scripts.set(route, list);
    },
    afterPost: undefined,
    waitForPost(pred, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake Mattermost: no matching post after ${timeoutMs} ms`)), timeoutMs);
        const watch = (): void => {
          const found = posts.find(pred);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(watch);
        };
        watch();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function error(res: ServerResponse, status: number, id: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, message, detailed_error: '', request_id: newId(), status_code: status }));
  }

  function json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function postList(list: MattermostPost[]): { order: string[]; posts: Record<string, MattermostPost> } {
    return { order: list.map((p) => p.id), posts: Object.fromEntries(list.map((p) => [p.id, p])) };
  }

  function canRead(userId: string, channelId: string): boolean {
    return channels.get(channelId)?.members.has(userId) ?? false;
  }

  async function route(req: IncomingMessage, res: ServerResponse, userId: string, url: URL, body: unknown): Promise<void> {
    const path = url.pathname;
    const m = (re: RegExp): RegExpMatchArray | null => path.match(re);
    let match: RegExpMatchArray | null;
    if (req.method === 'GET' && path === '/api/v4/users/me') return json(res, 200, users.get(userId));
    if (req.method === 'GET' && (match = m(/^\/api\/v4\/users\/([a-z0-9]{26})$/))) {
      const user = users.get(match[1]!);
      if (!user)
        return error(res, 404, 'app.user.missing_account.const', 'We couldn’t find an existing account matching your credentials.');
      return json(res, 200, { ...user, email: fake.showEmail ? user.email : '' });
    }
    if (req.method === 'GET' && (match = m(/^\/api\/v4\/channels\/([a-z0-9]{26})$/))) {
      const ch = channels.get(match[1]!);
      if (!ch) return error(res, 404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
      if (!canRead(userId, ch.id))
        return error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      return json(res, 200, { id: ch.id, team_id: ch.team_id, name: ch.name, display_name: ch.display_name, type: 'O' });
    }
    if (req.method === 'GET' && (match = m(/^\/api\/v4\/channels\/([a-z0-9]{26})\/posts$/))) {
      const channelId = match[1]!;
      if (!canRead(userId, channelId))
        return error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const page = Number(url.searchParams.get('page') ?? 0);
      const perPage = Math.min(200, Number(url.searchParams.get('per_page') ?? 60));
      const list = posts
        .filter((p) => p.channel_id === channelId)
        .reverse()
        .slice(page * perPage, (page + 1) * perPage);
      return json(res, 200, postList(list));
    }
    if (req.method === 'GET' && (match = m(/^\/api\/v4\/posts\/([a-z0-9]{26})(\/thread)?$/))) {
      const post = posts.find((p) => p.id === match![1]);
      if (!post) return error(res, 404, 'app.post.get.app_error', 'Unable to get the post.');
      if (!canRead(userId, post.channel_id))
        return error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      if (!match[2]) return json(res, 200, post);
      const rootId = post.root_id || post.id;
      return json(res, 200, postList(posts.filter((p) => p.id === rootId || p.root_id === rootId)));
    }
    if (req.method === 'POST' && path === '/api/v4/posts') {
      const b = (body ?? {}) as { channel_id?: unknown; message?: unknown; root_id?: unknown; props?: unknown };
      if (typeof b.channel_id !== 'string' || typeof b.message !== 'string') {
        return error(res, 400, 'api.context.invalid_body_param.app_error', 'Invalid or missing post in request body.');
      }
      if (!canRead(userId, b.channel_id))
        return error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const rootId = typeof b.root_id === 'string' ? b.root_id : '';
      if (rootId !== '') {
        const root = posts.find((p) => p.id === rootId);
        if (!root || root.channel_id !== b.channel_id || root.root_id !== '') {
          return error(res, 400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
        }
      }
      const props = b.props !== null && typeof b.props === 'object' ? (b.props as Record<string, unknown>) : {};
      const post = storePost({ user_id: userId, channel_id: b.channel_id, root_id: rootId, message: b.message, props });
      if (fake.afterPost) await fake.afterPost(post); // a rejection drops the connection (below)
      json(res, 201, post);
      // Mattermost fires the channel's outgoing webhooks for the bot's posts too; Netia must ignore them.
      void fireHooks(post);
      return;
    }
    return error(res, 404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return error(res, 400, 'api.context.invalid_body_param.app_error', 'Invalid JSON.');
      }
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search, token, body });
      const status = scripts.get(routeKey(req.method ?? 'GET', url.pathname))?.shift();
      if (status !== undefined) return error(res, status, 'fake.scripted_failure', 'scripted failure');
      const userId = token ? tokens.get(token) : undefined;
      if (!userId) return error(res, 401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
      try {
        await route(req, res, userId, url, body);
      } catch {
        res.destroy();
      }
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
