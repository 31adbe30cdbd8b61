/**
 * Day and night: the app follows the phone's dark-mode setting (prefers-color-scheme, in styles.css);
 * the Night button forces a dim dark theme for posts at night, and is remembered on this phone.
 */
const KEY = 'cradle-checkpoint-theme';

/** The forced theme, or undefined to follow the phone. */
export type Theme = 'night' | 'day';

function saved(): Theme | undefined {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'night' || v === 'day' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** True when the page is dark now (forced night, or the phone's dark mode without a forced day). */
export function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'night') return true;
  if (forced === 'day') return false;
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Applies the remembered theme to `<html data-theme>`. */
export function applySavedTheme(): void {
  const theme = saved();
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** Forces `theme` and remembers it. */
export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Applied, not remembered.
  }
}
