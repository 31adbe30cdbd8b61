import type { Command } from 'commander';
import { registerAlertCommand } from './alert.js';
import { registerAuditCommand } from './audit.js';
import { registerBackupCommands } from './backup.js';
import { registerCertificateCommand } from './certificate.js';
import { registerCorrectCommand } from './correct.js';
import { registerTrustListCommand } from './governance.js';
import { registerGuardianshipCommand } from './guardianship.js';
import { registerInitCommand } from './init.js';
import { registerIssueBatchCommand } from './issue-batch.js';
import { registerIssueCommand } from './issue.js';
import { registerKeysCommands } from './keys.js';
import { registerListCommands } from './list.js';
import { registerOfferCommand } from './offer.js';
import { registerPendingCommand } from './pending.js';
import { registerPublishCommand } from './publish.js';
import { registerRevokeCommands } from './revoke.js';
import { registerServeCommand } from './serve.js';

/**
 * `cradle registrar ...`: set up a registrar, issue, revoke, publish status lists, serve HTTP.
 * One file per subcommand; a new subcommand is a new file registered here (order = help order).
 */
export function registerRegistrarCommands(program: Command): void {
  const registrar = program.command('registrar').description('registrar office: issue birth-registration credentials and manage their status');
  registerInitCommand(registrar);
  registerIssueCommand(registrar);
  registerIssueBatchCommand(registrar);
  registerGuardianshipCommand(registrar);
  registerCorrectCommand(registrar);
  registerRevokeCommands(registrar);
  registerAlertCommand(registrar);
  registerTrustListCommand(registrar);
  registerPublishCommand(registrar);
  registerPendingCommand(registrar);
  registerCertificateCommand(registrar);
  registerOfferCommand(registrar);
  registerServeCommand(registrar);
  registerBackupCommands(registrar);
  registerKeysCommands(registrar);
  registerListCommands(registrar);
  registerAuditCommand(registrar);
}
