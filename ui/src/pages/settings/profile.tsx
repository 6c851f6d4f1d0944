/**
 * Settings → Profile (issue #17, item 6): the signed-in agent's display name,
 * full name, photo (uploaded through `POST /api/upload`, then the avatar
 * wherever the agent appears) and email signature (added under "-- " to their
 * replies that leave as email, never to chat); and "Log out everywhere", which
 * revokes every session of the agent after a confirmation and signs this one
 * out to /login. Loading, not-available and error states come from
 * settings-kit's `<Section>`.
 */
import { useNavigate } from '@solidjs/router';
import { Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { Avatar } from '../../components/avatar';
import { Section, Status, focusReturn, load, useSaver } from '../../components/settings-kit';
import { describeError } from '../../lib/api';
import { MAX_SIGNATURE_CHARS, meApi, profileChanges, type UserProfile } from '../../lib/api-me';
import { agentName } from '../../lib/lists';
import { isInlineImage, refusalOf, uploadApi, uploadFile } from '../../lib/upload';
import { useAgents } from '../../stores/agents';
import { useSession } from '../../stores/session';

function PhotoField(props: { profile: UserProfile; onSaved: (p: UserProfile) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [progress, setProgress] = createSignal<number | null>(null);
  const [message, failed, save] = useSaver();
  const choose = async (file: File): Promise<void> => {
    await save(async () => {
      if (!isInlineImage(file.type)) throw new Error(`“${file.name}” is not a PNG, JPEG, GIF or WebP image.`);
      const limits = await uploadApi(api)
        .limits()
        .catch(() => null);
      const refusal = refusalOf(file, limits);
      if (refusal) throw new Error(refusal);
      setProgress(0);
      try {
        const stored = await uploadFile(file, file.name, {
          token: api.session()?.token,
          onProgress: (loaded, total) => setProgress(total ? loaded / total : 0),
        });
        props.onSaved(await meApi(api).saveProfile({ profile_photo_file_id: stored.id }));
      } finally {
        setProgress(null);
      }
    }, 'Photo saved.');
  };
  return (
    <fieldset class="profile-photo">
      <legend>Photo</legend>
      <Avatar name={agentName(props.profile)} seed={props.profile.id} photo={props.profile.profile_photo_url} size={72} />
      <div>
        <input
          id="profile-photo"
          class="visually-hidden"
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void choose(file);
          }}
        />
        <label for="profile-photo" class="btn small">
          {props.profile.profile_photo_url ? 'Change photo' : 'Upload a photo'}
        </label>{' '}
        <Show when={props.profile.profile_photo_url}>
          <button
            type="button"
            class="btn ghost small"
            onClick={() =>
              void save(async () => props.onSaved(await meApi(api).saveProfile({ profile_photo_url: null })), 'Photo removed.')
            }
          >
            Remove photo
          </button>
        </Show>
        <Show when={progress() !== null}>
          <progress max="1" value={progress() ?? 0} aria-label="Uploading the photo" />
        </Show>
        <p class="small muted">PNG, JPEG, GIF or WebP. Shown next to your messages and in the team list.</p>
        <Status message={message()} error={failed()} testId="photo-status" />
      </div>
    </fieldset>
  );
}

function ProfileForm(props: { initial: UserProfile }): JSX.Element {
  const [, { api }] = useSession();
  const [, agentActions] = useAgents();
  const [saved, setSaved] = createSignal(props.initial);
  const [form, setForm] = createSignal({
    display_name: props.initial.display_name ?? '',
    full_name: props.initial.full_name ?? '',
    signature: props.initial.signature ?? '',
  });
  const changes = createMemo(() => profileChanges(saved(), form()));
  const isDirty = (): boolean => Object.keys(changes()).length > 0;
  const [message, failed, save] = useSaver();
  const adopt = (p: UserProfile): void => {
    setSaved(p);
    // Names and photo show wherever the agent appears: the team list feeds them.
    void agentActions.reload();
  };
  const set = (key: 'display_name' | 'full_name' | 'signature', value: string): void => {
    setForm({ ...form(), [key]: value });
  };
  return (
    <>
      <PhotoField profile={saved()} onSaved={adopt} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!isDirty()) return;
          void save(async () => adopt(await meApi(api).saveProfile(changes())), 'Profile saved.');
        }}
      >
        <div class="field">
          <label for="display-name">Display name</label>
          <input
            id="display-name"
            maxLength={255}
            value={form().display_name}
            onInput={(e) => set('display_name', e.currentTarget.value)}
            aria-describedby="display-name-hint"
          />
          <p class="small muted" id="display-name-hint">
            What customers and teammates see on your messages.
          </p>
        </div>
        <div class="field">
          <label for="full-name">Full name</label>
          <input id="full-name" maxLength={255} value={form().full_name} onInput={(e) => set('full_name', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="signature">Email signature</label>
          <textarea
            id="signature"
            rows={4}
            maxLength={MAX_SIGNATURE_CHARS}
            value={form().signature}
            onInput={(e) => set('signature', e.currentTarget.value)}
            aria-describedby="signature-hint"
          />
          <p class="small muted" id="signature-hint">
            Plain text added under a “-- ” line to your replies that go out as email (not to chat). {form().signature.length}/
            {MAX_SIGNATURE_CHARS} characters.
          </p>
        </div>
        <button class="btn primary" type="submit" disabled={!isDirty()}>
          Save profile
        </button>
        <Status message={message()} error={failed()} testId="profile-status" />
      </form>
    </>
  );
}

function LogOutEverywhere(): JSX.Element {
  const [, sessionActions] = useSession();
  const navigate = useNavigate();
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let cancelBtn: HTMLButtonElement | undefined;
  // Keyboard: Cancel gives the focus back to the button that asked.
  const back = focusReturn();
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await meApi(sessionActions.api).logOutEverywhere();
      await sessionActions.logout();
      navigate('/login', { replace: true });
    } catch (err) {
      setError(`Could not log out everywhere: ${describeError(err)}`);
      setBusy(false);
    }
  };
  return (
    <section class="settings-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p class="small muted">Signed in on a shared or lost device? End every session of your account, this one included.</p>
      <Show
        when={confirming()}
        fallback={
          <button
            class="btn danger"
            type="button"
            onClick={() => {
              setConfirming(true);
              queueMicrotask(() => cancelBtn?.focus());
            }}
            ref={back.ref}
          >
            Log out everywhere…
          </button>
        }
      >
        <div class="confirm" role="group" aria-labelledby="sessions-confirm">
          <p id="sessions-confirm">
            <strong>Log out on every device?</strong> Every browser and app signed in as you is signed out, including this tab.
          </p>
          <button class="btn danger" type="button" disabled={busy()} onClick={() => void confirm()}>
            Yes, log out everywhere
          </button>{' '}
          <button
            class="btn"
            type="button"
            ref={cancelBtn}
            disabled={busy()}
            onClick={() => {
              back.arm();
              setConfirming(false);
            }}
          >
            Cancel
          </button>
        </div>
      </Show>
      <Status message={error()} error />
    </section>
  );
}

export function ProfileSection(): JSX.Element {
  const [, { api }] = useSession();
  const [data, { refetch }] = createResource(() => load(() => meApi(api).profile()));
  return (
    <>
      <Section title="Your profile" data={data} what="Your profile" onRetry={() => void refetch()}>
        {(profile) => <ProfileForm initial={profile} />}
      </Section>
      <LogOutEverywhere />
    </>
  );
}
