/**
 * The Chat widget section's launcher and behaviour settings (pages/settings.tsx
 * `WidgetSection` holds the form): open by default, launcher icon (variant and a
 * custom image), the new-messages notice, and the URLs only admins may set (the
 * chat page override and the API base, both on this server; the icon over https).
 * The checks here mirror the server's (`widgetUrlErrors` in services/widget-settings),
 * so a mistake is shown next to its field before saving; the server has the last word.
 * `LauncherPreview` draws the launcher as visitors will see it.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import type { WidgetSettingsInput } from '../../types';
import { CheckRow } from '../../components/settings-kit';

type ExtraKey =
  'is_open_by_default' | 'icon_variant' | 'custom_icon_url' | 'new_messages_notification_text' | 'iframe_url_override' | 'base_url';

const URL_FIELDS = ['custom_icon_url', 'iframe_url_override', 'base_url'] as const;
type UrlField = (typeof URL_FIELDS)[number];

export const DEFAULT_NOTIFICATION_TEXT = 'View new messages';

/** What is wrong with a URL field's value, or null ('' clears it). `host` is this server's (location.host). */
export function widgetUrlProblem(key: UrlField, value: string | null | undefined, host: string): string | null {
  const v = (value ?? '').trim();
  if (v === '') return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'Enter a full address starting with https://';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Only https:// addresses are allowed';
  if (u.username || u.password) return 'The address must not contain a user name or password';
  const isOwn = u.host.toLowerCase() === host.toLowerCase();
  if (key === 'custom_icon_url') return u.protocol === 'https:' || isOwn ? null : 'Use an https:// address';
  return isOwn ? null : `Must be on this server (${host}); a chat page on another site goes in the embed code`;
}

/** The problems of the form's URL fields, by field. */
export function widgetUrlProblems(form: WidgetSettingsInput, host: string): Partial<Record<UrlField, string>> {
  const out: Partial<Record<UrlField, string>> = {};
  for (const key of URL_FIELDS) {
    const problem = widgetUrlProblem(key, form[key], host);
    if (problem) out[key] = problem;
  }
  return out;
}

/** The fields this component edits, as the save request sends them (URLs only for admins: the server refuses them otherwise). */
export function extraPayload(form: WidgetSettingsInput, isAdmin: boolean): WidgetSettingsInput {
  const text = (v: string | null | undefined): string | null => (v && v.trim() !== '' ? v.trim() : null);
  return {
    is_open_by_default: !!form.is_open_by_default,
    icon_variant: form.icon_variant === 'filled' ? 'filled' : 'outlined',
    new_messages_notification_text: text(form.new_messages_notification_text),
    ...(isAdmin
      ? { custom_icon_url: text(form.custom_icon_url), iframe_url_override: text(form.iframe_url_override), base_url: text(form.base_url) }
      : {}),
  };
}

export function WidgetExtraFields(props: {
  form: () => WidgetSettingsInput;
  set: (key: ExtraKey, value: string | boolean) => void;
  isAdmin: boolean;
  host: string;
}): JSX.Element {
  const problems = (): Partial<Record<UrlField, string>> => widgetUrlProblems(props.form(), props.host);
  const urlField = (key: UrlField, label: string, hint: string): JSX.Element => (
    <div class="field">
      <label for={`w-${key}`}>{label}</label>
      <input
        id={`w-${key}`}
        type="url"
        inputmode="url"
        placeholder="https://"
        value={String(props.form()[key] ?? '')}
        disabled={!props.isAdmin}
        aria-invalid={problems()[key] ? 'true' : undefined}
        aria-describedby={`w-${key}-hint w-${key}-error`}
        onInput={(e) => props.set(key, e.currentTarget.value)}
      />
      <span class="small muted" id={`w-${key}-hint`}>
        {hint}
      </span>
      <span class="form-error small" id={`w-${key}-error`} role="alert">
        {problems()[key] ?? ''}
      </span>
    </div>
  );
  return (
    <fieldset class="widget-extras" style={{ border: '0', padding: '0', margin: '0', 'min-width': '0' }}>
      <legend class="visually-hidden">Launcher and behaviour</legend>
      <CheckRow id="w-open-default" checked={!!props.form().is_open_by_default} onChange={(v) => props.set('is_open_by_default', v)}>
        Open the chat on a visitor's first visit (until they close it)
      </CheckRow>
      <div class="field" role="radiogroup" aria-labelledby="w-variant-label">
        <span id="w-variant-label">Launcher icon</span>
        <For
          each={
            [
              ['outlined', 'Outlined'],
              ['filled', 'Filled'],
            ] as const
          }
        >
          {([value, label]) => (
            <label class="inline">
              <input
                type="radio"
                name="w-icon-variant"
                value={value}
                checked={(props.form().icon_variant ?? 'outlined') === value}
                onChange={() => props.set('icon_variant', value)}
              />{' '}
              {label}
            </label>
          )}
        </For>
      </div>
      <div class="field">
        <label for="w-new_messages_notification_text">New messages notice</label>
        <input
          id="w-new_messages_notification_text"
          maxLength={120}
          placeholder={DEFAULT_NOTIFICATION_TEXT}
          value={String(props.form().new_messages_notification_text ?? '')}
          onInput={(e) => props.set('new_messages_notification_text', e.currentTarget.value)}
        />
      </div>
      {urlField(
        'custom_icon_url',
        'Custom launcher icon (image URL)',
        'An https image; if it fails to load, visitors see the default icon.',
      )}
      {urlField(
        'iframe_url_override',
        'Chat page override',
        'Another chat page on this server to show instead of the default one. Leave empty normally.',
      )}
      {urlField(
        'base_url',
        'API base URL',
        'Where the widget sends its requests, on this server (e.g. behind a path prefix). Leave empty normally.',
      )}
      <Show when={!props.isAdmin}>
        <p class="small muted">Only admins can change the icon image and the URLs.</p>
      </Show>
    </fieldset>
  );
}

