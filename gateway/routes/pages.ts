/**
 * @module gateway/routes/pages
 * HTML served outside `/api`: the start page and the demo page. The SolidJS
 * console (ui/) and the widget (widget/) replace these when they are built
 * (issues #5 and #6); until then the pages say so plainly.
 */
import type { GatewayContext } from '../context.js';
import type { Request, Response } from '../http/router.js';

function page(title: string, body: string): Response {
  return {
    contentType: 'text/html; charset=utf-8',
    headers: { 'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'" },
    raw: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
code,pre{background:#f6f8fa;border-radius:6px;padding:.2rem .4rem}pre{padding:1rem;overflow:auto}</style></head><body>${body}</body></html>`,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function pageFallback(ctx: GatewayContext): (req: Request) => Promise<Response | undefined> {
  return (req) => {
    const base = ctx.config.http.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
    if (req.path === '/' || req.path === '') {
      return Promise.resolve(
        page(
          'Netia',
          `<h1>Netia is running</h1><p>The API answers at <code>/api</code> and the real-time socket at <code>/socket/websocket</code>.</p>
<p>The agent console (SolidJS) is not built yet: it arrives with issue #5. Until then, use the REST API with the demo credentials printed by <code>npm start</code>.</p>
<p><a href="/demo">Demo page with the widget snippet</a></p>`,
        ),
      );
    }
    if (req.path === '/demo') {
      const account = req.query.get('account_id') ?? 'ACCOUNT_ID';
      const snippet = `<script src="${base}/widget.js" data-token="${account}" async></script>`;
      return Promise.resolve(
        page(
          'Netia demo page',
          `<h1>Demo page</h1><p>Paste this snippet into a website to embed the chat widget:</p><pre>${escapeHtml(snippet)}</pre>
<p>The embeddable widget itself arrives with issue #6; the public API it uses (<code>POST /api/customers</code>,
<code>POST /api/conversations</code>, channel <code>conversation:&lt;id&gt;</code>) works today.</p>`,
        ),
      );
    }
    return Promise.resolve(undefined);
  };
}
