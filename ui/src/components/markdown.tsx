/**
 * Renders the token tree of lib/markdown.ts as DOM nodes. Every piece of
 * message text becomes a text node through JSX; there is no innerHTML, so
 * `<img onerror=…>` in a message is shown as the characters it is.
 */
import { For, Match, Switch, createMemo, type JSX } from 'solid-js';
import { parseMarkdown, type Inline } from '../lib/markdown';

function InlineNodes(props: { nodes: Inline[] }): JSX.Element {
  return (
    <For each={props.nodes}>
      {(node) => (
        <Switch>
          <Match when={node.type === 'text' && node}>{(n) => n().text}</Match>
          <Match when={node.type === 'br'}>
            <br />
          </Match>
          <Match when={node.type === 'code' && node}>{(n) => <code>{n().text}</code>}</Match>
          <Match when={node.type === 'strong' && node}>
            {(n) => (
              <strong>
                <InlineNodes nodes={n().children} />
              </strong>
            )}
          </Match>
          <Match when={node.type === 'em' && node}>
            {(n) => (
              <em>
                <InlineNodes nodes={n().children} />
              </em>
            )}
          </Match>
          <Match when={node.type === 'link' && node}>
            {(n) => (
              <a href={n().href} target="_blank" rel="noopener noreferrer nofollow">
                <InlineNodes nodes={n().children} />
              </a>
            )}
          </Match>
        </Switch>
      )}
    </For>
  );
}

export function Markdown(props: { text: string | null | undefined }): JSX.Element {
  const blocks = createMemo(() => parseMarkdown(props.text));
  return (
    <div class="md">
      <For each={blocks()}>
        {(block) => (
          <Switch>
            <Match when={block.type === 'paragraph' && block}>
              {(b) => (
                <p>
                  <InlineNodes nodes={b().children} />
                </p>
              )}
            </Match>
            <Match when={block.type === 'code_block' && block}>
              {(b) => (
                <pre>
                  <code>{b().text}</code>
                </pre>
              )}
            </Match>
            <Match when={block.type === 'list' && block}>
              {(b) => (
                <ul>
                  <For each={b().items}>
                    {(item) => (
                      <li>
                        <InlineNodes nodes={item} />
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Match>
          </Switch>
        )}
      </For>
    </div>
  );
}
