import QRCode from 'qrcode';
import { encodeQrPayload, generateAlertKeyPair } from '@cradle/core';
import { qrSegments } from '@cradle/holder';
import { createCradleWorld } from '../lib/cradle-world.js';
import { figure } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

function qrVersion(payload: string): number {
  return QRCode.create(qrSegments(payload), { errorCorrectionLevel: 'M' }).version;
}

/**
 * QR payload sizes of a typical birth credential and a checkpoint presentation (also with the guardian's
 * name and identity document, as a border check carries them), and the QR version at M. The registrar
 * has a checkpoint alert key, so its birth credentials carry the child-protection alert entry (the
 * largest case: ~150 characters more than without).
 */
export async function qrFigures(): Promise<Figure[]> {
  const world = await createCradleWorld({ alertRecipients: [(await generateAlertKeyPair()).publicJwk] });
  try {
    const credential = encodeQrPayload(world.birthJwt);
    const presentation = (await world.wallet.present({ child: world.child, nonce: 'n0nce-123456', domain: 'checkpoint.example' })).qr;
    const cv = qrVersion(credential);
    const pv = qrVersion(presentation);
    // The same child and guardian with SD-JWT VC credentials, presented with only name, date of birth and
    // guardians disclosed (each credential bound to the checkpoint with a key-binding JWT).
    const sdChild = (await world.wallet.createDid({ label: 'sd-jwt-child' })).did;
    for (const issued of [
      await world.registrar.issueBirthRegistration({ subject: sdChild, claims: world.claims, format: 'sd-jwt-vc' }),
      await world.registrar.issueGuardianship({ subject: sdChild, guardians: [{ id: world.guardian, role: 'mother' }], format: 'sd-jwt-vc' }),
    ]) {
      await world.wallet.importCredential(issued.jwt);
    }
    const minimal = (await world.wallet.present({ child: sdChild, nonce: 'n0nce-123456', domain: 'checkpoint.example' })).qr;
    const mv = qrVersion(minimal);
    // What a border check carries (Annex VII.6): the guardian's name and identity document in the guardianship.
    const named = await world.registrar.issueGuardianship({
      subject: world.child,
      guardians: [{ id: world.guardian, role: 'mother', name: 'Achieng Otieno Example', document: { type: 'passport', country: 'KE', number: 'AK1234567' } }],
    });
    await world.wallet.importCredential(named.jwt);
    const presented = await world.wallet.present({ child: world.child, nonce: 'n0nce-123456', domain: 'checkpoint.example' });
    if (!presented.credentialIds.includes(named.id)) throw new Error('bench: the wallet did not present the guardianship that names the guardian');
    const withDocument = presented.qr;
    const dv = qrVersion(withDocument);
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
      figure({
        name: 'QR: SD-JWT VC presentation, name + date of birth + guardians disclosed (VP + 2 SD-JWT+KB)',
        value: mv,
        unit: 'QR version (M)',
        baseline: null,
        baselineValue: null,
        notes: `${minimal.length} characters (vc+jwt presentation: ${presentation.length})`,
      }),
      figure({
        name: 'QR: checkpoint presentation, guardian named with identity document',
        value: dv,
        unit: 'QR version (M)',
        baseline: null,
        baselineValue: null,
        notes: `${withDocument.length} characters`,
      }),
    ];
  } finally {
    await world.close();
  }
}
