/**
 * One Chromium (Debian's, driven by playwright-core) with a fresh profile, a fake camera fed from a
 * file, and its own static server for the built app, so a test can take the server away.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { serveStatic } from './static-server.js';
import type { StaticServer } from './static-server.js';

/** Where Chromium lives; CI installs Debian's `chromium` package there. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A phone-sized viewport (CSS pixels) at 1x, which keeps screenshots small. */
export const VIEWPORT = { width: 400, height: 820 };

/** An open browser session. */
export interface Session {
  context: BrowserContext;
  page: Page;
  server: StaticServer;
  /** Uncaught errors thrown in the page. A passing test expects none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Opens a browser on the app in `distDir`. `video` feeds the fake camera (Y4M or MJPEG file). */
export async function openSession(distDir: string, video?: string): Promise<Session> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's "chromium" package or set CHROMIUM_PATH`);
  }
  const server = await serveStatic(distDir);
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'cradle-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    ...(video ? [`--use-file-for-fake-video-capture=${video}`] : []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      permissions: ['camera'],
      serviceWorkers: 'allow',
    });
  } catch (e) {
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    context,
    page,
    server,
    pageErrors,
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Loads the app and waits until it has started. */
export async function loadApp(session: Session): Promise<void> {
  await session.page.goto(session.server.url);
  await session.page.waitForSelector('body[data-ready="true"]');
}

/** Sets the checkpoint's governance authority in Setup > Checkpoint settings, as a supervisor would. */
export async function setGovernance(page: Page, did: string): Promise<void> {
  await page.getByText('Checkpoint settings').click();
  await page.getByLabel('Governance authority (DID)').fill(did);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForFunction(() => document.querySelector('#setup-message')?.textContent === 'Settings saved.');
}

/** Imports the trust bundle file through the Setup screen, as an officer would. */
export async function importBundle(page: Page, bundlePath: string): Promise<void> {
  await page.locator('#bundle-file').setInputFiles(bundlePath);
  await page.waitForFunction(() => document.querySelector('#setup-message')?.textContent?.startsWith('Trust bundle imported'));
}

/**
 * The Log screen's text once it shows `newest` (its list is filled after an IndexedDB read, so reading it
 * right after the click raced the read and saw an empty list on a loaded machine). If it never does, the
 * text as it is, for the caller's assertion to report.
 */
export async function readLog(page: Page, newest: RegExp): Promise<string> {
  await page
    .waitForFunction((source) => new RegExp(source).test((document.querySelector('#log-list') as HTMLElement | null)?.innerText ?? ''), newest.source, { timeout: 10_000 })
    .catch(() => undefined);
  return page.locator('#log-list').innerText();
}

/** Waits for the verdict screen and returns what it shows. */
export async function readVerdict(page: Page): Promise<{ outcome: string; title: string; codes: string[]; text: string }> {
  await page.waitForSelector('body[data-screen="verdict"]', { timeout: 30_000 });
  const section = page.locator('#screen-verdict');
  return {
    outcome: (await section.getAttribute('data-outcome')) ?? '',
    title: (await page.locator('#verdict-title').textContent()) ?? '',
    codes: await page.locator('#verdict-problem-list li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.code ?? '')),
    text: (await section.innerText()).replace(/\s+/g, ' '),
  };
}
