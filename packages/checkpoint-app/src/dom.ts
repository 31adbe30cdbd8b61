/** Tiny DOM helpers: the app has no UI framework, so these keep the screens' code short. */
import { displayText } from '@cradle/core';

/** The element with `id`, checked against `type`; throws when the page and the code disagree. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return el;
}

/**
 * Creates an element with text content and optional class. Text only: never parses HTML, and the text
 * goes through `displayText` (textContent stops markup, not bidi overrides or control characters).
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = displayText(text);
  if (className !== undefined) node.className = className;
  return node;
}

/** Shows a status message in `node` (a live region); `error` styles it as a problem. Sanitized: messages can echo input. */
export function setMessage(node: HTMLElement, text: string, kind: 'info' | 'error' = 'info'): void {
  node.textContent = displayText(text);
  node.dataset.kind = kind;
}

/** The message of anything thrown. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
