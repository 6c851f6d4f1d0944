/**
 * @module gateway/routes/widget-pages
 * The embeddable widget's files (issue #6), served from `widget/dist` (built
 * by `npm run build:widget`):
 *   - `GET /widget.js`: the loader websites embed, from any origin (CORS `*`,
 *     short cache with an ETag, since its URL carries no version);
 *   - `GET /chat`: the iframe page. No X-Frame-Options (it exists to be
 *     framed); a strict CSP that allows scripts, styles and connections only to
 *     this origin, and frames only by the account's allowed origins when it has
 *     set any (else by any site, as the original did);
 *   - `GET /widget/assets/<file>`: the page's hashed scripts and styles
 *     (cached for a year).
 * Files are read on first use and again when they change on disk, and served
 * gzipped to clients that accept it.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { getAccount } from '../../services/accounts/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import type { Request, Response } from '../http/router.js';

/** A GET handler the router calls for paths no route matched; undefined passes to the next. */
export type Fallback = (req: Request) => Promise<Response | undefined>;

/** Try each fallback in turn; the first response wins. */
export function chainFallbacks(...fallbacks: Fallback[]): Fallback {
  return async (req) => {
    for (const fallback of fallbacks) {
      const response = await fallback(req);
      if (response) return response;
    }
    return undefined;
  };
}

/** Where `npm run build:widget` writes. */
export const WIDGET_DIST = path.resolve(import.meta.dirname, '../../widget/dist');

interface StaticFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const ASSET_NAME = /^[A-Za-z0-9_.-]+\.(?:js|css|svg|png|woff2)$/;

function chatCsp(host: string | undefined, frameAncestors: string): string {
  const socket = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${socket}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

export function widgetPages(ctx: GatewayContext, distDir: string = WIDGET_DIST): Fallback {
  const cache = new Map<string, StaticFile>();

  async function load(file: string): Promise<StaticFile | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    const body = await readFile(file);
    const entry: StaticFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    };
    cache.set(file, entry);
    return entry;
  }

  function send(req: Request, file: StaticFile, contentType: string, headers: Record<string, string>): Response {
    const common = { ...headers, etag: file.etag, vary: 'Accept-Encoding', 'x-content-type-options': 'nosniff' };
    const etags = (req.headers['if-none-match'] ?? '').split(',').map((s) => s.trim());
    if (etags.includes(file.etag)) return { status: 304, raw: '', headers: common };
    const isGzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    return {
      status: 200,
      contentType,
      raw: isGzip ? file.gzip : file.body,
      headers: isGzip ? { ...common, 'content-encoding': 'gzip' } : common,
    };
  }

  function notBuilt(contentType: string, text: string): Response {
    return { status: 503, contentType, raw: text, headers: { 'cache-control': 'no-store' } };
  }

  /** `frame-ancestors` for the account the page is for: its allowed origins, or any site when it set none. */
  async function frameAncestors(req: Request): Promise<string> {
    const accountId = req.query.get('token') ?? req.query.get('accountId');
    if (!isUuid(accountId)) return '*';
    const account = await getAccount(ctx.pool, accountId);
    const origins = account?.allowed_origins.filter((o) => /^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(o)) ?? [];
    return origins.length > 0 ? `'self' ${origins.join(' ')}` : '*';
  }

  return async (req) => {
    if (req.path === '/widget.js') {
      const file = await load(path.join(distDir, 'widget.js'));
      if (!file) return notBuilt(CONTENT_TYPES['.js']!, '// The Netia widget is not built yet: run `npm run build:widget`.\n');
      return send(req, file, CONTENT_TYPES['.js']!, {
        'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
    }
    if (req.path === '/chat' || req.path === '/chat/') {
      const file = await load(path.join(distDir, 'chat.html'));
      if (!file) return notBuilt(CONTENT_TYPES['.html']!, 'The Netia widget is not built yet: run npm run build:widget.');
      return send(req, file, CONTENT_TYPES['.html']!, {
        'cache-control': 'no-cache',
        'content-security-policy': chatCsp(req.headers.host, await frameAncestors(req)),
        'referrer-policy': 'strict-origin-when-cross-origin',
        'cross-origin-resource-policy': 'cross-origin',
      });
    }
    const asset = /^\/widget\/assets\/([^/]+)$/.exec(req.path)?.[1];
    if (asset !== undefined && ASSET_NAME.test(asset)) {
      const file = await load(path.join(distDir, 'assets', asset));
      if (!file) return undefined;
      return send(req, file, CONTENT_TYPES[path.extname(asset)] ?? 'application/octet-stream', {
        // Names carry a content hash: a new build gets new names.
        'cache-control': 'public, max-age=31536000, immutable',
      });
    }
    return undefined;
  };
}