const OUTLINED = 'M12 4C7 4 3 7.4 3 11.5c0 2.1 1 4 2.7 5.4L5 20.2l3.5-1.7c1.1.4 2.3.5 3.5.5 5 0 9-3.4 9-7.5S17 4 12 4z';
const FILLED = 'M12 3C6.5 3 2 6.8 2 11.5c0 2.3 1.1 4.4 2.9 5.9L4 21l4.2-2c1.2.4 2.5.6 3.8.6 5.5 0 10-3.8 10-8.5S17.5 3 12 3z';

/** The launcher as visitors see it: icon (custom image, else the variant), the notice, and whether it opens by itself. */
export function LauncherPreview(props: { form: () => WidgetSettingsInput; color: string; host: string }): JSX.Element {
  const [broken, setBroken] = createSignal<string | null>(null);
  const icon = (): string | null => {
    const url = (props.form().custom_icon_url ?? '').trim();
    return url && !widgetUrlProblem('custom_icon_url', url, props.host) && broken() !== url ? url : null;
  };
  const filled = (): boolean => props.form().icon_variant === 'filled';
  return (
    <div
      class="launcher-preview"
      data-testid="launcher-preview"
      style={{ display: 'flex', 'align-items': 'center', gap: '12px', margin: '12px 0' }}
    >
      <div
        class="lp-notice"
        style={{
          padding: '8px 12px',
          'border-radius': '16px',
          background: '#fff',
          'box-shadow': '0 3px 12px rgba(0,0,0,.18)',
          'font-weight': '600',
          'max-width': '200px',
          'overflow-wrap': 'anywhere',
        }}
      >
        {(props.form().new_messages_notification_text ?? '').trim() || DEFAULT_NOTIFICATION_TEXT}
      </div>
      <div
        class="lp-launcher"
        role="img"
        aria-label={`Launcher preview: ${icon() ? 'custom icon' : filled() ? 'filled icon' : 'outlined icon'}`}
        style={{
          width: '60px',
          height: '60px',
          'border-radius': '50%',
          background: props.color,
          color: '#fff',
          display: 'flex',
          'align-items': 'center',
          'justify-content': 'center',
          'flex-shrink': '0',
        }}
      >
        <Show
          when={icon()}
          fallback={
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" data-variant={filled() ? 'filled' : 'outlined'}>
              <path
                d={filled() ? FILLED : OUTLINED}
                fill={filled() ? 'currentColor' : 'none'}
                stroke={filled() ? 'none' : 'currentColor'}
                stroke-width="1.8"
              />
            </svg>
          }
        >
          {(url) => <img src={url()} alt="" width="36" height="36" style={{ 'object-fit': 'contain' }} onError={() => setBroken(url())} />}
        </Show>
      </div>
      <Show when={props.form().is_open_by_default}>
        <span class="small muted">Opens by itself on a first visit</span>
      </Show>
    </div>
  );
}
