import { ALERT_STATUS_PURPOSE, alertKindOf, isRecord } from '@cradle/core';
import type { AlertKind, StatusPurpose, VerificationProblem } from '@cradle/core';
import { ProblemReport, humanDuration, humanTime } from './messages.js';
import type { VerifyEnv } from './options.js';
import type { ContextStatusList } from './verification-context.js';

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

/** What {@link checkCredentialStatus} checks, and by which rules. */
export interface StatusCheckInput {
  /** The credential's `credentialStatus` (untrusted: anything). */
  readonly credentialStatus: unknown;
  /** The credential's issuer (canonical DID): only its own lists count. */
  readonly issuer: string;
  /** The checkpoint's data, clock (`now`, unix seconds) and policy (`maxStatusAge`, `requireRevocationEntry`). */
  readonly env: Pick<VerifyEnv, 'ctx' | 'now' | 'maxStatusAge' | 'requireRevocationEntry'>;
  /** Which artefact the problems are about (`credential`, `credential[1]`). */
  readonly where: string;
}

/**
 * Check every `BitstringStatusListEntry` of a credential against the cached, anchored lists; problems are
 * pushed to `problems`. Revocation is final, so a set revocation bit answers `REVOKED` even from old data;
 * anything else from data older than `maxStatusAge` (or superseded by a newer anchor this device could not
 * fetch) is `STATUS_STALE`: the answer is "cannot confirm", never "valid".
 *
 * A child-protection alert entry (`statusPurpose: "message"`, 2 bits) is checked when the checkpoint has
 * an alert key (`config.alertKeyId`): a missing alert list is `STATUS_UNKNOWN`, stale alert data is
 * `STATUS_STALE` (the same freshness rule), and a raised alert is returned in `alerts` — even from stale
 * data, since letting a flagged child through on old data is the worse mistake.
 */
export function checkCredentialStatus(input: StatusCheckInput, problems: VerificationProblem[]): StatusCheck {
  const checker = new StatusChecker(input, new ProblemReport(input.where, problems));
  const status = input.credentialStatus;
  const entries = status === undefined ? [] : Array.isArray(status) ? status : [status];
  checker.requireRevocationEntry(entries);
  if (entries.length > MAX_STATUS_ENTRIES) {
    checker.report.add('MALFORMED', `${checker.report.name} lists too many status entries (${entries.length}): it is rejected.`);
    return checker.result;
  }
  for (const entry of entries) checker.checkEntry(entry);
  checker.reportStale();
  return checker.result;
}

/** A status entry this checkpoint enforces, read. */
interface ReadEntry {
  readonly purpose: StatusPurpose;
  /** How the purpose is named in messages ("revocation", "child-protection alert"). */
  readonly what: string;
  readonly url: string;
  readonly rawIndex: string;
  readonly statusSize: unknown;
}

/** How old the data behind one answer is. */
interface Freshness {
  readonly age: number;
  readonly superseded: boolean;
  readonly unconfirmed: boolean;
}

/** The checks of one credential's status entries, and what they found so far. */
class StatusChecker {
  readonly result: StatusCheck;
  private readonly alertsOn: boolean;
  /** The stalest data an answer depended on (reported once, at the end), and whether it said suspended. */
  private stale: (Freshness & { suspended: boolean }) | undefined;

  constructor(
    private readonly input: StatusCheckInput,
    readonly report: ProblemReport,
  ) {
    this.alertsOn = input.env.ctx.state.config?.alertKeyId !== undefined;
    this.result = { alerts: [], ...(this.alertsOn ? { alertCheck: 'no-alert-entry' as const } : {}) };
  }

  /**
   * Without a revocation entry (none, `[]`, or only e.g. `message`/`suspension` entries) a stolen or
   * mistaken credential could never be withdrawn: refused unless the checkpoint's policy says otherwise.
   * Any entry that claims the purpose counts here; a damaged or unknown one is reported by {@link checkEntry}.
   */
  requireRevocationEntry(entries: readonly unknown[]): void {
    if (this.input.env.requireRevocationEntry && !entries.some((e) => isRecord(e) && e.statusPurpose === 'revocation')) {
      this.report.add('STATUS_MISSING', `${this.report.name} carries no revocation entry, so its registrar could never revoke it: do not accept it.`);
    }
  }

  checkEntry(raw: unknown): void {
    const entry = this.readEntry(raw);
    if (entry === undefined) return;
    const list = this.listOf(entry);
    if (list === undefined) return;
    const value = readStatus(list.bits, list.statusSize, Number(entry.rawIndex));
    const latest = this.input.env.ctx.latestAnchor(list.listKey);
    const freshness: Freshness = {
      age: this.input.env.now - list.checkedAt,
      superseded: latest !== undefined && latest.version > list.anchor.version,
      unconfirmed: list.unconfirmed === true,
    };
    this.result.asOf = this.result.asOf === undefined ? list.checkedAt : Math.min(this.result.asOf, list.checkedAt);
    this.judge(entry.purpose, value, freshness);
  }

