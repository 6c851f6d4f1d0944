/**
 * What a widget test says when the chat does not do what it waited for: how far the chat page
 * booted (`data-netia-boot`, widget/src/chat/main.ts), what its composer holds, whether the panel
 * is open and the frame has the focus, and the transcript rows. Never throws: it is read while a
 * test is already failing.
 */
import type { Page } from 'playwright-core';

export async function describeChat(page: Page): Promise<string> {
  const expanded = await page
    .locator('netia-chat-widget button.launcher')
    .getAttribute('aria-expanded', { timeout: 2_000 })
    .catch(() => '(no launcher)');
  const frame = await (
    await page
      .locator('netia-chat-widget iframe')
      .elementHandle({ timeout: 2_000 })
      .catch(() => null)
  )?.contentFrame();
  if (!frame) return `panel expanded=${expanded}; no chat frame`;
  const inside = await frame
    .evaluate(() => {
      const root = document.documentElement;
      const box = document.querySelector('textarea');
      return {
        url: location.pathname + location.search.replace(/token=[^&]+/, 'token=…'),
        boot: root.dataset.netiaBoot ?? '(none)',
        bootError: root.dataset.netiaBootError ?? null,
        composer: box ? box.value : '(no composer)',
        frameHasFocus: document.hasFocus(),
        focused: document.activeElement?.tagName ?? null,
        rows: Array.from(document.querySelectorAll('.msg')).map((el) => `${el.className} seq=${(el as HTMLElement).dataset.seq ?? '-'}`),
        notice: document.querySelector('.notice')?.textContent ?? null,
      };
    })
    .catch((err: unknown) => `(frame unreadable: ${String(err).slice(0, 200)})`);
  return `panel expanded=${expanded}; chat frame ${JSON.stringify(inside)}`;
}
