/**
 * Decode rate of dense presentation QR codes in Chromium: the app's decoder (ZXing-C++ WebAssembly)
 * against jsQR (the app's decoder before), on the same pictures. The pictures are real guardian
 * presentations (2 credentials; 3 with a travel consent), rendered as the wallet renders them (QR level M,
 * alphanumeric), at 3 and 4 pixels per module, clean and degraded (packages/checkpoint-app/test/e2e/qr-pictures.ts).
 */
import path from 'node:path';
import { qrSegments } from '@cradle/holder';
import { openSession } from '../../packages/checkpoint-app/test/e2e/browser-session.js';
import { buildHarness } from '../../packages/checkpoint-app/test/e2e/build-app.js';
import type { AppFixtures } from '../../packages/checkpoint-app/test/e2e/fixtures.js';
import { DEGRADATIONS, renderQr } from '../../packages/checkpoint-app/test/e2e/qr-pictures.js';
import { median } from '../lib/measure.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

/**
 * Pixels per QR module in the clean picture: 3 is a version-25 code filling about half the height of a
 * 720p camera frame (arm's length), 4 a little closer.
 */
const PX_PER_MODULE = [3, 4] as const;
const PAYLOADS = 8;

/** Decode rate before (jsQR) and after (ZXing) per degradation, as figures. */
export async function decodeRateFigures(fx: AppFixtures, work: string): Promise<Figure[]> {
  const outDir = path.join(work, 'decoder-harness');
  await buildHarness('decoder-harness', outDir);
  const payloads: string[] = [];
  for (let i = 0; i < PAYLOADS; i++) {
    const challenge = { nonce: `bench-nonce-${i}-${'x'.repeat(10)}`, domain: 'busia.checkpoint.example' };
    payloads.push(await fx.present(challenge, new Date(), i % 2 === 1 ? { consent: 'valid' } : {}));
  }
  const versions = payloads.map((p) => renderQr(qrSegments(p), 1, 'M').version);
  const s = await openSession(outDir);
  try {
    await s.page.goto(s.server.url);
    await s.page.waitForFunction(() => (window as unknown as { decoderHarness?: unknown }).decoderHarness !== undefined);
    const rows: { name: string; jsqr: number; zxing: number }[] = [];
    const jsqrMs: number[] = [];
    const zxingMs: number[] = [];
    for (const [v, variant] of DEGRADATIONS.flatMap((d) => PX_PER_MODULE.map((px) => [px, d] as const))) {
      let jsqr = 0;
      let zxing = 0;
      for (const [i, img] of payloads.map((p) => renderQr(qrSegments(p), v, 'M')).entries()) {
        const picture = variant.apply(img, 1000 + i);
        const r = await s.page.evaluate(
          ([b64, w, h]) => (window as unknown as { decoderHarness: { decode(b: string, w: number, h: number): Promise<{ jsqr: string | null; zxing: string[]; jsqrMs: number; zxingMs: number }> } }).decoderHarness.decode(b64, w, h),
          [Buffer.from(picture.luma).toString('base64'), picture.width, picture.height] as const,
        );
        if (r.jsqr === payloads[i]) jsqr++;
        if (r.zxing.includes(payloads[i]!)) zxing++;
        jsqrMs.push(r.jsqrMs);
        zxingMs.push(r.zxingMs);
      }
      rows.push({ name: `${variant.name} ${v} px`, jsqr, zxing });
    }
    const total = (k: 'jsqr' | 'zxing') => rows.reduce((a, r) => a + r[k], 0);
    const n = rows.length * payloads.length;
    const perVariant = rows.map((r) => `${r.name} ${r.zxing}/${payloads.length} (jsQR ${r.jsqr})`).join('; ');
    console.log(`\n  decode rate, ZXing vs jsQR: ${perVariant}\n  QR versions ${Math.min(...versions)}-${Math.max(...versions)}; decode median ZXing ${round(median(zxingMs), 0)} ms, jsQR ${round(median(jsqrMs), 0)} ms`);
    return [
      figure({
        name: 'Checkpoint app (Chromium): dense presentation QR decode rate, clean and degraded pictures',
        value: round((100 * total('zxing')) / n, 1),
        unit: '%',
        baseline: 'jsQR (the app before)',
        baselineValue: round((100 * total('jsqr')) / n, 1),
        notes: `${n} pictures: ${payloads.length} real presentations (QR versions ${Math.min(...versions)}-${Math.max(...versions)}, level M) x ${DEGRADATIONS.length} variants x ${PX_PER_MODULE.join(' and ')} px/module; ZXing (jsQR): ${perVariant}; median decode ZXing ${round(median(zxingMs), 0)} ms, jsQR ${round(median(jsqrMs), 0)} ms (CPU not throttled)`,
      }),
    ];
  } finally {
    await s.close();
  }
}
