/**
 * The translation layer: the languages in `locales/` (found at build time: adding a language is adding
 * one file), the current one (remembered on the phone), and the static texts of index.html
 * (`data-i18n="key"`, `data-i18n-aria-label="key"`, `data-i18n-placeholder="key"`).
 */
import type { Locale, Messages } from './messages.js';

const modules = import.meta.glob<{ locale: Locale }>('./locales/*.ts', { eager: true });

/** Every language the app speaks, English first, then by code. */
export const LOCALES: readonly Locale[] = Object.values(modules)
  .map((m) => m.locale)
  .sort((a, b) => (a.code === 'en' ? -1 : b.code === 'en' ? 1 : a.code.localeCompare(b.code)));

const STORAGE_KEY = 'cradle-checkpoint-language';
const listeners = new Set<() => void>();

function byCode(code: string | null | undefined): Locale | undefined {
  if (!code) return undefined;
  const base = code.toLowerCase().split('-')[0];
  return LOCALES.find((l) => l.code === code) ?? LOCALES.find((l) => l.code === base);
}

function initialLocale(): Locale {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the phone's languages decide then.
  }
  const fromPhone = (typeof navigator === 'undefined' ? [] : navigator.languages ?? []).map(byCode).find((l) => l !== undefined);
  const english = LOCALES.find((l) => l.code === 'en');
  if (!english) throw new Error('the English locale (locales/en.ts) is missing');
  return byCode(saved) ?? fromPhone ?? english;
}

let current: Locale = initialLocale();

/** The messages of the current language. */
export function t(): Messages {
  return current.messages;
}

/** The current language. */
export function currentLocale(): Locale {
  return current;
}

/** Switches language (remembered on this phone), re-translates the page, tells the screens. */
export function setLanguage(code: string): void {
  const next = byCode(code);
  if (!next) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next.code);
  } catch {
    // Not remembered, still applied.
  }
  applyStaticTexts();
  for (const listener of listeners) listener();
}

/** Calls `listener` after every language change. */
export function onLanguageChange(listener: () => void): void {
  listeners.add(listener);
}

type StringKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

function text(key: string): string | undefined {
  const value = (current.messages as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Sets `<html lang dir>` and every `data-i18n*` text of the page to the current language. */
export function applyStaticTexts(root: ParentNode = document): void {
  document.documentElement.lang = current.code;
  document.documentElement.dir = current.dir;
  for (const node of Array.from(root.querySelectorAll<HTMLElement>('[data-i18n]'))) {
    const value = text(node.dataset.i18n ?? '');
    if (value !== undefined) node.textContent = value;
  }
  for (const [attr, data] of [['aria-label', 'i18nAriaLabel'], ['placeholder', 'i18nPlaceholder']] as const) {
    for (const node of Array.from(root.querySelectorAll<HTMLElement>(`[data-${attr === 'aria-label' ? 'i18n-aria-label' : 'i18n-placeholder'}]`))) {
      const value = text(node.dataset[data] ?? '');
      if (value !== undefined) node.setAttribute(attr, value);
    }
  }
}

/** The keys index.html may use with `data-i18n` (string messages only). */
export type StaticTextKey = StringKey;
