import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import type { CertificatePaper } from '@cradle/issuer';
import { CERTIFICATE_LANGUAGES } from '@cradle/issuer';
import { writeFileAtomic } from '../../atomic-file.js';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withRegistrar } from './home.js';

/** Refuse an `--out` that cannot be written before any work is done (the write itself is atomic too). */
async function checkOut(out: string): Promise<string> {
  const path = resolve(out);
  const dir = dirname(path);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new CradleError('INVALID_ARGUMENT', `Cannot write ${path}: the folder ${dir} does not exist.`, { details: { field: 'out' } });
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new CradleError('INVALID_ARGUMENT', `--out ${path} is a folder: give a file name such as certificate.pdf.`, { details: { field: 'out' } });
  return path;
}

/** `cradle registrar certificate`: the printable PDF birth certificate with its QR seals. */
export function registerCertificateCommand(registrar: Command): void {
  withCommonOptions(registrar.command('certificate'), 'registrar', { secret: true })
    .description('print a birth certificate (PDF) whose seals are the signed birth and guardianship credentials')
    .argument('<id>', 'id of the birth-registration credential')
    .requiredOption('--out <file>', 'PDF file to write (written whole or not at all)')
    .option('--lang <lang>', `language of the labels: ${Object.keys(CERTIFICATE_LANGUAGES).join(', ')}`, 'en')
    .option('--paper <size>', 'a4 or a5', 'a4')
    .action(
      action(async (id: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { out: string; lang: string; paper: string };
        if (opts.paper !== 'a4' && opts.paper !== 'a5') throw new CradleError('INVALID_ARGUMENT', `--paper must be a4 or a5, not "${opts.paper}".`);
        if (!Object.hasOwn(CERTIFICATE_LANGUAGES, opts.lang)) {
          throw new CradleError('INVALID_ARGUMENT', `--lang must be one of ${Object.keys(CERTIFICATE_LANGUAGES).join(', ')}, not "${opts.lang}".`);
        }
        const out = await checkOut(opts.out);
        const paper: CertificatePaper = opts.paper;
        return withRegistrar(opts, async (r) => {
          const pdf = await r.certificate(id, { lang: opts.lang, paper });
          await writeFileAtomic(out, pdf);
          return {
            json: { id, file: out, bytes: pdf.length, lang: opts.lang, paper },
            text: `Wrote ${out} (${Math.round(pdf.length / 1024)} KiB, ${paper.toUpperCase()}, labels in ${opts.lang}). Print it at 100% scale ("actual size"), not "fit to page".`,
          };
        });
      }),
    );
}
