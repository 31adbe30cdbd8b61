import { randomBytes } from 'node:crypto';
import { presenterInstruction, verify } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import { DAY, DOMAIN } from './context.js';
import type { DemoWorld } from './context.js';
import { codes, describe } from './describe.js';
import { startStatusServer } from './setup.js';

/**
 * The first child's father travels alone with her to Uganda, at a border that requires the other
 * parent's consent: refused without it, valid with the mother's consent, refused towards Rwanda.
 */
export async function oneParentTrip(world: DemoWorld): Promise<void> {
  const { n, wallet, store, issued } = world;
  await n.step(`${issued[0]!.name}'s father travels alone with her to Uganda; this border requires the other parent's consent`, async () => {
    const child = wallet.children[0]!;
    const policy = { requireTravelConsent: true, destination: 'UG' } as const;
    const nonce = randomBytes(12).toString('base64url');
    const without = await wallet.w.present({ child, guardian: wallet.father, nonce, domain: DOMAIN });
    const r = await verify(without.qr, { store, nonce, domain: DOMAIN, ...policy });
    n.say(`Without the mother's consent: ${describe(r)}`);
    n.expect('one-parent trip without consent', 'invalid TRAVEL_CONSENT_MISSING', `${r.outcome} ${codes(r)}`);

    const consent = await wallet.w.consent({ child, by: wallet.guardian, traveller: wallet.father, countries: ['UG', 'TZ'], until: new Date(Date.now() + 30 * DAY * 1000) });
    n.say(`The mother signs a travel consent with her own key (Uganda, Tanzania, 30 days); the father's wallet carries it.`);
    await wallet.w.importCredential(consent.jwt);
    const nonce2 = randomBytes(12).toString('base64url');
    const withConsent = await wallet.w.present({ child, guardian: wallet.father, nonce: nonce2, domain: DOMAIN });
    const r2 = await verify(withConsent.qr, { store, nonce: nonce2, domain: DOMAIN, ...policy });
    n.say(`With it (presentation QR ${without.qr.length} -> ${withConsent.qr.length} characters): ${describe(r2)}`);
    n.say(`The officer is told: ${presenterInstruction(r2.facts?.guardian) ?? 'nothing'}`);
    n.expect('one-parent trip with consent', 'valid', r2.outcome);

    const r3 = await verify(withConsent.qr, { store, nonce: nonce2, domain: DOMAIN, requireTravelConsent: true, destination: 'RW' });
    n.say(`The same consent at a border towards Rwanda: ${describe(r3)}`);
    n.expect('consent for other countries', 'invalid TRAVEL_CONSENT_MISSING', `${r3.outcome} ${codes(r3)}`);
  });
}

/**
 * The third child is reported missing: the registrar raises an alert, publishes, the checkpoint syncs and
 * answers "alert" when her mother presents her; the alert is cleared and the same check is valid again.
 */
export async function childReportedMissing(world: DemoWorld): Promise<void> {
  const { n, wallet, store, issued, registrar, alertKey } = world;
  const child = issued[2]!;
  const check = async () => {
    const nonce = randomBytes(12).toString('base64url');
    const p = await wallet.w.present({ child: wallet.children[2]!, nonce, domain: DOMAIN });
    return verify(p.qr, { store, nonce, domain: DOMAIN });
  };
  const publishAndSync = async () => {
    world.server = await startStatusServer(registrar, world.port);
    await registrar.publish();
    await registrar.processOutbox();
    const report = await sync({ store, alertKeys: [alertKey] });
    await world.server.close();
    return report;
  };
  await n.step(`${child.name} is reported missing: the registrar raises a child-protection alert, the checkpoint syncs`, async () => {
    await registrar.alert(child.birthId, { kind: 'missing', reason: 'Reported missing by a parent, Busia police OB 7/11/2026' });
    const report = await publishAndSync();
    n.say('Every birth credential carries an alert entry at a random index; the alert list is encrypted to the checkpoints, so the family, and anyone holding the papers, cannot tell whether this child is flagged.');
    n.expect('checkpoint sync with the alert list', 'ok', report.ok ? 'ok' : `failed: ${report.failures.map((f) => f.message).join('; ')}`);
    const r = await check();
    n.say(`A guardian presents the child: ${describe(r)}`);
    n.expect('child reported missing', 'alert ALERT_MISSING_CHILD', `${r.outcome} ${(r.alerts ?? []).map((a) => a.code).join(',')}`);
  });
  await n.step(`${child.name} is found: the registrar clears the alert, the checkpoint syncs again`, async () => {
    await registrar.alert(child.birthId, { kind: null, reason: 'Found safe, back with the family' });
    const report = await publishAndSync();
    n.expect('checkpoint sync after the alert is cleared', 'ok', report.ok ? 'ok' : 'failed');
    const r = await check();
    n.say(`Answer: ${describe(r)}`);
    n.expect('alert cleared', 'valid', r.outcome);
  });
}
