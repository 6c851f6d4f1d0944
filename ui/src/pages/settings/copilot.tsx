/**
 * Settings → AI copilot (issue #21): the account's switch of the agents' copilot (summaries,
 * suggested replies, "improve my reply"). Admins turn it on or off; agents see it read-only. A
 * server without a model says so: the switch then changes nothing until one is configured.
 */
import { Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { copilotApi } from '../../lib/api-copilot';
import { useSession } from '../../stores/session';

export function CopilotSection(): JSX.Element {
  const [session, { api }] = useSession();
  const client = copilotApi(api);
  const [data, { mutate }] = createResource(() => load(() => client.settings()));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  return (
    <Section title="AI copilot" data={data} what="Copilot settings">
      {(settings) => {
        const [enabled, setEnabled] = createSignal(settings.enabled);
        const submit = (e: Event): void => {
          e.preventDefault();
          void save(
            async () => {
              const saved = await client.setEnabled(enabled());
              mutate({ ok: true, value: saved });
            },
            enabled() ? 'The copilot is on for your team.' : 'The copilot is off for your team.',
          );
        };
        return (
          <form onSubmit={submit} aria-describedby="copilot-help" data-testid="copilot-settings">
            <p id="copilot-help" class="small muted">
              The copilot helps agents in each conversation: a summary, a suggested reply and “improve my reply”. Nothing is sent to a
              customer without an agent.
            </p>
            <Show when={!settings.configured}>
              <p class="small" role="note" data-testid="copilot-unconfigured">
                This server has no AI model configured, so the copilot stays hidden whatever the switch says.
              </p>
            </Show>
            <div class="field">
              <label>
                <input type="checkbox" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} disabled={!isAdmin()} />{' '}
                Turn on the AI copilot for agents
              </label>
            </div>
            <Show when={!isAdmin()}>
              <p class="small muted">Only admins can turn the copilot on or off.</p>
            </Show>
            <Status message={message()} error={failed()} testId="copilot-status" />
            <Show when={isAdmin()}>
              <button class="btn primary" type="submit">
                Save copilot
              </button>
            </Show>
          </form>
        );
      }}
    </Section>
  );
}
