// The printed certificate end to end, through the real `cradle` command on the real local chain
// (Hardhat EDR): print, rasterise the PDF with poppler's pdftoppm as a scanner would (150 and 100 dpi),
// verify the image at a checkpoint; then correct the record, publish, sync: the old paper is REVOKED.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cradleWithSecret, realChainTestbed } from './helpers/e2e.js';
import { REPO } from './helpers/run-cradle.js';

const SECRET = 'certificate-e2e-secret-0123456789abcdef';
const SLOW = 900_000;
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const MOTHER = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';

const { cradle, ok } = cradleWithSecret(SECRET);
const bed = realChainTestbed('cradle-certificate-e2e-', SECRET);

interface PaperVerdict {
  outcome: string;
  kind: string;
  bearer: boolean;
  errors: { code: string; where?: string; message: string }[];
  facts?: { child?: { givenName: string } };
  seals: { where: string; kind: string; outcome: string }[];
  accompanying: { did: string; role?: string; name?: string; document?: { type: string; country: string; number: string } }[];
}

async function verifyImage(home: string, image: string, human = false): Promise<{ code: number | null; result: PaperVerdict; text: string }> {
  const json = await cradle(['checkpoint', 'verify', image, '--home', home, '--json']);
  const text = human ? (await cradle(['checkpoint', 'verify', image, '--home', home])).stdout : '';
  return { code: json.code, result: JSON.parse(json.stdout) as PaperVerdict, text };
}

/** Rasterise page 1 of a PDF as a scanner at `dpi` would (pdftoppm, poppler-utils). */
function scan(pdf: string, dpi: number, format: 'png' | 'jpeg'): string {
  const out = `${pdf}-${dpi}dpi`;
  execFileSync('pdftoppm', ['-r', String(dpi), `-${format}`, '-singlefile', pdf, out]);
  return `${out}.${format === 'png' ? 'png' : 'jpg'}`;
}

describe('the printed birth certificate, end to end on the real chain', () => {
  it(
    'print -> scan at 150 and 100 dpi -> verify valid with the adults who may accompany the child; correct -> publish -> sync -> the old paper is REVOKED',
    async () => {
      const { dir, ledgerFile, port } = await bed.start();
      const reg = join(dir, 'registrar');
      const cp = join(dir, 'checkpoint');
      const claimsFile = join(REPO, 'examples/data/birth-registration.json');

      const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', `http://127.0.0.1:${port}`])) as { did: string };
      const birth = (await ok(['registrar', 'issue', '--home', reg, '--subject', CHILD, '--claims', claimsFile])) as { id: string };
      // The mother as the registrar recorded her: name and passport (what the officer compares).
      const guardians = join(dir, 'guardians.json');
      await writeFile(guardians, JSON.stringify([{ id: MOTHER, role: 'mother', name: 'Achieng Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } }]));
      await ok(['registrar', 'guardianship', '--home', reg, '--subject', CHILD, '--guardians', guardians]);

      // Print twice: the same file (no new credential per print).
      const pdf = join(dir, 'certificate.pdf');
      const printed = (await ok(['registrar', 'certificate', birth.id, '--home', reg, '--out', pdf])) as { bytes: number };
      expect(printed.bytes).toBeGreaterThan(10_000);
      const again = join(dir, 'again.pdf');
      await ok(['registrar', 'certificate', birth.id, '--home', reg, '--out', again, '--lang', 'en']);
      expect((await readFile(again)).equals(await readFile(pdf))).toBe(true);

      // Bad input: clear errors, nothing written.
      const unknown = await cradle(['registrar', 'certificate', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--home', reg, '--out', join(dir, 'unknown.pdf')]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/NOT_FOUND.*No credential with id/);
      expect(existsSync(join(dir, 'unknown.pdf'))).toBe(false);
      const unwritable = await cradle(['registrar', 'certificate', birth.id, '--home', reg, '--out', join(dir, 'no-such-folder', 'c.pdf')]);
      expect(unwritable.code).toBe(1);
      expect(unwritable.stderr).toMatch(/INVALID_ARGUMENT.*does not exist/);

      await ok(['registrar', 'publish', '--home', reg]);
      await bed.serve(reg);
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d']);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
      expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);

      // A scan at office quality: both seals read from one image, verified as a bearer check.
      for (const [dpi, format] of [[150, 'png'], [100, 'png'], [100, 'jpeg']] as const) {
        const image = scan(pdf, dpi, format);
        const human = dpi === 150;
        const { code, result, text } = await verifyImage(cp, image, human);
        expect(result.errors, `${dpi} dpi ${format}`).toEqual([]);
        expect(code).toBe(0);
        expect(result).toMatchObject({ outcome: 'valid', kind: 'certificate', bearer: true, facts: { child: { givenName: 'Amina Wanjiru' } } });
        expect(result.seals.map((s) => [s.kind, s.outcome])).toEqual([
          ['birth-registration', 'valid'],
          ['guardianship', 'valid'],
        ]);
        expect(result.accompanying).toEqual([{ did: MOTHER, role: 'mother', name: 'Achieng Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } }]);
        if (human) {
          expect(text).toMatch(/^VALID[\s\S]*Bearer check: whoever holds this paper/);
          expect(text).toMatch(/Adults who may accompany the child[\s\S]*mother: Achieng Otieno\. Check their passport \(KE\) number AK1234567/);
        }
      }

      // The record is corrected: the old credential is revoked, a new certificate is printed.
      const corrected = join(dir, 'corrected.json');
      await writeFile(corrected, JSON.stringify({ ...JSON.parse(await readFile(claimsFile, 'utf8')), givenName: 'Amina Wanjiku' }));
      const replacement = (await ok(['registrar', 'correct', birth.id, '--home', reg, '--claims', corrected])) as { id: string; replaces: string };
      expect(replacement.replaces).toBe(birth.id);
      const refused = await cradle(['registrar', 'certificate', birth.id, '--home', reg, '--out', join(dir, 'old.pdf')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/CONFLICT.*revoked.*not printed/);
      expect(refused.stderr).toContain(replacement.id);
      expect(readdirSync(dir).filter((f) => f.startsWith('old.pdf'))).toEqual([]);
      await ok(['registrar', 'certificate', replacement.id, '--home', reg, '--out', join(dir, 'new.pdf')]);

      await ok(['registrar', 'publish', '--home', reg]);
      await ok(['checkpoint', 'sync', '--home', cp]);
      await bed.goOffline();

      // Offline: the old paper answers REVOKED (and names no adults); the new one is valid.
      const old = await verifyImage(cp, scan(pdf, 100, 'png'), true);
      expect(old.code).toBe(1);
      expect(old.result.outcome).toBe('invalid');
      // Seals are numbered in the order the image reader found them: the birth seal is the revoked one.
      const birthSeal = old.result.seals.find((x) => x.kind === 'birth-registration')?.where;
      expect(old.result.errors.map((e) => [e.code, e.where])).toEqual([['REVOKED', birthSeal]]);
      expect(old.text).toMatch(/^INVALID/);
      const fresh = await verifyImage(cp, scan(join(dir, 'new.pdf'), 100, 'png'));
      expect(fresh.result.errors).toEqual([]);
      expect(fresh.result.facts?.child?.givenName).toBe('Amina Wanjiku');
    },
    SLOW,
  );
});
