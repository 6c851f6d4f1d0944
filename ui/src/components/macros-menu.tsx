/**
 * The conversation view's Macros menu (issue #21 item 3; docs/automation.md): the account's
 * macros, each run on the open conversation with one click or Alt+its shortcut key. The
 * conversation's workflow runs the actions; the view follows through its usual events. Shows
 * nothing while the account has no macros (or the server lacks the route).
 */
import { For, Show, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { z } from 'zod';
import { useSession } from '../stores/session';
import { automationMacroSchema, macroRunSchema, type AutomationMacro } from '../../../gateway/protocol/wire/automation.js';

export function MacrosMenu(props: { conversationId: string }): JSX.Element {
  const [, { api }] = useSession();
  const [macros] = createResource(() =>
    api.parsedData(z.array(automationMacroSchema), 'GET', '/api/automation/macros').catch(() => [] as AutomationMacro[]),
  );
  const [status, setStatus] = createSignal<{ text: string; error: boolean } | undefined>();
  let menu: HTMLDetailsElement | undefined;

  const run = async (m: AutomationMacro): Promise<void> => {
    if (menu) menu.open = false;
    setStatus({ text: `Running ${m.name}…`, error: false });
    try {
      const result = await api.parsedData(macroRunSchema, 'POST', `/api/conversations/${props.conversationId}/macros/${m.id}/run`, {});
      const failed = result.actions.filter((a) => !a.ok);
      setStatus(
        failed.length
          ? { text: `${m.name}: ${failed.map((a) => `${a.type} failed (${a.detail ?? 'error'})`).join(', ')}`, error: true }
          : { text: `${m.name} done.`, error: false },
      );
    } catch (err) {
      setStatus({ text: `${m.name} failed: ${err instanceof Error ? err.message : String(err)}`, error: true });
    }
  };

  const onKey = (e: KeyboardEvent): void => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.code.startsWith('Key')
      ? e.code.slice(3).toLowerCase()
      : e.code.startsWith('Digit')
        ? e.code.slice(5)
        : e.key.toLowerCase();
    const m = (macros() ?? []).find((x) => x.shortcut === key);
    if (!m) return;
    e.preventDefault();
    void run(m);
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <Show when={(macros() ?? []).length > 0}>
      <details class="menu" ref={menu} data-testid="macros-menu">
        <summary class="btn small">Macros</summary>
        <ul class="menu-list" role="list">
          <For each={macros()}>
            {(m) => (
              <li>
                <button
                  class="btn small"
                  type="button"
                  onClick={() => void run(m)}
                  aria-keyshortcuts={m.shortcut ? `Alt+${m.shortcut.toUpperCase()}` : undefined}
                >
                  {m.name}
                  {m.shortcut ? ` (Alt+${m.shortcut.toUpperCase()})` : ''}
                </button>
              </li>
            )}
          </For>
        </ul>
      </details>
      <Show when={status()}>
        {(s) => (
          <span class={s().error ? 'form-error small' : 'small muted'} role={s().error ? 'alert' : 'status'} data-testid="macro-status">
            {s().text}
          </span>
        )}
      </Show>
    </Show>
  );
}
