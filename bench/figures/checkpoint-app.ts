/**
 * The checkpoint web app in Chromium with the CPU slowed 4x (CDP `Emulation.setCPUThrottlingRate`, a
 * cheap phone): verification time of a bare credential and of a guardian presentation (two credentials),
 * as the app measures it around the verifier, through the officer's own path (paste, check, verdict);
 * and app start to a usable screen with no network (service worker, IndexedDB); then the QR decode rate
 * on dense, degraded presentation pictures, the app's decoder against jsQR (decode-rate.ts).
 * Needs Debian's Chromium (`/usr/bin/chromium` or CHROMIUM_PATH). Run alone: `pnpm bench -- --only=checkpoint-app`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { importBundle, loadApp, openSession, readVerdict, setGovernance } from '../../packages/checkpoint-app/test/e2e/browser-session.js';
import { buildApp } from '../../packages/checkpoint-app/test/e2e/build-app.js';
import { createFixtures } from '../../packages/checkpoint-app/test/e2e/fixtures.js';
import { median, quantile } from '../lib/measure.js';
import { decodeRateFigures } from './decode-rate.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const CPU_SLOWDOWN = 4;

export async function checkpointAppFigures(): Promise<Figure[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'cradle-bench-app-'));
  const distDir = path.join(work, 'dist');
  await buildApp(distDir);
  const fx = await createFixtures(work, new Date());
  const s = await openSession(distDir);
  try {
    const { page } = s;
    await loadApp(s);
    await setGovernance(page, fx.governanceDid);
    await importBundle(page, fx.bundlePath);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await s.context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    // The figures are wall-clock times: on a shared machine they include waiting for a core, so the load
    // goes into the notes.
    const loadBefore = loadavg()[0]!;

    const elapsed = async () => Number(await page.locator('#screen-verdict').getAttribute('data-elapsed-ms'));
    const credential: number[] = [];
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    for (let i = 0; i < 105; i++) {
      await page.locator('#paste-text').fill(fx.qr.valid);
      await page.locator('#paste-form button[type="submit"]').click();
      const v = await readVerdict(page);
      if (v.outcome !== 'valid') throw new Error(`bench: the app answered ${v.outcome}: ${v.text}`);
      if (i >= 5) credential.push(await elapsed()); // the first checks warm the JIT and the store cache
      await page.getByRole('button', { name: 'Scan next' }).click();
    }
    await page.locator('#actions-scan button[data-go="back"]').click();

    const presentation: number[] = [];
    for (let i = 0; i < 55; i++) {
      await page.locator('button[data-go="challenge"]').click();
      await page.waitForSelector('#challenge-qr svg');
      const challenge = { nonce: await page.locator('#challenge-nonce').innerText(), domain: await page.locator('#challenge-domain').innerText() };
      await page.locator('#challenge-scan').click();
      await page.locator('#paste-text').fill(await fx.present(challenge, new Date()));
      await page.locator('#paste-form button[type="submit"]').click();
      const v = await readVerdict(page);
      if (v.outcome !== 'valid') throw new Error(`bench: the app answered ${v.outcome} for a presentation: ${v.text}`);
      if (i >= 5) presentation.push(await elapsed());
      await page.locator('#actions-verdict button[data-go="setup"]').click();
    }

    // Start with no network: the server is gone and the browser offline; the service worker serves the app.
    await s.server.close();
    await s.context.setOffline(true);
    const starts: number[] = [];
    for (let i = 0; i < 12; i++) {
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      const ready = await page.evaluate(() => performance.getEntriesByName('cradle-ready')[0]?.startTime ?? NaN);
      if (i >= 2) starts.push(ready);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const load = `load average ${round(loadBefore, 1)} -> ${round(loadavg()[0]!, 1)} on ${cpus().length} cores`;

    const pct = (xs: number[]) => `p50 ${round(median(xs), 0)} ms, p99 ${round(quantile(xs, 0.99), 0)} ms, max ${round(Math.max(...xs), 0)} ms, n=${xs.length}`;
    console.log(`\n  credential: ${pct(credential)}\n  presentation: ${pct(presentation)}\n  start offline: ${pct(starts)}\n  ${load}`);
    const timings = [
      figure({
        name: `Checkpoint app (Chromium, CPU ${CPU_SLOWDOWN}x slower): verify a credential, p99`,
        value: round(quantile(credential, 0.99), 0),
        unit: 'ms',
        baseline: null,
        baselineValue: null,
        notes: `${pct(credential)}; ${load}`,
      }),
      figure({
        name: `Checkpoint app (Chromium, CPU ${CPU_SLOWDOWN}x slower): verify a guardian presentation (2 credentials), p99`,
        value: round(quantile(presentation, 0.99), 0),
        unit: 'ms',
        baseline: null,
        baselineValue: null,
        notes: `${pct(presentation)}; ${load}`,
      }),
      figure({
        name: `Checkpoint app (Chromium, CPU ${CPU_SLOWDOWN}x slower): start to ready, offline`,
        value: round(median(starts), 0),
        unit: 'ms',
        baseline: null,
        baselineValue: null,
        notes: `navigation start to a usable screen, service worker + IndexedDB, no network; ${pct(starts)}`,
      }),
    ];
    return [...timings, ...(await decodeRateFigures(fx, work))];
  } finally {
    await s.close();
    await rm(work, { recursive: true, force: true });
  }
}
