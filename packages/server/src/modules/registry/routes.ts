import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import {
  AdverseRecordSchema,
  CreateAdverseRecordSchema,
  CreateStandardSchema,
  LegalEntitySchema,
  SaveLegalEntitySchema,
  StandardSchema,
  UpdateAdverseRecordSchema,
  UpdateStandardSchema,
} from './eligibility-schemas.js';
import { getLegalEntity, saveLegalEntity } from './legal-entity.js';
import {
  CreateFinancialYearSchema,
  CreateIpSchema,
  CreateManagementCertificateSchema,
  CreateProjectSchema,
  CreateStaffSchema,
  FinancialYearSchema,
  IpSchema,
  ManagementCertificateSchema,
  ProjectSchema,
  RecordParamsSchema,
  StaffSchema,
  UpdateFinancialYearSchema,
  UpdateIpSchema,
  UpdateManagementCertificateSchema,
  UpdateProjectSchema,
  UpdateStaffSchema,
} from './schemas.js';
import {
  createRecord,
  deleteRecord,
  getRecord,
  listRecords,
  revealIdNumber,
  updateRecord,
  type RecordInput,
  type RegistryKind,
} from './service.js';
import { OrgParamsSchema } from '../../http/params.js';

/** Each kind's API schemas; the five routes per kind are the same otherwise. */
const KIND_SCHEMAS: Record<RegistryKind, { create: z.ZodType; update: z.ZodType; item: z.ZodType; what: string }> = {
  projects: {
    create: CreateProjectSchema,
    update: UpdateProjectSchema,
    item: ProjectSchema,
    what: 'project (项目案例)',
  },
  staff: {
    create: CreateStaffSchema,
    update: UpdateStaffSchema,
    item: StaffSchema,
    what: 'staff member with qualifications (人员)',
  },
  'financial-years': {
    create: CreateFinancialYearSchema,
    update: UpdateFinancialYearSchema,
    item: FinancialYearSchema,
    what: 'financial year (财务年度)',
  },
  ip: {
    create: CreateIpSchema,
    update: UpdateIpSchema,
    item: IpSchema,
    what: 'software copyright or patent (知识产权)',
  },
  'management-certificates': {
    create: CreateManagementCertificateSchema,
    update: UpdateManagementCertificateSchema,
    item: ManagementCertificateSchema,
    what: 'management-system certificate (ISO, CMMI, ITSS …)',
  },
  standards: {
    create: CreateStandardSchema,
    update: UpdateStandardSchema,
    item: StandardSchema,
    what: 'standard the organisation took part in drafting (标准制定)',
  },
  'adverse-records': {
    create: CreateAdverseRecordSchema,
    update: UpdateAdverseRecordSchema,
    item: AdverseRecordSchema,
    what: 'violation, abnormal-operation or serious-dishonesty record (不良记录)',
  },
};

export const registryRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['evidence'];

  for (const [kind, s] of Object.entries(KIND_SCHEMAS) as Array<[RegistryKind, (typeof KIND_SCHEMAS)[RegistryKind]]>) {
    const base = `/api/orgs/:orgId/${kind}`;

    app.get(
      base,
      {
        schema: {
          tags,
          summary: `List each ${s.what} of an organisation`,
          params: OrgParamsSchema,
          response: { 200: z.object({ items: z.array(s.item) }), ...errorResponses },
        },
      },
      async (request) =>
        inTenant(db, request, async ({ tx, actor }) => ({
          items: await listRecords({ tx, actor, orgId: request.params.orgId, kind }),
        })),
    );

    app.post(
      base,
      {
        schema: {
          tags,
          summary: `Record a ${s.what}`,
          params: OrgParamsSchema,
          body: s.create,
          response: { 201: s.item, ...errorResponses },
        },
      },
      async (request, reply) => {
        const item = await inTenant(db, request, ({ tx, actor, meta }) =>
          createRecord({ tx, actor, meta, orgId: request.params.orgId, kind, input: request.body as RecordInput }),
        );
        return reply.status(201).send(item);
      },
    );

    app.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `One ${s.what} in full`,
          params: RecordParamsSchema,
          response: { 200: s.item, ...errorResponses },
        },
      },
      async (request) =>
        inTenant(db, request, ({ tx, actor }) =>
          getRecord({ tx, actor, orgId: request.params.orgId, kind, id: request.params.id }),
        ),
    );

    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Change a ${s.what} (lists sent replace the old ones)`,
          params: RecordParamsSchema,
          body: s.update,
          response: { 200: s.item, ...errorResponses },
        },
      },
      async (request) =>
        inTenant(db, request, ({ tx, actor, meta }) =>
          updateRecord({
            tx,
            actor,
            meta,
            orgId: request.params.orgId,
            kind,
            id: request.params.id,
            input: request.body as RecordInput,
          }),
        ),
    );

    app.delete(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Delete a ${s.what} (managers and above; its files stay stored)`,
          params: RecordParamsSchema,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await inTenant(db, request, ({ tx, actor, meta }) =>
          deleteRecord({ tx, actor, meta, orgId: request.params.orgId, kind, id: request.params.id }),
        );
        return reply.status(204).send(null);
      },
    );
  }

  app.get(
    '/api/orgs/:orgId/legal-entity',
    {
      schema: {
        tags,
        summary:
          'Whether the organisation is an independent legal entity (独立法人), as confirmed; null until confirmed',
        params: OrgParamsSchema,
        response: { 200: LegalEntitySchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) => getLegalEntity({ tx, actor, orgId: request.params.orgId })),
  );

  app.put(
    '/api/orgs/:orgId/legal-entity',
    {
      schema: {
        tags,
        summary:
          'Confirm whether the organisation is an independent legal entity, with its business licence (contributors and above)',
        params: OrgParamsSchema,
        body: SaveLegalEntitySchema,
        response: { 200: LegalEntitySchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveLegalEntity({ tx, actor, meta, orgId: request.params.orgId, input: request.body }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/staff/:id/id-number',
    {
      schema: {
        tags,
        summary: "Reveal a staff member's full ID number (managers and above; every reveal is in the audit log)",
        params: RecordParamsSchema,
        response: { 200: z.object({ idNumber: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        revealIdNumber({ tx, actor, meta, orgId: request.params.orgId, id: request.params.id }),
      ),
  );
};
