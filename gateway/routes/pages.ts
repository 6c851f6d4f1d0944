/**
 * @module gateway/routes/pages
 * HTML served outside `/api`: the agent console (ui/, built by `npm run
 * build:ui` into ui/dist) for `/` and its app routes (`/inbox/*`, `/login`,
 * `/settings/*`, …), its hashed assets under `/assets/` with year-long
 * immutable caching, and the demo page with the widget snippet. When the
 * console is not built the app routes say so plainly (503) instead of a bare 404.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayContext } from '../context.js';
import type { Request, Response } from '../http/router.js';

/** Where `vite build --config ui/vite.config.ts` writes the console. */
export const UI_DIST = path.resolve(import.meta.dirname, '..', '..', 'ui', 'dist');

/** Client-side routes of the console: each answers with index.html. */
const APP_ROUTE =
  /^\/(?:|inbox|inbox\/.*|inboxes\/.*|login|signup|register\/[^/]+|forgot-password|reset|verify-email|dev\/mailbox|dev\/mailbox\/[^/]+|settings|settings\/.*|reporting|search|conversations\/[^/]+)\/?$/;
/** The customers, companies and issues screens (a list, or one record by id). */
const PEOPLE_ROUTE = /^\/(?:customers|companies|issues|visitors)(?:\/[^/]+)?\/?$/;
/** The PWA's unhashed files at the console's root (ui/public, and sw.js built by ui/vite.config.ts): name → content type. */
const ROOT_FILES: Readonly<Record<string, string>> = {
  '/sw.js': 'text/javascript; charset=utf-8',
  '/manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  '/icon.svg': 'image/svg+xml',
  '/icon-192.png': 'image/png',
  '/icon-512.png': 'image/png',
};
/** Hashed build outputs only: no dot segments, no slashes. */
const ASSET = /^\/assets\/([A-Za-z0-9_.-]+\.(js|css|svg|png|woff2|ico|map))$/;

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  ico: 'image/x-icon',
  map: 'application/json; charset=utf-8',
};

/** The console talks only to its own origin (REST and socket); message content never runs as code. */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

function page(title: string, body: string, status = 200): Response {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    headers: { 'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'", ...SECURITY_HEADERS },
    raw: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
code,pre{background:#f6f8fa;border-radius:6px;padding:.2rem .4rem}pre{padding:1rem;overflow:auto}</style></head><body>${body}</body></html>`,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** index.html, re-read when the build changes (mtime), so a rebuild needs no restart. */
function createIndexCache(dist: string): () => Promise<Buffer | null> {
  let cached: { mtimeMs: number; body: Buffer } | undefined;
  return async () => {
    const file = path.join(dist, 'index.html');
    try {
      const info = await stat(file);
      if (!cached || cached.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, body: await readFile(file) };
      return cached.body;
    } catch {
      cached = undefined;
      return null;
    }
  };
}

export function pageFallback(ctx: GatewayContext, dist: string = UI_DIST): (req: Request) => Promise<Response | undefined> {
  const index = createIndexCache(dist);
  // Hashed file names never change content: keep them in memory once read.
  const assets = new Map<string, Buffer>();

  return async (req) => {
    const base = ctx.config.http.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
    const asset = ASSET.exec(req.path);
    if (asset) {
      const name = asset[1]!;
      let body = assets.get(name);
      if (!body) {
        body = await readFile(path.join(dist, 'assets', name)).catch(() => undefined);
        if (!body) return undefined;
        if (assets.size < 500) assets.set(name, body);
      }
      return {
        contentType: CONTENT_TYPES[asset[2]!] ?? 'application/octet-stream',
        headers: { 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS },
        raw: body,
      };
    }
    const rootType = Object.hasOwn(ROOT_FILES, req.path) ? ROOT_FILES[req.path] : undefined;
    if (rootType) {
      const body = await readFile(path.join(dist, req.path.slice(1))).catch(() => undefined);
      if (!body) return undefined;
      // Not hashed: revalidate every time, so a new service worker or manifest is picked up on the next load.
      return { contentType: rootType, headers: { 'cache-control': 'no-cache', ...SECURITY_HEADERS }, raw: body };
    }
    if (APP_ROUTE.test(req.path) || PEOPLE_ROUTE.test(req.path)) {
      const html = await index();
      if (!html) {
        return page(
          'Netia console not built',
          `<h1>The agent console is not built</h1><p>The API answers at <code>/api</code> and the real-time socket at <code>/socket/websocket</code>,
but the console's files are missing from <code>ui/dist</code>. Build them with:</p><pre>npm run build:ui</pre>
<p>During development, <code>npm run dev:ui</code> serves the console with live reload and proxies the API to this gateway.</p>
<p><a href="/demo">Demo page with the widget snippet</a></p>`,
          503,
        );
      }
      return {
        contentType: 'text/html; charset=utf-8',
        headers: { 'cache-control': 'no-cache', 'content-security-policy': CONSOLE_CSP, ...SECURITY_HEADERS },
        raw: html,
      };
    }
    if (req.path === '/demo') {
      const requested = req.query.get('account_id');
      const account = requested && /^[0-9a-f-]{36}$/i.test(requested) ? requested : undefined;
      const snippet = `<script src="${base}/widget.js" data-token="${account ?? 'ACCOUNT_ID'}" async></script>`;
      return page(
        'Netia demo page',
        `<h1>Demo page</h1><p>This page embeds the chat widget the way a website does. Paste this snippet into any page:</p>
<pre>${escapeHtml(snippet)}</pre>
${account ? `<p>The launcher in the corner of this page is the live widget for account <code>${account}</code>: chat with yourself from the console.</p><script src="/widget.js" data-token="${account}" async></script>` : '<p>Open this page with <code>?account_id=&lt;your account id&gt;</code> (as printed by <code>npm start</code>) to try the widget here.</p>'}`,
      );
    }
    return undefined;
  };
}
