import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField as t } from '../../output.js';
import { withWallet } from './home.js';

interface RespondCommandOptions extends CommonOptions {
  child?: string;
  guardian?: string;
  allowHttp?: boolean;
}

/** `cradle wallet respond REQUEST_URI`: answer an OpenID4VP request with a checkpoint presentation. */
export function registerRespondCommand(wallet: Command): void {
  withCommonOptions(wallet.command('respond'), 'wallet', { secret: true })
    .description("answer a verifier's OpenID4VP request (the openid4vp:// QR code or link) with the child's birth and guardianship credentials")
    .argument('<request-uri>', 'openid4vp://?client_id=redirect_uri:…&dcql_query=… (an unsigned request)')
    .option('--child <did|label>', 'the child to present; default: the only child in the wallet')
    .option('--guardian <did|label>', 'the guardian who signs, when several are held')
    .option('--allow-http', 'accept a verifier on plain http (tests, closed networks only)')
    .action(
      action(async (request: string, common: CommonOptions) => {
        const opts = common as RespondCommandOptions;
        return withWallet(opts, 'error', async (w) => {
          const r = await w.respond(request, {
            ...(opts.child === undefined ? {} : { child: opts.child }),
            ...(opts.guardian === undefined ? {} : { guardian: opts.guardian }),
            ...(opts.allowHttp === true ? { allowHttp: true } : {}),
          });
          return {
            json: { verifier: r.verifier, responseUri: r.responseUri, answered: r.answered, ...(r.redirectUri === undefined ? {} : { redirectUri: r.redirectUri }) },
            text: [`Presented to ${t(r.verifier)} (${t(r.answered.join(', '))}).`, ...(r.redirectUri === undefined ? [] : [`  Continue at: ${t(r.redirectUri)}`])].join('\n'),
          };
        });
      }),
    );
}
