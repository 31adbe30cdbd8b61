import { ALERT_STATUS_PURPOSE, alertKindOf, isRecord } from '@cradle/core';
import type { AlertKind, VerificationProblem } from '@cradle/core';
import { artefactName, humanDuration, humanTime, problem } from './messages.js';
import type { VerificationContext } from './verification-context.js';

const MAX_STATUS_ENTRIES = 8;
const INDEX_RE = /^(0|[1-9][0-9]{0,14})$/;


/** Read entry `index` of a bitstring (`statusSize` bits, most significant bit first). */
export function readStatus(bits: Uint8Array, statusSize: number, index: number): number {
  if (statusSize === 1) return (bits[index >>> 3]! >>> (7 - (index & 7))) & 1;
  let value = 0;
  const start = index * statusSize;
  for (let p = start; p < start + statusSize; p++) value = (value << 1) | ((bits[p >>> 3]! >>> (7 - (p & 7))) & 1);
  return value;
}

/**
 * Whether a credential's child-protection alert entry was checked: `checked` (from a synced alert list),
 * `no-alert-key` (this checkpoint cannot read alert lists), `no-alert-entry` (the credential has none:
 * issued before its registrar enabled alerts, or not a birth credential).
 */
export type AlertCheck = 'checked' | 'no-alert-key' | 'no-alert-entry';

/** What the status check saw. */
export interface StatusCheck {
  /** Oldest confirmation time (unix seconds) among the lists consulted. */
  asOf?: number;
  /** Alerts raised on the credential (from a list that passed every sync check, possibly stale). */
  alerts: AlertKind[];
  /** Absent when the credential has no alert entry and this checkpoint has no alert key (nothing to say). */
  alertCheck?: AlertCheck;
}

/**
 * Check every `BitstringStatusListEntry` of a credential against the cached, anchored lists.
 * Revocation is final, so a set revocation bit answers `REVOKED` even from old data; anything else
 * from data older than `maxStatusAge` (or superseded by a newer anchor this device could not fetch)
 * is `STATUS_STALE`: the answer is "cannot confirm", never "valid".
 *
 * A child-protection alert entry (`statusPurpose: "message"`, 2 bits) is checked when the checkpoint has
 * an alert key (`config.alertKeyId`): a missing alert list is `STATUS_UNKNOWN`, stale alert data is
 * `STATUS_STALE` (the same freshness rule), and a raised alert is returned in `alerts` — even from stale
 * data, since letting a flagged child through on old data is the worse mistake.
 */
