/**
 * Screen switching: one screen visible at a time, its action row at the bottom, focus on its heading,
 * `body[data-screen]` for styles and tests. Screens hook in with `enter`/`leave`.
 */
import { SCREENS } from './app-state.js';
import type { Screen } from './app-state.js';
import { byId } from './dom.js';

/** What a screen does when it is shown or hidden. */
export interface ScreenController {
  enter?(): void;
  leave?(): void;
}

const TITLES: Record<Screen, string> = {
  setup: 'Setup',
  scan: 'Scan',
  challenge: 'Check a guardian',
  verdict: 'Verdict',
  log: 'Log',
};

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
    document.title = `${TITLES[next]} · Cradle checkpoint`;
    document.body.dataset.screen = next;
    byId(next === 'verdict' ? 'verdict-heading' : `${next}-title`, HTMLElement).focus();
    controllers[next]?.enter?.();
  };
  return {
    show,
    get current() {
      return current;
    },
    backTarget: () => (returnTo === 'scan' ? 'setup' : returnTo),
  };
}
