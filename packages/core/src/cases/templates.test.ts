import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, OBLIGATION_RULES } from '../scheme/rules.js';
import { CASE_KINDS, CASE_TEMPLATES, caseKindOpenedBy, stepRule } from './templates.js';

describe('case templates', () => {
  it('name only rules and events the engine knows, each rule triggered by an event that opens the case or its step', () => {
    for (const kind of CASE_KINDS) {
      const t = CASE_TEMPLATES[kind];
      expect(t.kind).toBe(kind);
      for (const e of t.openedBy) expect(EVENT_TYPES).toContain(e);
      for (const step of t.steps) {
        if (step.doneBy) expect(EVENT_TYPES).toContain(step.doneBy);
        for (const opener of t.openedBy) {
          const id = stepRule(step, opener);
          if (!id) continue;
          const rule = OBLIGATION_RULES.find((r) => r.id === id);
          expect(rule, `${kind}/${step.key}`).toBeDefined();
          // The step's deadline follows from the case's own events: what opened it or an earlier step.
          const events = [opener, ...t.steps.flatMap((s) => (s.doneBy ? [s.doneBy] : []))];
          if (rule!.trigger.kind === 'event') expect(events, `${kind}/${step.key}`).toContain(rule!.trigger.event);
        }
      }
      // Only the last step may be left for the closing to record.
      expect(t.steps.length).toBeGreaterThan(1);
      const keys = [...t.steps.map((s) => s.key), ...t.materials.map((m) => `m:${m.key}`)];
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('opens a case for the events of the procedures, a failed supervision only', () => {
    expect(caseKindOpenedBy({ type: 'change.general' })).toBe('change');
    expect(caseKindOpenedBy({ type: 'license.changed' })).toBe('change');
    expect(caseKindOpenedBy({ type: 'change.major' })).toBe('major-change');
    expect(caseKindOpenedBy({ type: 'lost' })).toBe('loss');
    expect(caseKindOpenedBy({ type: 'policy.update' })).toBe('policy');
    expect(caseKindOpenedBy({ type: 'supervision.done', passed: false })).toBe('rectification');
    expect(caseKindOpenedBy({ type: 'supervision.done', passed: true })).toBeNull();
    expect(caseKindOpenedBy({ type: 'complaint' })).toBeNull();
    expect(caseKindOpenedBy({ type: 'change.applied' })).toBeNull();
  });

  it('counts a change opened by a licence change from the licence rule', () => {
    const apply = CASE_TEMPLATES.change.steps.find((s) => s.key === 'apply')!;
    expect(stepRule(apply, 'license.changed')).toBe('license.mismatch');
    expect(stepRule(apply, 'change.general')).toBe('change.general');
  });
});