  /** The entry, if it is one this checkpoint enforces and it is well-formed (otherwise reported or skipped). */
  private readEntry(entry: unknown): ReadEntry | undefined {
    if (!isRecord(entry) || entry.type !== 'BitstringStatusListEntry') {
      this.report.add('STATUS_UNKNOWN', `${this.report.name} uses a kind of status check this checkpoint does not know, so its status cannot be confirmed.`);
      return undefined;
    }
    const purpose = entry.statusPurpose;
    if (purpose === ALERT_STATUS_PURPOSE) {
      this.result.alertCheck = this.alertsOn ? 'checked' : 'no-alert-key';
      if (!this.alertsOn) return undefined;
    } else if (purpose !== 'revocation' && purpose !== 'suspension') {
      return undefined; // another purpose: nothing to enforce
    }
    const what = purpose === ALERT_STATUS_PURPOSE ? 'child-protection alert' : purpose;
    const url = entry.statusListCredential;
    const rawIndex = entry.statusListIndex;
    if (typeof url !== 'string' || typeof rawIndex !== 'string' || !INDEX_RE.test(rawIndex)) {
      this.report.add('MALFORMED', `${this.report.name} has a damaged ${what} status entry: it is rejected.`);
      return undefined;
    }
    return { purpose, what, url, rawIndex, statusSize: entry.statusSize };
  }

  /** The registrar's own cached list for the entry, if this device has it and the entry fits it. */
  private listOf(entry: ReadEntry): ContextStatusList | undefined {
    const { issuer } = this.input;
    const { what } = entry;
    const who = this.report.name;
    const list = this.input.env.ctx.statusList(issuer, entry.url);
    if (list === undefined) {
      this.report.add(
        'STATUS_UNKNOWN',
        `The registrar's ${what} list for ${who.toLowerCase()} is not on this device, so its ${what} status cannot be confirmed: sync before relying on this answer.`,
      );
      return undefined;
    }
    if (list.issuer !== issuer || list.purpose !== entry.purpose) {
      this.report.add('STATUS_UNKNOWN', `${who} points to a status list that was not published by its registrar for ${what}s, so its status cannot be confirmed.`);
      return undefined;
    }
    if ((entry.statusSize === undefined ? 1 : entry.statusSize) !== list.statusSize) {
      this.report.add('MALFORMED', `${who} has a status entry that does not match its status list: it is rejected.`);
      return undefined;
    }
    const length = (list.bits.length * 8) / list.statusSize;
    if (Number(entry.rawIndex) >= length) {
      this.report.add('STATUS_INDEX_OUT_OF_RANGE', `${who} points outside its registrar's status list (entry ${entry.rawIndex} of ${length}): it is rejected.`);
      return undefined;
    }
    return list;
  }

  /**
   * What one status value means. An alert counts even from stale data; a set revocation bit is final
   * whatever the age; a suspension or a clear bit from stale data only says "cannot confirm".
   */
  private judge(purpose: StatusPurpose, value: number, freshness: Freshness): void {
    const isStale = freshness.superseded || freshness.unconfirmed || freshness.age > this.input.env.maxStatusAge;
    const who = this.report.name;
    if (purpose === ALERT_STATUS_PURPOSE) {
      const kind = alertKindOf(value);
      if (kind !== undefined) this.result.alerts.push(kind);
      if (isStale) this.noteStale(freshness, false);
    } else if (value !== 0 && purpose === 'revocation') {
      this.report.add('REVOKED', `${who} has been revoked by the registrar: do not accept it.`);
    } else if (isStale) {
      this.noteStale(freshness, value !== 0);
    } else if (value !== 0) {
      this.report.add('SUSPENDED', `${who} is suspended by the registrar: do not accept it for now.`);
    }
  }

  private noteStale(f: Freshness, suspended: boolean): void {
    const s = this.stale ?? { ...f, suspended: false };
    this.stale = { age: Math.max(s.age, f.age), superseded: s.superseded || f.superseded, unconfirmed: s.unconfirmed || f.unconfirmed, suspended: s.suspended || suspended };
  }

  /** One `STATUS_STALE` for everything stale, saying why (unsigned bundle, newer data not fetched, age). */
  reportStale(): void {
    const stale = this.stale;
    if (stale === undefined) return;
    const { now, maxStatusAge } = this.input.env;
    const base = stale.unconfirmed
      ? 'The status data on this device came from an unsigned bundle and was never confirmed on the ledger'
      : stale.superseded
        ? `Newer status data has been published by the registrar but is not on this device (the data here is ${humanDuration(stale.age)} old, from ${humanTime(now - stale.age)})`
        : `Status data is ${humanDuration(stale.age)} old (limit ${humanDuration(maxStatusAge)})`;
    const extra = stale.suspended ? ' When it was last synced the credential was suspended.' : '';
    const todo = stale.unconfirmed ? 'sync, or import a signed bundle, before relying on this answer' : 'sync before relying on this answer';
    this.report.add('STATUS_STALE', `${base}: ${todo}.${extra}`);
  }
}
