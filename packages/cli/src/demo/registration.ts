import type { Registrar } from '@cradle/issuer';
import type { DemoWorld } from './context.js';
import { formatMs } from './narrator.js';
import type { Narrator } from './narrator.js';
import { loadDemoClaims } from './setup.js';
import { short, summarizeOutbox } from './describe.js';

/** Step: the registrar issues a birth and a guardianship credential per child. */
export async function registerChildren(n: Narrator, registrar: Registrar, wallet: DemoWorld['wallet']): Promise<DemoWorld['issued']> {
  const claims = await loadDemoClaims();
  return n.step('Register the three children and record their guardianship', async () => {
    const out: DemoWorld['issued'] = [];
    for (const [i, child] of wallet.children.entries()) {
      const c = claims[i]!;
      const t = performance.now();
      const birth = await registrar.issueBirthRegistration({ subject: child, claims: c });
      const ms = performance.now() - t;
      // The registrar records each adult's name and identity document: what a border officer compares.
      const mother = { id: wallet.guardian, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } };
      const father = { id: wallet.father, role: 'father', name: 'Peter Ochieng Otieno', document: { type: 'national-id', country: 'KE', number: 'KE30556172' } };
      const guardianship = await registrar.issueGuardianship({ subject: child, guardians: i === 0 ? [mother, father] : [mother] });
      const name = `${String(c.givenName)} ${String(c.familyName)}`;
      n.say(`${name}, born ${String(c.birthDate)}: credential ${short(birth.id)} signed and stored in ${formatMs(ms)}.`);
      out.push({ birth: birth.jwt, guardianship: guardianship.jwt, birthId: birth.id, name });
    }
    return out;
  });
}

/** Step: the guardian's wallet imports every issued credential. */
export async function importIntoWallet(n: Narrator, wallet: DemoWorld['wallet'], issued: DemoWorld['issued']): Promise<void> {
  await n.step("The guardian's wallet imports the credentials", async () => {
    for (const c of issued) {
      await wallet.w.importCredential(c.birth);
      await wallet.w.importCredential(c.guardianship);
    }
    const held = await wallet.w.listCredentials();
    n.say(`The wallet now holds ${held.length} credentials for ${wallet.children.length} children.`);
  });
}

/** Step: sign the status lists and anchor their digests. */
export async function publishAndAnchor(n: Narrator, registrar: Registrar): Promise<void> {
  await n.step('Publish the status lists and anchor their digests on the ledger', async () => {
    const published = await registrar.publish();
    const report = await registrar.processOutbox();
    n.say(`${published.length} signed status lists published; anchors confirmed: ${JSON.stringify(summarizeOutbox(report))}.`);
    n.say('On the ledger: only list digests and version numbers. No names, no child DIDs.');
  });
}
