/**
 * The chat's iframe in widget browser tests: typing into it as a visitor does, and saying what it
 * shows when a test's wait fails.
 */
import type { Locator, Page } from 'playwright-core';

/** Click-and-fill rounds tried before the text is put in through the frame's own DOM. */
const FILL_TRIES = 5;

/**
 * Type `text` into the chat's composer and send it with Enter, as a visitor does.
 *
 * Playwright's `fill` and `press` send their text and keys to the frame the browser holds focused,
 * and the chat is another site's iframe with a renderer of its own: the element's focus reaches the
 * browser by IPC. Under a full suite the text has landed in the host page instead (the composer
 * stayed empty, and Enter on an empty composer sends nothing), in one CI run for ten fills in a row
 * (why the focus stayed outside the frame was not found; a click while the panel still moves is one
 * guess).
 *
 * So each round clicks into the box again before it fills, and checks the composer holds the text.
 * If no round lands, the text goes in through the frame's DOM (the value and the `input` event the
 * composer listens to). Enter is checked the same way: the composer empties when it sends; if it
 * still holds the text, the send button is clicked (a click is routed by where it lands, not by
 * focus). These tests are about what a sent message does; keyboard focus has tests of its own.
 */
export async function typeAndSend(input: Locator, text: string): Promise<void> {
  let landed = false;
  for (let attempt = 1; attempt <= FILL_TRIES && !landed; attempt++) {
    await input.click();
    await input.fill(text);
    landed = (await input.inputValue()) === text;
  }
  if (!landed) {
    await input.evaluate((el, value) => {
      const box = el as HTMLTextAreaElement;
      box.value = value;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
    }, text);
    if ((await input.inputValue()) !== text) throw new Error(`the chat's composer did not take the text`);
  }
  await input.press('Enter');
  // The composer empties synchronously when it sends; the key reaches the frame by IPC, so the
  // check polls its value for a moment before it decides the key went elsewhere.
  const sent = await input
    .evaluate(
      (el) =>
        new Promise<boolean>((resolve) => {
          const box = el as HTMLTextAreaElement;
          const until = performance.now() + 2_000;
          const check = (): void => {
            if (box.value === '') resolve(true);
            else if (performance.now() > until) resolve(false);
            else setTimeout(check, 10);
          };
          check();
        }),
    )
    .catch(() => false);
  if (!sent && (await input.inputValue().catch(() => '')) === text) {
    await input.locator('xpath=ancestor::form[1]').locator('button[type="submit"]').click();
  }
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
