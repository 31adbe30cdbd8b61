import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CradleError, MEDIA_TYPE_JOSE_JSON, MEDIA_TYPE_VC_JWT, encodeStatusListPack } from '@cradle/core';
import type { StatusListPackEntry } from '@cradle/core';
import { statusListId } from '@cradle/ledger';
import type { Registrar } from '../registrar.js';
import { errorSchema } from './error-answers.js';
import type { IssuerRouteContext } from './route-context.js';

/** Content type of `GET /status-pack`. */
const STATUS_PACK_TYPE = 'application/x-cradle-status-pack';
/** Most `<listId>:<version>` items a `GET /status-pack?since=` may name. */
const STATUS_PACK_MAX_SINCE = 1_000;
/** Distinct packs kept encoded (per published state and caller versions). */
const STATUS_PACK_CACHE_ENTRIES = 64;

const listParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[0-9a-f]{32}$' } } };

/**
 * Publishing and the lists checkpoints fetch: `POST /status-lists/publish` (operator), and the public,
 * cacheable `GET /status/:name`, `GET /alerts/:name` and `GET /status-pack`.
 */
export function registerStatusListRoutes(app: FastifyInstance, ctx: IssuerRouteContext): void {
  registerPublishRoute(app, ctx);
  registerAnchoredListRoutes(app, ctx);
  registerStatusPackRoute(app, ctx);
}

function registerPublishRoute(app: FastifyInstance, { registrar, auth }: IssuerRouteContext): void {
  app.post(
    '/status-lists/publish',
    {
      onRequest: auth.authorize('publish status lists', 'operator'),
      schema: { summary: 'Sign changed status lists and run the anchoring outbox once', security: [{ bearer: [] }], response: { 401: errorSchema, 403: errorSchema } },
    },
    async (req) => {
      const published = await registrar.publish({ actor: auth.actorOf(req) });
      const outbox = await registrar.processOutbox({ force: true });
      return { published, confirmed: outbox.confirmed, pending: outbox.pending, ...(outbox.error ? { error: outbox.error } : {}) };
    },
  );
}

/** Caching headers of public, signed and anchored data; browsers (the offline checkpoint app) may fetch it cross-origin. */
function publicCacheHeaders(reply: FastifyReply, etag: string, maxAgeSeconds: number, exposed: string): FastifyReply {
  return reply
    .header('etag', etag)
    .header('access-control-allow-origin', '*')
    .header('access-control-expose-headers', exposed)
    .header('cache-control', `public, max-age=${maxAgeSeconds}, must-revalidate`);
}

/** Whether the caller already holds `etag` (`If-None-Match`, weak or strong): answer 304. */
function notModified(req: FastifyRequest, etag: string): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  return typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** `GET /status/:name` and `GET /alerts/:name`: the newest anchored version of a list of that kind. */
function registerAnchoredListRoutes(app: FastifyInstance, { registrar, statusMaxAgeSeconds }: IssuerRouteContext): void {
  const serveAnchoredList = (alerts: boolean) => async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const found = await registrar.statusListJwt(req.params.name);
    const list = found !== undefined && (found.purpose === 'message') === alerts ? found : undefined;
    if (list === undefined) throw new CradleError('NOT_FOUND', `${alerts ? 'Alert' : 'Status'} list ${req.params.name} has no anchored version yet (never published, or its first anchor is still in the outbox: see \`cradle registrar pending\`).`);
    const etag = `"${list.digest}"`;
    publicCacheHeaders(reply, etag, statusMaxAgeSeconds, 'etag, x-cradle-list-version')
      .header('last-modified', new Date(list.createdAt).toUTCString())
      .header('x-cradle-list-version', String(list.version));
    if (notModified(req, etag)) return reply.status(304).send();
    return reply.type(alerts ? MEDIA_TYPE_JOSE_JSON : MEDIA_TYPE_VC_JWT).send(list.jwt);
  };

  app.get<{ Params: { name: string } }>(
    '/status/:name',
    { schema: { summary: 'The newest anchored version of the signed BitstringStatusListCredential (vc+jwt); ETag is the anchored digest', params: listParams } },
    serveAnchoredList(false),
  );

  app.get<{ Params: { name: string } }>(
    '/alerts/:name',
    {
      schema: {
        summary: 'The newest anchored version of a child-protection alert list, encrypted to the checkpoint alert keys (General JSON JWE, docs/privacy.md); ETag is the anchored digest',
        params: listParams,
      },
    },
    serveAnchoredList(true),
  );
}

