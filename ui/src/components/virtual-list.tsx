/**
 * A windowed list for thousands of rows of fixed height: only the rows in view
 * (plus a margin) are in the DOM. Calls `onNearEnd` when the user scrolls
 * close to the bottom (load the next page), and keeps `activeIndex` in view.
 */
import { For, createEffect, createMemo, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';

export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  activeIndex?: number;
  onNearEnd?: () => void;
  label: string;
  children: (item: T, index: () => number) => JSX.Element;
  footer?: JSX.Element;
}): JSX.Element {
  let el!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [height, setHeight] = createSignal(600);
  const overscan = 6;
  const range = createMemo(() => {
    const start = Math.max(0, Math.floor(scrollTop() / props.rowHeight) - overscan);
    const end = Math.min(props.items.length, Math.ceil((scrollTop() + height()) / props.rowHeight) + overscan);
    return { start, end };
  });
  // Same item references from render to render: <For> keeps their rows' DOM while scrolling.
  const visible = createMemo(() => props.items.slice(range().start, range().end));

  const check = (): void => {
    if (props.onNearEnd && el.scrollTop + el.clientHeight >= el.scrollHeight - props.rowHeight * 8) props.onNearEnd();
  };
  onMount(() => {
    setHeight(el.clientHeight || 600);
    const ro = new ResizeObserver(() => {
      setHeight(el.clientHeight || 600);
      check();
    });
    ro.observe(el);
    onCleanup(() => ro.disconnect());
  });
  // A short first page may not fill the view: ask for more.
  createEffect(
    on(
      () => props.items.length,
      () => queueMicrotask(check),
    ),
  );
  createEffect(
    on(
      () => props.activeIndex,
      (index) => {
        if (index === undefined || index < 0) return;
        const top = index * props.rowHeight;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + props.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + props.rowHeight - el.clientHeight;
      },
    ),
  );

  return (
    <div
      ref={el}
      class="virtual-list"
      role="list"
      aria-label={props.label}
      onScroll={() => {
        setScrollTop(el.scrollTop);
        check();
      }}
    >
      <div style={{ height: `${props.items.length * props.rowHeight}px`, position: 'relative' }}>
        <For each={visible()}>
          {(item, i) => {
            const index = (): number => range().start + i();
            return (
              <div
                role="listitem"
                style={{ position: 'absolute', top: `${index() * props.rowHeight}px`, left: 0, right: 0, height: `${props.rowHeight}px` }}
              >
                {props.children(item, index)}
              </div>
            );
          }}
        </For>
      </div>
      {props.footer}
    </div>
  );
}
