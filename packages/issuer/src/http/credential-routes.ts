import type { FastifyInstance } from 'fastify';
import { CREDENTIAL_FORMATS, CradleError, ENVELOPED_CREDENTIAL_PREFIX } from '@cradle/core';
import { STATUS_REASONS } from '../audit-log.js';
import type { StatusReason } from '../audit-log.js';
import { errorSchema } from './error-answers.js';
import type { IssueCredentialBody } from './issue-request.js';
import { issueResponse, readIssueRequest } from './issue-request.js';
import type { IssuerRouteContext } from './route-context.js';

const issueBody = {
  type: 'object',
  required: ['credential'],
  additionalProperties: false,
  properties: {
    credential: {
      type: 'object',
      required: ['credentialSubject'],
      properties: {
        '@context': { type: 'array', items: { type: 'string' }, description: 'Optional; if sent, exactly the contexts the registrar issues with.' },
        type: {
          type: 'array',
          items: { type: 'string' },
          description: '["VerifiableCredential", "GuardianshipCredential"] for a guardianship credential; default (and the only other value) ["VerifiableCredential", "BirthRegistrationCredential"].',
        },
        issuer: { description: "Optional; if sent, the registrar's own DID (string or { id })." },
        credentialSubject: {
          type: 'object',
          required: ['id'],
          additionalProperties: true,
          properties: { id: { type: 'string', description: "The child's DID" } },
        },
      },
      description:
        'id, credentialStatus, validFrom/validUntil (issuanceDate/expirationDate) and proof are set by the registrar: a request that sends them, or any other member, is refused (400 naming the field) rather than silently replaced.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { format: { type: 'string', enum: [...CREDENTIAL_FORMATS] } },
    },
  },
} as const;

const statusBody = {
  type: 'object',
  required: ['credentialId'],
  additionalProperties: false,
  description:
    'Either { credentialId, action } or the VC-API form { credentialId, credentialStatus: [{ type: "BitstringStatusListEntry", statusPurpose, status: "1" | "0" }] }.',
  properties: {
    credentialId: { type: 'string', minLength: 1, maxLength: 200 },
    action: { type: 'string', enum: ['revoke', 'suspend', 'unsuspend'] },
    reason: { type: 'string', enum: [...STATUS_REASONS], description: 'Why, for the audit log: a code, never free text about the child' },
    credentialStatus: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['statusPurpose', 'status'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', enum: ['BitstringStatusListEntry'] },
          statusPurpose: { type: 'string', enum: ['revocation', 'suspension'] },
          status: { type: 'string', enum: ['0', '1'] },
        },
      },
    },
  },
} as const;

type StatusUpdateBody = {
  credentialId: string;
  reason?: StatusReason;
  action?: 'revoke' | 'suspend' | 'unsuspend';
  credentialStatus?: { statusPurpose: 'revocation' | 'suspension'; status: '0' | '1' }[];
};

const alertBody = {
  type: 'object',
  additionalProperties: false,
  required: ['credentialId', 'reason'],
  properties: {
    credentialId: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: ['missing', 'protection-order', 'verify-with-authority'] },
    clear: { type: 'boolean' },
    reason: { type: 'string', minLength: 1, maxLength: 1000 },
  },
} as const;

interface AlertBody {
  credentialId: string;
  kind?: 'missing' | 'protection-order' | 'verify-with-authority';
  clear?: boolean;
  reason: string;
}

/** The status change a request asks for (exactly one of `action` / `credentialStatus`). */
function statusAction(body: StatusUpdateBody): 'revoke' | 'suspend' | 'unsuspend' {
  const entry = body.credentialStatus?.[0];
  if ((body.action === undefined) === (entry === undefined)) {
    throw new CradleError('INVALID_ARGUMENT', 'Give either "action" or "credentialStatus", not both and not neither.');
  }
  if (body.action !== undefined) return body.action;
  if (entry!.statusPurpose === 'revocation') {
    if (entry!.status === '0') throw new CradleError('CONFLICT', 'Revocation is permanent: a revocation status cannot be set back to 0.');
    return 'revoke';
  }
  return entry!.status === '1' ? 'suspend' : 'unsuspend';
}

/**
 * What a registry's staff do to one credential, each behind a role (see `createIssuerServer`):
 * `POST /credentials/issue` (clerk), `POST /credentials/status` (supervisor),
 * `GET /credentials/:id/certificate` (clerk or supervisor), `POST /credentials/alert` (supervisor).
 */
