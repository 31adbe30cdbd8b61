import QRCode from 'qrcode';
import { encodeQrPayload } from '@cradle/core';
import { qrSegments } from '@cradle/holder';
import { createCradleWorld } from '../lib/cradle-world.js';
import { figure } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

function qrVersion(payload: string): number {
  return QRCode.create(qrSegments(payload), { errorCorrectionLevel: 'M' }).version;
}

/** QR payload sizes of a typical birth credential and a checkpoint presentation, and the QR version at M. */
export async function qrFigures(): Promise<Figure[]> {
  const world = await createCradleWorld();
  try {
    const credential = encodeQrPayload(world.birthJwt);
    const presentation = (await world.wallet.present({ child: world.child, nonce: 'n0nce-123456', domain: 'checkpoint.example' })).qr;
    const cv = qrVersion(credential);
    const pv = qrVersion(presentation);
    return [
      figure({
        name: 'QR: birth-registration credential',
        value: cv,
        unit: 'QR version (M)',
        baseline: null,
        baselineValue: null,
        notes: `${credential.length} characters (compact JWS: ${world.birthJwt.length})`,
      }),
      figure({
        name: 'QR: checkpoint presentation (VP + 2 credentials)',
        value: pv,
        unit: 'QR version (M)',
        baseline: null,
        baselineValue: null,
        notes: `${presentation.length} characters`,
      }),
    ];
  } finally {
    await world.close();
  }
}
