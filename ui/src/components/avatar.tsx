/** A round avatar: the photo when there is one (http(s), or a file uploaded here), else initials on a colour derived from the id. */
import { Show, type JSX } from 'solid-js';
import { avatarHue, initials } from '../lib/lists';
import { safeHref } from '../lib/markdown';

/** A photo uploaded to this server (`PUT /api/profile` with `profile_photo_file_id`): a path of the files route. */
const OWN_FILE = /^\/api\/files\/[0-9a-f-]{36}\/[^\s"'<>`\\]+$/i;

export function Avatar(props: {
  name: string;
  seed: string | number;
  photo?: string | null | undefined;
  size?: number;
  online?: boolean;
}): JSX.Element {
  const size = (): number => props.size ?? 32;
  const photo = (): string | null => (props.photo ? (OWN_FILE.test(props.photo) ? props.photo : safeHref(props.photo)) : null);
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
