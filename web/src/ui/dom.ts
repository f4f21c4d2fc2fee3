// A few DOM builders: the screens are plain elements, made in code, with no framework.

type Props = Record<string, string | number | boolean | ((ev: Event) => unknown) | null>;

/** An element with properties (textContent, className, onclick, …) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...kids: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  node.append(...kids);
  return node;
}

/** An input wrapped in its label, so the label names it (getByLabel, screen readers). */
export function field(label: string, input: HTMLInputElement): HTMLLabelElement {
  return el('label', {}, el('span', {}, label), input);
}

/** A button named by its text. */
export function button(text: string, onclick: () => unknown, className = ''): HTMLButtonElement {
  return el('button', { type: 'button', textContent: text, className, onclick: () => onclick() });
}

/** A status line read out by screen readers whenever its text changes. */
export function statusLine(message = '', kind: 'error' | 'info' = 'error'): HTMLParagraphElement {
  return el('p', {
    className: `status ${kind}`,
    role: kind === 'error' ? 'alert' : 'status',
    textContent: message,
  });
}

/** "1 min 05 s", or "42 s" under a minute. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const rest = String(s % 60).padStart(2, '0');
  return m > 0 ? `${m} min ${rest} s` : `${s} s`;
}

/** "m:ss", for clocks. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
