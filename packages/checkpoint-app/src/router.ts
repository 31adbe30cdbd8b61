/**
 * Screen switching: one screen visible at a time, its action row at the bottom, focus on its heading,
 * `body[data-screen]` for styles and tests. Screens hook in with `enter`/`leave`.
 */
import { SCREENS } from './app-state.js';
import type { Screen } from './app-state.js';
import { byId } from './dom.js';
import { t } from './i18n/i18n.js';

/** What a screen does when it is shown or hidden. */
export interface ScreenController {
  enter?(): void;
  leave?(): void;
  /** Redraws what the screen wrote itself, in the current language (static texts are done already). */
  retranslate?(): void;
}

/** The action row each screen shows at the bottom. */
const ACTIONS: Record<Screen, string> = {
  setup: 'actions-main',
  log: 'actions-main',
  scan: 'actions-scan',
  challenge: 'actions-challenge',
  verdict: 'actions-verdict',
};

/** The router: `show` a screen, and the screen the Back button returns to. */
export interface Router {
  show(next: Screen): void;
  /** Redraws the current screen (after a language change), without moving focus. */
  refresh(): void;
  readonly current: Screen;
  /** Where Back goes: the last screen before the current flow (never Scan itself). */
  backTarget(): Screen;
}

/** Creates the router over the screens' controllers. */
export function createRouter(controllers: Partial<Record<Screen, ScreenController>>): Router {
  let current: Screen = 'setup';
  let returnTo: Screen = 'setup';
  const show = (next: Screen) => {
    if (next !== current) controllers[current]?.leave?.();
    if (next !== 'verdict' && next !== current) returnTo = current === 'verdict' ? returnTo : current;
    current = next;
    for (const s of SCREENS) byId(`screen-${s}`, HTMLElement).hidden = s !== next;
    for (const row of new Set(Object.values(ACTIONS))) byId(row, HTMLElement).hidden = row !== ACTIONS[next];
    document.title = `${t().screenTitles[next]} · ${t().appName}`;
    document.body.dataset.screen = next;
    byId(next === 'verdict' ? 'verdict-heading' : `${next}-title`, HTMLElement).focus();
    controllers[next]?.enter?.();
  };
  return {
    show,
    refresh() {
      document.title = `${t().screenTitles[current]} · ${t().appName}`;
      for (const controller of Object.values(controllers)) controller.retranslate?.();
    },
    get current() {
      return current;
    },
    backTarget: () => (returnTo === 'scan' ? 'setup' : returnTo),
  };
}
