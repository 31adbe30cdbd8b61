import { StatusList, buildStatusListCredential, digestOf, sealAlertList } from '@cradle/core';
import { statusListId } from '@cradle/ledger';
import { LIBRARY_ACTOR, appendAudit } from './audit-log.js';
import type { Actor } from './audit-log.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { signCredential } from './sign-credential.js';

/** One list version signed by `publish()`. */
export interface PublishedList {
  name: string;
  url: string;
  purpose: 'revocation' | 'suspension' | 'message';
  version: number;
  /** `0x` + sha256 of the compact JWS bytes (what is anchored; for an alert list, of its encrypted form). */
  digest: string;
  /** keccak256(utf8(url)): the anchor contract's list id. */
  listId: string;
}

/** A signed status list as served at its URL. */
export interface SignedStatusList {
  name: string;
  url: string;
  /** `message` for an alert list: then `jwt` is its encrypted form (a JSON JWE), not a compact JWS. */
  purpose: 'revocation' | 'suspension' | 'message';
  version: number;
  digest: string;
  jwt: string;
  createdAt: string;
}

export { digestOf } from '@cradle/core';

/**
 * Sign every changed (dirty) list as a `BitstringStatusListCredential` (`vc+jwt`, with
 * `cradleListVersion`), store it and enqueue its anchor, all in **one transaction**: either a new version
 * is stored together with its outbox row, or nothing changed. Revocations made since the last publish
 * collapse into one version per list; an older version still waiting in the outbox (not yet sent) is
 * marked `superseded`, since anchoring the newer one is enough. Each signed version is recorded in the
 * audit log (`publish`, `<list>@<version>`) in the same transaction.
 *
 * Alert lists (`message`) are re-signed and re-encrypted to the checkpoint alert keys on EVERY publish,
 * changed or not, so neither their ciphertext nor the timing of their anchors tells when an alert was
 * raised (docs/privacy.md). Without alert keys they are left alone.
 */