export function checkCredentialStatus(
  credentialStatus: unknown,
  issuer: string,
  ctx: VerificationContext,
  now: number,
  policy: { readonly maxStatusAge: number; readonly requireRevocationEntry: boolean },
  where: string,
  problems: VerificationProblem[],
): StatusCheck {
  const alertsOn = ctx.state.config?.alertKeyId !== undefined;
  const out: StatusCheck = { alerts: [], ...(alertsOn ? { alertCheck: 'no-alert-entry' as const } : {}) };
  const { maxStatusAge } = policy;
  const entries = credentialStatus === undefined ? [] : Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  const who = artefactName(where);
  // Without a revocation entry (none, `[]`, or only e.g. `message`/`suspension` entries) a stolen or
  // mistaken credential could never be withdrawn: refused unless the checkpoint's policy says otherwise.
  // Any entry that claims the purpose counts here; a damaged or unknown one is reported below.
  if (policy.requireRevocationEntry && !entries.some((e) => isRecord(e) && e.statusPurpose === 'revocation')) {
    problems.push(
      problem('STATUS_MISSING', `${who} carries no revocation entry, so its registrar could never revoke it: do not accept it.`, where),
    );
  }
  if (entries.length > MAX_STATUS_ENTRIES) {
    problems.push(problem('MALFORMED', `${who} lists too many status entries (${entries.length}): it is rejected.`, where));
    return out;
  }
  let stale: { age: number; superseded: boolean; unconfirmed: boolean; suspended: boolean } | undefined;
  for (const entry of entries) {
    if (!isRecord(entry) || entry.type !== 'BitstringStatusListEntry') {
      problems.push(problem('STATUS_UNKNOWN', `${who} uses a kind of status check this checkpoint does not know, so its status cannot be confirmed.`, where));
      continue;
    }
    const purpose = entry.statusPurpose;
    if (purpose === ALERT_STATUS_PURPOSE) {
      out.alertCheck = alertsOn ? 'checked' : 'no-alert-key';
      if (!alertsOn) continue;
    } else if (purpose !== 'revocation' && purpose !== 'suspension') continue; // another purpose: nothing to enforce
    const what = purpose === ALERT_STATUS_PURPOSE ? 'child-protection alert' : purpose;
    const url = entry.statusListCredential;
    const rawIndex = entry.statusListIndex;
    if (typeof url !== 'string' || typeof rawIndex !== 'string' || !INDEX_RE.test(rawIndex)) {
      problems.push(problem('MALFORMED', `${who} has a damaged ${what} status entry: it is rejected.`, where));
      continue;
    }
    const list = ctx.statusList(issuer, url);
    if (list === undefined) {
      problems.push(
        problem(
          'STATUS_UNKNOWN',
          `The registrar's ${what} list for ${who.toLowerCase()} is not on this device, so its ${what} status cannot be confirmed: sync before relying on this answer.`,
          where,
        ),
      );
      continue;
    }
    if (list.issuer !== issuer || list.purpose !== purpose) {
      problems.push(
        problem(
          'STATUS_UNKNOWN',
          `${who} points to a status list that was not published by its registrar for ${what}s, so its status cannot be confirmed.`,
          where,
        ),
      );
      continue;
    }
    const statusSize = entry.statusSize === undefined ? 1 : entry.statusSize;
    if (statusSize !== list.statusSize) {
      problems.push(problem('MALFORMED', `${who} has a status entry that does not match its status list: it is rejected.`, where));
      continue;
    }
    const index = Number(rawIndex);
    const length = (list.bits.length * 8) / list.statusSize;
    if (index >= length) {
      problems.push(
        problem('STATUS_INDEX_OUT_OF_RANGE', `${who} points outside its registrar's status list (entry ${rawIndex} of ${length}): it is rejected.`, where),
      );
      continue;
    }
    const value = readStatus(list.bits, list.statusSize, index);
    const latest = ctx.latestAnchor(list.listKey);
    const superseded = latest !== undefined && latest.version > list.anchor.version;
    const age = now - list.checkedAt;
    const unconfirmed = list.unconfirmed === true;
    const isStale = superseded || unconfirmed || age > maxStatusAge;
    out.asOf = out.asOf === undefined ? list.checkedAt : Math.min(out.asOf, list.checkedAt);
    if (purpose === ALERT_STATUS_PURPOSE) {
      const kind = alertKindOf(value);
      if (kind !== undefined) out.alerts.push(kind);
      if (isStale) {
        const s = stale ?? { age, superseded, unconfirmed, suspended: false };
        stale = { age: Math.max(s.age, age), superseded: s.superseded || superseded, unconfirmed: s.unconfirmed || unconfirmed, suspended: s.suspended };
      }
    } else if (value !== 0 && purpose === 'revocation') {
      problems.push(problem('REVOKED', `${who} has been revoked by the registrar: do not accept it.`, where));
    } else if (isStale) {
      const s = stale ?? { age, superseded, unconfirmed, suspended: false };
      stale = { age: Math.max(s.age, age), superseded: s.superseded || superseded, unconfirmed: s.unconfirmed || unconfirmed, suspended: s.suspended || value !== 0 };
    } else if (value !== 0) {
      problems.push(problem('SUSPENDED', `${who} is suspended by the registrar: do not accept it for now.`, where));
    }
  }
  if (stale !== undefined) {
    const limit = humanDuration(maxStatusAge);
    const base = stale.unconfirmed
      ? 'The status data on this device came from an unsigned bundle and was never confirmed on the ledger'
      : stale.superseded
      ? `Newer status data has been published by the registrar but is not on this device (the data here is ${humanDuration(stale.age)} old, from ${humanTime(now - stale.age)})`
      : `Status data is ${humanDuration(stale.age)} old (limit ${limit})`;
    const extra = stale.suspended ? ' When it was last synced the credential was suspended.' : '';
    const todo = stale.unconfirmed ? 'sync, or import a signed bundle, before relying on this answer' : 'sync before relying on this answer';
    problems.push(problem('STATUS_STALE', `${base}: ${todo}.${extra}`, where));
  }
  return out;
}
