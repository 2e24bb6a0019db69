// Events that happen to a certificate, validated with zod. Unknown types and missing fields are
// errors that say what to fix, never ignored.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, isValidDate } from '../calendar/days.js';
import { InvalidEventError } from '../errors.js';
import { EVENT_TYPES, type EventType } from '../scheme/rules.js';
import { parseInstant } from './instant.js';

const req = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}, got ${JSON.stringify(iss.input)}`;

export const EventDateSchema = z.string({ error: req('a date YYYY-MM-DD') }).refine(isValidDate, {
  error: (iss) => `must be a real date written YYYY-MM-DD in ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(iss.input)}`,
});

export const EventInstantSchema = z
  .string({ error: req('an ISO instant with offset, e.g. 2026-05-01T14:30:00+08:00') })
  .refine((s) => parseInstant(s) !== null, {
    error: (iss) =>
      `must be an ISO instant with an offset, e.g. 2026-05-01T14:30:00+08:00, got ${JSON.stringify(iss.input)}`,
  });

const base = {
  /** Stable id (the server's event id); used in obligation keys. */
  id: z
    .string({ error: req('a non-empty string') })
    .min(1, { error: 'must not be empty' })
    .optional(),
  date: EventDateSchema,
  note: z.string({ error: req('a string') }).optional(),
};

const simple = <T extends EventType>(type: T) => z.object({ type: z.literal(type), ...base });

export const SelfCheckNoticeEventSchema = z
  .object({
    type: z.literal('self-check.notice'),
    ...base,
    /** The self-check year the notice is for (a year the calendar supports). */
    year: z
      .number({ error: req(`the self-check year, a whole number ${MIN_YEAR}–${MAX_YEAR}`) })
      .int({ error: (iss) => `must be a whole number ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(iss.input)}` })
      .min(MIN_YEAR, { error: (iss) => `must be a year ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(iss.input)}` })
      .max(MAX_YEAR, { error: (iss) => `must be a year ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(iss.input)}` }),
    /** The submission deadline set by the notice: in the notice's year or the next. */
    deadline: EventDateSchema,
  })
  .superRefine((ev, ctx) => {
    const y = Number(ev.deadline.slice(0, 4));
    if (y !== ev.year && y !== ev.year + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: `${ev.deadline} must lie in the notice's year ${ev.year} or in ${ev.year + 1}`,
      });
    }
  });
export const SelfCheckAbnormalEventSchema = simple('self-check.abnormal');
export const ComplaintEventSchema = simple('complaint');
export const IncidentEventSchema = z.object({
  type: z.literal('incident'),
  id: base.id,
  note: base.note,
  /** When the incident happened (an instant; the 48-hour deadline counts from it). */
  at: EventInstantSchema,
  /** Optional; when given it must be the Asia/Shanghai date of `at`. */
  date: EventDateSchema.optional(),
});
export const LicenseChangedEventSchema = simple('license.changed');
export const ChangeGeneralEventSchema = simple('change.general');
export const ChangeAppliedEventSchema = simple('change.applied');
export const ChangeMajorEventSchema = simple('change.major');
export const AcquiredEventSchema = simple('acquired');
export const LostEventSchema = simple('lost');
export const LostAppliedEventSchema = simple('lost.applied');
export const SupervisionDoneEventSchema = z.object({
  type: z.literal('supervision.done'),
  ...base,
  passed: z.boolean({ error: req('true or false') }),
});
export const RenewalAppliedEventSchema = simple('renewal.applied');
export const PolicyUpdateEventSchema = simple('policy.update');

export const CertificateEventSchema = z.discriminatedUnion('type', [
  SelfCheckNoticeEventSchema,
  SelfCheckAbnormalEventSchema,
  ComplaintEventSchema,
  IncidentEventSchema,
  LicenseChangedEventSchema,
  ChangeGeneralEventSchema,
  ChangeAppliedEventSchema,
  ChangeMajorEventSchema,
  AcquiredEventSchema,
  LostEventSchema,
  LostAppliedEventSchema,
  SupervisionDoneEventSchema,
  RenewalAppliedEventSchema,
  PolicyUpdateEventSchema,
]);
export type CertificateEvent = z.infer<typeof CertificateEventSchema>;

const SCHEMAS: Record<EventType, z.ZodType<CertificateEvent>> = {
  'self-check.notice': SelfCheckNoticeEventSchema,
  'self-check.abnormal': SelfCheckAbnormalEventSchema,
  complaint: ComplaintEventSchema,
  incident: IncidentEventSchema,
  'license.changed': LicenseChangedEventSchema,
  'change.general': ChangeGeneralEventSchema,
  'change.applied': ChangeAppliedEventSchema,
  'change.major': ChangeMajorEventSchema,
  acquired: AcquiredEventSchema,
  lost: LostEventSchema,
  'lost.applied': LostAppliedEventSchema,
  'supervision.done': SupervisionDoneEventSchema,
  'renewal.applied': RenewalAppliedEventSchema,
  'policy.update': PolicyUpdateEventSchema,
};

function describe(i: number, raw: unknown): string {
  const r = raw as Record<string, unknown>;
  const id = typeof r['id'] === 'string' ? ` (id ${r['id']})` : '';
  return `events[${i}]${id}`;
}

/**
 * Validates a list of events; returns them typed or throws `InvalidEventError` listing every problem
 * (unknown type, missing or malformed field), each naming the event and the field to fix.
 */
export function parseEvents(events: unknown): CertificateEvent[] {
  if (!Array.isArray(events)) {
    throw new InvalidEventError('events must be an array of { type, date, … } objects.');
  }
  const problems: string[] = [];
  const out: CertificateEvent[] = [];
  events.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`events[${i}] must be an object { type, date, … }`);
      return;
    }
    const type = (raw as Record<string, unknown>)['type'];
    const schema = typeof type === 'string' ? SCHEMAS[type as EventType] : undefined;
    if (!schema) {
      problems.push(
        `${describe(i, raw)}.type ${type === undefined ? 'is missing' : `${JSON.stringify(type)} is unknown`}: use one of ${EVENT_TYPES.join(', ')}`,
      );
      return;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      for (const iss of r.error.issues) {
        problems.push(`${describe(i, raw)} (${String(type)}).${iss.path.map(String).join('.') || '?'} ${iss.message}`);
      }
      return;
    }
    out.push(r.data);
  });
  if (problems.length > 0) {
    throw new InvalidEventError(`Invalid events: ${problems.join('; ')}`, problems);
  }
  return out;
}