/** `GET /status-pack`: every list in one pack, or what changed since the caller's versions. */
function registerStatusPackRoute(app: FastifyInstance, { registrar, statusMaxAgeSeconds }: IssuerRouteContext): void {
  // Packs by (published digests, caller's versions): checkpoints at the same versions share one encoding.
  const packCache = new Map<string, { pack: Buffer; etag: string }>();
  app.get(
    '/status-pack',
    {
      schema: {
        summary:
          'The anchored version of every status list (and a newer one already sent to the chain), as one status-list pack (docs/formats.md); ETag is the sha256 of the pack. With `since`, only what changed after the versions the caller holds, as deltas where possible',
        querystring: {
          type: 'object',
          properties: {
            since: {
              type: 'string',
              maxLength: STATUS_PACK_MAX_SINCE * 80,
              description: 'Comma-separated `<listId>:<version>` of the lists the caller holds (listId = 0x + 64 hex, as anchored)',
            },
          },
        },
        response: { 200: { description: 'application/x-cradle-status-pack', type: 'string', format: 'binary' }, 304: { description: 'Not modified (If-None-Match)', type: 'null' } },
      },
    },
    async (req, reply) => {
      const lists = await registrar.statusPackLists();
      const since = parseSince((req.query as { since?: string }).since);
      // Re-encode (DEFLATE level 9 over every list, deltas recompressed) only when a list or the request changed.
      const key = `${lists.map((l) => l.digest).join(',')}|${[...since].map(([id, v]) => `${id}:${v}`).join(',')}`;
      let cached = packCache.get(key);
      if (cached === undefined) {
        cached = await encodePack(registrar, lists, since);
        if (packCache.size >= STATUS_PACK_CACHE_ENTRIES) packCache.delete(packCache.keys().next().value!);
        packCache.set(key, cached);
      }
      const { pack, etag } = cached;
      const newest = lists.reduce((t, l) => Math.max(t, Date.parse(l.createdAt) || 0), 0);
      publicCacheHeaders(reply, etag, statusMaxAgeSeconds, 'etag');
      if (newest > 0) reply.header('last-modified', new Date(newest).toUTCString());
      if (notModified(req, etag)) return reply.status(304).send();
      return reply.type(STATUS_PACK_TYPE).send(pack);
    },
  );
}

/** The pack of `lists` for a caller holding `since`: lists it has left out, older ones it holds sent as deltas. */
async function encodePack(
  registrar: Registrar,
  lists: Awaited<ReturnType<Registrar['statusPackLists']>>,
  since: Map<string, number>,
): Promise<{ pack: Buffer; etag: string }> {
  const entries: StatusListPackEntry[] = [];
  for (const list of lists) {
    const held = since.get(statusListId(list.url).toLowerCase());
    if (held === list.version) continue; // the caller has it already
    const base = held !== undefined && held < list.version ? await registrar.statusListJwt(list.name, held) : undefined;
    entries.push(base === undefined ? { jws: list.jwt } : { jws: list.jwt, base: base.jwt });
  }
  const bytes = encodeStatusListPack(since.size === 0 ? entries.map((e) => e.jws) : entries);
  return { pack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), etag: `"${createHash('sha256').update(bytes).digest('hex')}"` };
}

/**
 * `since` of `GET /status-pack`: `<listId>:<version>` items, listId as anchored (0x + 64 hex), version a
 * positive decimal integer. A malformed value is the caller's mistake: 400 with what is wrong.
 */
function parseSince(since: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (since === undefined || since === '') return out;
  const items = since.split(',');
  if (items.length > STATUS_PACK_MAX_SINCE) throw new CradleError('INVALID_ARGUMENT', `since names ${items.length} lists; at most ${STATUS_PACK_MAX_SINCE} are accepted`);
  for (const item of items) {
    const m = /^(0x[0-9a-fA-F]{64}):([1-9][0-9]{0,14})$/.exec(item);
    if (m === null) throw new CradleError('INVALID_ARGUMENT', `since item ${JSON.stringify(item.slice(0, 100))} is not <listId>:<version> (listId = 0x + 64 hex digits, version a positive integer)`);
    const id = m[1]!.toLowerCase();
    if (out.has(id)) throw new CradleError('INVALID_ARGUMENT', `since names list ${id} twice`);
    out.set(id, Number(m[2]));
  }
  return out;
}
