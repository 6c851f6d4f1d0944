/**
 * @module widget/loader/styles
 * Styles of the launcher and the panel frame, applied inside the widget's
 * shadow root (host page CSS cannot select into it, and these rules cannot
 * select out). The host element itself is reset with inline `!important`
 * declarations (see index.ts), which outrank any host stylesheet.
 */

export const HOST_STYLE =
  'all:initial!important;display:block!important;position:static!important;width:0!important;height:0!important;' +
  'margin:0!important;padding:0!important;border:0!important;overflow:visible!important;visibility:visible!important;' +
  'opacity:1!important;transform:none!important;filter:none!important;contain:none!important';

export const SHADOW_CSS = `
:host{all:initial}
*{box-sizing:border-box}
.launcher{all:initial;box-sizing:border-box;position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;
border-radius:50%;background:var(--netia-color,#1677ff);color:var(--netia-on-color,#fff);cursor:pointer;display:flex;
align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.28),0 0 0 2px rgba(255,255,255,.85);
transition:transform .15s ease}
.launcher:hover{transform:scale(1.08)}
.launcher:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px #111,0 4px 14px rgba(0,0,0,.28)}
.launcher svg{width:28px;height:28px;display:block;pointer-events:none}
.launcher .i-close,.launcher .i-filled,.v-filled .launcher .i-outlined{display:none}
.v-filled .launcher .i-filled{display:block}
.has-icon .launcher svg.i-chat{display:none}
.launcher img.icon{width:36px;height:36px;object-fit:contain;display:block;pointer-events:none}
.is-open .launcher svg.i-chat,.is-open .launcher img.icon{display:none}
.is-open .launcher .i-close{display:block}
.is-pending .launcher,.is-pending .notice{visibility:hidden}
.notice{all:initial;box-sizing:border-box;position:fixed;right:20px;bottom:90px;z-index:2147483000;max-width:min(280px,calc(100vw - 40px));
padding:10px 14px;border-radius:18px;background:#fff;color:#1f2328;font:600 14px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
box-shadow:0 4px 18px rgba(0,0,0,.22);cursor:pointer;overflow-wrap:anywhere}
.notice:focus-visible{outline:3px solid var(--netia-color,#1677ff);outline-offset:2px}
.notice[hidden],.is-open .notice,.is-hidden-launcher .notice{display:none}
.badge{all:initial;position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;
background:#d92d20;color:#fff;font:700 12px/20px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:center;
box-shadow:0 0 0 2px #fff;box-sizing:border-box}
.badge[hidden]{display:none}
.panel{all:initial;position:fixed;right:20px;bottom:90px;z-index:2147483000;width:400px;height:600px;
max-width:calc(100vw - 40px);max-height:calc(100vh - 120px);border-radius:12px;overflow:hidden;background:#fff;
box-shadow:0 12px 48px rgba(0,0,0,.32);display:block}
.panel[hidden]{display:none}
iframe{all:initial;display:block;width:100%;height:100%;border:0}
.rec{all:initial;box-sizing:border-box;position:fixed;right:90px;bottom:30px;z-index:2147483000;display:flex;align-items:center;gap:6px;
max-width:min(300px,calc(100vw - 110px));padding:6px 6px 6px 12px;border-radius:16px;background:#1f2328;color:#fff;
font:500 12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 2px 10px rgba(0,0,0,.25)}
.rec:before{content:"";flex:none;width:8px;height:8px;border-radius:50%;background:#f85149}
.rec .is-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.rec:has(.is-hidden){padding:6px;right:92px}
.rec-hide{all:initial;flex:none;width:22px;height:22px;border-radius:50%;color:#fff;font:600 15px/22px system-ui,sans-serif;text-align:center;cursor:pointer}
.rec-hide:hover{background:rgba(255,255,255,.15)}
.rec-hide:focus-visible{outline:2px solid #fff}
.is-pending .rec{display:none}
.is-hidden-launcher .rec{right:20px;bottom:20px}
.is-hidden-launcher .launcher{display:none}
.is-hidden-launcher .panel{bottom:20px;max-height:calc(100vh - 40px)}
@media (max-width:480px){
.panel{right:0;bottom:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}
.is-open .launcher{display:none}
}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`;

/** Launcher icons (chat bubble outlined and filled, close). */
export const ICONS =
  '<svg class="i-chat i-outlined" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M12 4C7 4 3 7.4 3 11.5c0 2.1 1 4 2.7 5.4L5 20.2l3.5-1.7c1.1.4 2.3.5 3.5.5 5 0 9-3.4 9-7.5S17 4 12 4z"/></svg>' +
  '<svg class="i-chat i-filled" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 3C6.5 3 2 6.8 2 11.5c0 2.3 1.1 4.4 2.9 5.9L4 21l4.2-2c1.2.4 2.5.6 3.8.6 5.5 0 10-3.8 10-8.5S17.5 3 12 3z"/></svg>' +
  '<svg class="i-close" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z"/></svg>';
