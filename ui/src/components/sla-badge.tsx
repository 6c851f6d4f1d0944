/**
 * SLA badges (issue #21; docs/sla.md): a conversation's soonest open SLA clock in the inbox list
 * (`SlaBadge`), and every clock of the open conversation in its header (`SlaHeader`: first
 * response, next response, resolution; paused ones say so; the last met or missed ones after them).
 * Each says its state in words ("Due 12m", "Due soon 4m", "Overdue 3m", "Paused") besides its
 * colour, with the whole sentence as its accessible name ("First response due in 12 minutes").
 * The countdown follows the page's 30-second clock (`now`); the clocks follow `sla:changed`
 * (stores/sla.ts).
 */
import { For, Show, createMemo, createResource, onCleanup, type JSX } from 'solid-js';
import { METRIC_LABELS, isOpen, slaText, soonestTarget, type SlaTarget } from '../lib/api-sla';
import { formatFullTime } from '../lib/time';
import { useSla } from '../stores/sla';

/**
 * The time to count from: the page's clock ticks every 30 seconds (re-rendering the badges), and
 * a badge rendered between ticks (a new clock) counts from the actual time, not the last tick.
 */
const at = (tick: Date): number => Math.max(tick.getTime(), Date.now());

/** The soonest open clock of a conversation (list rows); nothing without one. */
export function SlaBadge(props: { conversationId: string; now: Date }): JSX.Element {
  const [, sla] = useSla();
  const target = createMemo(() => soonestTarget(sla.of(props.conversationId)));
  const text = createMemo(() => {
    const t = target();
    return t ? slaText(t, at(props.now)) : undefined;
  });
  return (
    <Show when={text()}>
      {(x) => (
        <span
          class={`sla-badge sla-${x().state}`}
          role="img"
          aria-label={x().label}
          title={x().label}
          data-testid="sla-badge"
          data-sla-state={x().state}
        >
          {x().short}
        </span>
      )}
    </Show>
  );
}

const COMPLETED_WORDS: Record<string, string> = { met: 'met', breached: 'missed', cancelled: 'cancelled' };

function completedLine(t: SlaTarget): string {
  const when = t.completed_at ? ` (${formatFullTime(t.completed_at)})` : '';
  return `${METRIC_LABELS[t.metric]} ${COMPLETED_WORDS[t.status] ?? t.status}${when} · ${t.policy_name}`;
}

/** The conversation's SLA clocks in its header: each open one with its countdown, then the last three completed ones. */
export function SlaHeader(props: { conversationId: string; now: Date }): JSX.Element {
  const [, sla] = useSla();
  const [clocks, { refetch }] = createResource(
    () => props.conversationId,
    (id) => sla.api.conversationTargets(id).catch(() => [] as SlaTarget[]),
  );
  onCleanup(
    sla.onChange((id) => {
      if (id === null || id === props.conversationId) void refetch();
    }),
  );
  // While another conversation's clocks load, the previous ones are not shown under this one.
  const mine = (): SlaTarget[] => (clocks() ?? []).filter((t) => t.conversation_id === props.conversationId);
  const open = createMemo(() => mine().filter(isOpen));
  const done = createMemo(() =>
    mine()
      .filter((t) => t.completed_at !== null)
      .slice(0, 6),
  );
  return (
    <Show when={open().length > 0 || done().length > 0}>
      <div class="sla-header" data-testid="sla-header">
        <span class="visually-hidden">SLA: </span>
        <ul class="sla-clocks" aria-label="SLA clocks">
          <For each={open()}>
            {(t) => {
              const x = createMemo(() => slaText(t, at(props.now)));
              return (
                <li
                  class={`sla-badge sla-${x().state}`}
                  data-testid="sla-clock"
                  data-metric={t.metric}
                  data-sla-state={x().state}
                  title={`${t.policy_name}: ${t.target_minutes} minute target${t.due_at ? `, due ${formatFullTime(t.due_at)}` : ''}`}
                >
                  <strong>{METRIC_LABELS[t.metric]}</strong> {x().detail}
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={done().length > 0}>
          <ul class="sla-done small muted" aria-label="Completed SLA targets" data-testid="sla-completed">
            <For each={done()}>{(t) => <li>{completedLine(t)}</li>}</For>
          </ul>
        </Show>
      </div>
    </Show>
  );
}