export function registerCredentialRoutes(app: FastifyInstance, ctx: IssuerRouteContext): void {
  registerIssueRoute(app, ctx);
  registerStatusRoute(app, ctx);
  registerCertificateRoute(app, ctx);
  registerAlertRoute(app, ctx);
}

function registerIssueRoute(app: FastifyInstance, { registrar, auth, metrics }: IssuerRouteContext): void {
  app.post<{ Body: IssueCredentialBody }>(
    '/credentials/issue',
    {
      onRequest: auth.authorize('issue credentials', 'clerk'),
      schema: {
        summary: 'Issue a birth-registration (default) or guardianship credential',
        security: [{ bearer: [] }],
        body: issueBody,
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              jwt: { type: 'string' },
              verifiableCredential: {
                description: `VC-API: an EnvelopedVerifiableCredential ({"@context","id":"${ENVELOPED_CREDENTIAL_PREFIX['vc+jwt']}<jws>","type"}) for vc+jwt; the compact JWT for a VCDM 1.1 jwt-vc`,
              },
              credentialStatus: { type: 'array', items: { type: 'object', additionalProperties: true } },
              warnings: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          422: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const stopTimer = metrics?.issuanceSeconds.startTimer();
      const { type, subject, claims, format } = readIssueRequest(req.body, registrar.identity()?.did);
      const actor = auth.actorOf(req);
      const issued = type === 'GuardianshipCredential'
        ? await registrar.issueGuardianship({
            subject,
            guardians: claims.guardians as never,
            ...(typeof claims.basis === 'string' ? { basis: claims.basis } : {}),
            format,
            actor,
          })
        : await registrar.issueBirthRegistration({ subject, claims, format, actor });
      stopTimer?.();
      metrics?.issued.inc({ type });
      req.log.info({ credentialId: issued.id, key: actor.keyId ?? actor.name }, 'credential issued');
      return reply.status(201).send(issueResponse(issued));
    },
  );
}

function registerStatusRoute(app: FastifyInstance, { registrar, auth, metrics }: IssuerRouteContext): void {
  app.post<{ Body: StatusUpdateBody }>(
    '/credentials/status',
    {
      onRequest: auth.authorize('change a credential\'s status', 'supervisor'),
      schema: {
        summary: 'Revoke (permanent), suspend or unsuspend a credential; takes effect for verifiers at the next publish',
        security: [{ bearer: [] }],
        body: statusBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const what = statusAction(req.body);
      const record = await registrar[what](req.body.credentialId, { actor: auth.actorOf(req), ...(req.body.reason === undefined ? {} : { reason: req.body.reason }) });
      metrics?.statusChanges.inc({ action: what });
      return { id: record.id, revokedAt: record.revokedAt, suspendedAt: record.suspendedAt };
    },
  );
}

function registerCertificateRoute(app: FastifyInstance, { registrar, auth }: IssuerRouteContext): void {
  app.get<{ Params: { id: string }; Querystring: { lang?: string; paper?: 'a4' | 'a5' } }>(
    '/credentials/:id/certificate',
    {
      onRequest: auth.authorize('print certificates', 'clerk', 'supervisor'),
      schema: {
        summary: 'The printable PDF birth certificate of a birth credential, its seals the signed credentials (docs/paper-certificate.md)',
        security: [{ bearer: [] }],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { lang: { type: 'string', minLength: 2, maxLength: 10 }, paper: { type: 'string', enum: ['a4', 'a5'] } },
        },
        response: { 200: { description: 'application/pdf', type: 'string', format: 'binary' }, 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const pdf = await registrar.certificate(req.params.id, { ...(req.query.lang ? { lang: req.query.lang } : {}), ...(req.query.paper ? { paper: req.query.paper } : {}) });
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="birth-certificate.pdf"')
        .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    },
  );
}

function registerAlertRoute(app: FastifyInstance, { registrar, auth }: IssuerRouteContext): void {
  app.post<{ Body: AlertBody }>(
    '/credentials/alert',
    {
      onRequest: auth.authorize('raise or clear alerts', 'supervisor'),
      schema: {
        summary: 'Raise (kind) or clear (clear: true) the child-protection alert of a birth credential; the reason is recorded. Checkpoints see it after the next publish',
        security: [{ bearer: [] }],
        body: alertBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const { credentialId, kind, clear, reason } = req.body;
      if ((kind === undefined) === (clear !== true)) throw new CradleError('INVALID_ARGUMENT', 'Give exactly one of `kind` (missing, protection-order, verify-with-authority) or `clear: true`.', { details: { field: 'kind' } });
      return registrar.alert(credentialId, { kind: kind ?? null, reason, actor: auth.actorOf(req) });
    },
  );
}
