/** A round avatar: the photo when there is one (http(s) only), else initials on a colour derived from the id. */
import { Show, type JSX } from 'solid-js';
import { avatarHue, initials } from '../lib/lists';
import { safeHref } from '../lib/markdown';

export function Avatar(props: {
  name: string;
  seed: string | number;
  photo?: string | null | undefined;
  size?: number;
  online?: boolean;
}): JSX.Element {
  const size = (): number => props.size ?? 32;
  const photo = (): string | null => (props.photo ? safeHref(props.photo) : null);
  return (
    <span
      class="avatar"
      style={{
        width: `${size()}px`,
        height: `${size()}px`,
        'font-size': `${Math.round(size() * 0.4)}px`,
        background: `hsl(${avatarHue(props.seed)} 45% 42%)`,
      }}
      aria-hidden="true"
    >
      <Show when={photo()} fallback={initials(props.name)}>
        {(src) => <img src={src()} alt="" width={size()} height={size()} referrerpolicy="no-referrer" />}
      </Show>
      <Show when={props.online}>
        <span class="presence-dot" />
      </Show>
    </span>
  );
}