export async function publishStatusLists(rt: RegistrarRuntime, actor: Actor = LIBRARY_ACTOR): Promise<PublishedList[]> {
  const identity = await rt.currentIdentity();
  return rt.queue.run(() =>
    rt.db.write(async (tx) => {
      const recipients = rt.config.alertRecipients;
      const lists = (await tx.query(
        'SELECT "name", "url", "purpose", "status_size", "length", "bits", "version" FROM "cradle_status_list" WHERE "dirty" = 1 OR "purpose" = \'message\' ORDER BY "created_at", "name"',
      )) as { name: string; url: string; purpose: 'revocation' | 'suspension' | 'message'; status_size: number; length: number; bits: Buffer; version: number }[];
      const out: PublishedList[] = [];
      for (const list of lists) {
        if (list.purpose === 'message' && recipients.length === 0) continue;
        const now = new Date(rt.config.now());
        const version = list.version + 1;
        // The reference compressor (reference zlib, level 9): checkpoints can reproduce it, so they can
        // receive this version as a delta of the one they hold (docs/formats.md, "Delta entries").
        const encodedList = StatusList.fromBytes(new Uint8Array(list.bits), { statusSize: list.status_size }).encodeSync();
        const credential = buildStatusListCredential({ url: list.url, issuer: identity.did, purpose: list.purpose, encodedList, validFrom: Math.floor(now.getTime() / 1000) });
        const signed = await signCredential(rt.agent, { keyRef: identity.signingKid, kid: identity.verificationMethod }, credential, 'vc+jwt', {
          issuedAt: Math.floor(now.getTime() / 1000),
          claims: { cradleListVersion: version },
        });
        const jwt = list.purpose === 'message' ? await sealAlertList(signed, recipients) : signed;
        const digest = digestOf(jwt);
        const listId = statusListId(list.url);
        const at = now.toISOString();
        await tx.query('INSERT INTO "cradle_status_publication" ("list_name", "version", "jwt", "digest", "created_at") VALUES (?, ?, ?, ?, ?)', [
          list.name,
          version,
          jwt,
          digest,
          at,
        ]);
        await tx.query(`UPDATE "cradle_anchor_outbox" SET "state" = 'superseded', "last_error" = ? WHERE "list_name" = ? AND "state" = 'queued'`, [
          `superseded by version ${version} before it was sent`,
          list.name,
        ]);
        await tx.query(
          `INSERT INTO "cradle_anchor_outbox" ("list_name", "version", "list_id", "digest", "uri", "state", "attempts", "next_attempt_at", "created_at")
           VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
          [list.name, version, listId, digest, list.url, at, at],
        );
        await tx.query('UPDATE "cradle_status_list" SET "version" = ?, "dirty" = 0 WHERE "name" = ?', [version, list.name]);
        await appendAudit(tx, { at, actor, action: 'publish', detail: `${list.name}@${version}` });
        out.push({ name: list.name, url: list.url, purpose: list.purpose, version, digest, listId });
      }
      return out;
    }),
  );
}

const SIGNED_COLUMNS = `p."list_name" AS "name", l."url" AS "url", l."purpose" AS "purpose", p."version" AS "version", p."digest" AS "digest", p."jwt" AS "jwt", p."created_at" AS "createdAt"`;

/** Version `version` of list `name` as it was signed (the base of a delta for a checkpoint holding it), or undefined. */
export async function signedListVersion(rt: RegistrarRuntime, name: string, version: number): Promise<SignedStatusList | undefined> {
  const rows = (await rt.db.query(
    `SELECT ${SIGNED_COLUMNS}
     FROM "cradle_status_publication" p JOIN "cradle_status_list" l ON l."name" = p."list_name"
     WHERE p."list_name" = ? AND p."version" = ? LIMIT 1`,
    [name, version],
  )) as SignedStatusList[];
  return rows[0];
}

/**
 * What `GET /status/:name` serves: the newest version of list `name` whose anchor is **confirmed** on the
 * chain, or undefined when no version is anchored yet. A checkpoint accepts a list only if its digest is
 * the anchored one, so serving a newer, not yet anchored version would make every checkpoint that syncs
 * meanwhile answer "cannot confirm" for good credentials (issue #20 item 1).
 */
export async function anchoredSignedList(rt: RegistrarRuntime, name: string): Promise<SignedStatusList | undefined> {
  const rows = (await rt.db.query(
    `SELECT ${SIGNED_COLUMNS} FROM "cradle_status_publication" p
       JOIN "cradle_status_list" l ON l."name" = p."list_name"
       JOIN "cradle_anchor_outbox" o ON o."list_name" = p."list_name" AND o."version" = p."version"
     WHERE p."list_name" = ? AND o."state" = 'confirmed' ORDER BY p."version" DESC LIMIT 1`,
    [name],
  )) as SignedStatusList[];
  return rows[0];
}

/**
 * What `GET /status-pack` carries (alert lists excepted: they are encrypted, and a pack carries signed
 * lists only; checkpoints fetch them from their anchored URI): per list, the anchored version (as {@link anchoredSignedList}) and any
 * newer version whose anchoring transaction was sent but is not confirmed yet (the chain may already hold
 * it). A pack is indexed by digest, so a checkpoint finds whichever of the two the chain anchors.
 */
export async function packedSignedLists(rt: RegistrarRuntime): Promise<SignedStatusList[]> {
  return (await rt.db.query(
    `SELECT ${SIGNED_COLUMNS} FROM "cradle_status_publication" p
       JOIN "cradle_status_list" l ON l."name" = p."list_name"
       JOIN "cradle_anchor_outbox" o ON o."list_name" = p."list_name" AND o."version" = p."version"
     WHERE l."purpose" <> 'message' AND (
           (o."state" = 'confirmed' AND p."version" = (SELECT MAX(c."version") FROM "cradle_anchor_outbox" c WHERE c."list_name" = p."list_name" AND c."state" = 'confirmed'))
        OR (o."state" = 'sent' AND p."version" > COALESCE((SELECT MAX(c."version") FROM "cradle_anchor_outbox" c WHERE c."list_name" = p."list_name" AND c."state" = 'confirmed'), 0)))
     ORDER BY p."list_name", p."version"`,
  )) as SignedStatusList[];
}

/** Per list: the version checkpoints can see (anchored and served) against the newest signed one. */
export interface StatusListState {
  name: string;
  url: string;
  purpose: 'revocation' | 'suspension' | 'message';
  /** Newest signed version (0: never published). */
  signedVersion: number;
  /** Newest version whose anchor is confirmed: what `/status/:name` serves and checkpoints verify against (0: none yet). */
  anchoredVersion: number;
  /** True when the bits changed since the last publish (revocations not signed yet). */
  unpublishedChanges: boolean;
}

/** {@link StatusListState} of every list, oldest list first. */
export async function statusListStates(rt: RegistrarRuntime): Promise<StatusListState[]> {
  const rows = (await rt.db.query(
    `SELECT l."name" AS "name", l."url" AS "url", l."purpose" AS "purpose", l."version" AS "signedVersion", l."dirty" AS "dirty",
       COALESCE((SELECT MAX(o."version") FROM "cradle_anchor_outbox" o WHERE o."list_name" = l."name" AND o."state" = 'confirmed'), 0) AS "anchoredVersion"
     FROM "cradle_status_list" l ORDER BY l."created_at", l."name"`,
  )) as { name: string; url: string; purpose: 'revocation' | 'suspension' | 'message'; signedVersion: number; dirty: number; anchoredVersion: number }[];
  return rows.map((r) => ({
    name: r.name,
    url: r.url,
    purpose: r.purpose,
    signedVersion: r.signedVersion,
    anchoredVersion: r.anchoredVersion,
    unpublishedChanges: r.dirty === 1,
  }));
}
