/** The evidence area's sections, in the order an assessor asks for them, then the two answers. */
export const EVIDENCE_SECTIONS = [
  'projects',
  'staff',
  'financial-years',
  'ip',
  'standards',
  'management-certificates',
  'eligibility',
  'checks',
  'readiness',
] as const;
export type EvidenceSection = (typeof EVIDENCE_SECTIONS)[number];

export const isEvidenceSection = (value: string | undefined): value is EvidenceSection =>
  (EVIDENCE_SECTIONS as readonly string[]).includes(value ?? '');
