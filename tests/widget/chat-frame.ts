/**
 * The chat's iframe in widget browser tests: typing into it as a visitor does, and saying what it
 * shows when a test's wait fails.
 */
import type { Locator, Page } from 'playwright-core';

/** Fills tried before giving up (each one a round trip; the first almost always lands). */
const FILL_TRIES = 10;

/**
 * Type `text` into the chat's composer and press Enter. Playwright's `fill` and `press` send their
 * text and keys to the frame the browser holds focused, and the chat is another site's iframe with
 * a renderer of its own: the element's focus reaches the browser by IPC. Under a full suite the text
 * once landed in the host page instead (the composer stayed empty, and Enter on an empty composer
 * sends nothing: the gap test's CI failures). A visitor clicks into the box first, so this does too,
 * and fills again until the composer holds the text before pressing Enter.
 */
export async function typeAndSend(input: Locator, text: string): Promise<void> {
  await input.click();
  for (let attempt = 1; ; attempt++) {
    await input.fill(text);
    if ((await input.inputValue()) === text) break;
    if (attempt === FILL_TRIES) throw new Error(`the chat's composer did not take the text after ${FILL_TRIES} fills`);
  }
  await input.press('Enter');
}

/**
 * What a widget test says when the chat does not do what it waited for: how far the chat page
 * booted (`data-netia-boot`, widget/src/chat/main.ts), what its composer holds, whether the panel
 * is open and the frame has the focus, the transcript rows, and the session's state when the page
 * was embedded with `data-test`. Never throws: it is read while a
 * test is already failing.
 */
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
        // The session's own view (outbox, visitor, messages) on pages embedded with data-test.
        state: (window as { __netiaTest?: { state(): unknown } }).__netiaTest?.state() ?? null,
      };
    })
    .catch((err: unknown) => `(frame unreadable: ${String(err).slice(0, 200)})`);
  return `panel expanded=${expanded}; chat frame ${JSON.stringify(inside)}`;
}
