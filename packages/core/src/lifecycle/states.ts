// Certificate states and the allowed transitions (as the assessment scheme defines them; see
// docs/domain.md, "Certificate states").

export const CERTIFICATE_STATES = [
  'active',
  'suspended',
  'downgraded',
  'revoked',
  'abandoned',
  'expired',
  'superseded',
  'invalidated',
] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

export const CERTIFICATE_STATE_LABELS: Readonly<Record<CertificateState, { zh: string; en: string }>> = {
  active: { zh: '有效', en: 'active' },
  suspended: { zh: '暂停使用（整改期）', en: 'suspended (rectification)' },
  downgraded: { zh: '已降级', en: 'downgraded' },
  revoked: { zh: '已撤销', en: 'revoked' },
  abandoned: { zh: '视为放弃', en: 'abandoned' },
  expired: { zh: '已过期', en: 'expired' },
  superseded: { zh: '已由新证书接续', en: 'superseded' },
  invalidated: { zh: '已失效（被并购）', en: 'invalidated (acquired)' },
};

/** Allowed transitions: from → the states it may move to. The others are terminal. */
export const CERTIFICATE_TRANSITIONS: Readonly<Record<CertificateState, readonly CertificateState[]>> = {
  active: ['suspended', 'downgraded', 'revoked', 'abandoned', 'expired', 'superseded', 'invalidated'],
  suspended: ['active', 'downgraded', 'revoked', 'abandoned', 'expired', 'invalidated'],
  downgraded: [],
  revoked: [],
  abandoned: [],
  expired: [],
  superseded: [],
  invalidated: [],
};

/** Whether a certificate in state `from` may move to `to`. */
export function canTransition(from: CertificateState, to: CertificateState): boolean {
  return CERTIFICATE_TRANSITIONS[from].includes(to);
}

/** Whether no transition leaves `state`. */
export function isTerminalState(state: CertificateState): boolean {
  return CERTIFICATE_TRANSITIONS[state].length === 0;
}
