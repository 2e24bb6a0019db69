import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OBLIGATION_RULES, reminderSteps } from '@zizhi/core';
import i18next, { type i18n as I18n } from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { stepLabel } from '../notifications/step-label';
import { actionLabel, AUDIT_ACTIONS, describeTarget, formatSummary, type AuditRow } from './format-summary';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverSrc = path.resolve(here, '../../../../server/src');

/** One translator per language, without falling back to Chinese: a missing English text must show. */
function translator(lng: 'zh-CN' | 'en'): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
const LANGUAGES = [translator('zh-CN'), translator('en')];

function serverSources(dir = serverSrc): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [readFileSync(full, 'utf8')] : [];
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('audit log in words', () => {
  it('has a Chinese and an English name for every action the server records, and offers each in the filter', () => {
    const source = readFileSync(path.join(serverSrc, 'access/audit.ts'), 'utf8');
    const union = /export type AuditAction =([^;]+);/.exec(source)?.[1] ?? '';
    const actions = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(actions.length).toBeGreaterThan(40);
    for (const action of actions) {
      expect(AUDIT_ACTIONS, action).toContain(action);
      for (const i18n of LANGUAGES)
        expect(i18n.exists(`audit.actions.${action}`), `${i18n.language} ${action}`).toBe(true);
    }
  });

  it('names every kind of record the server writes audit rows about, in both languages', () => {
    const kinds = new Set<string>();
    for (const text of serverSources()) {
      for (const m of text.matchAll(/(?:targetType|recordType): '([a-z-]+)'/g)) kinds.add(m[1]!);
    }
    expect(kinds).toContain('certificate');
    for (const kind of kinds) {
      for (const i18n of LANGUAGES) expect(i18n.exists(`audit.targets.${kind}`), `${i18n.language} ${kind}`).toBe(true);
    }
  });

  const rule = OBLIGATION_RULES[0]!;
  const assignee = '2b4f7c1e-9d3a-4e55-8a61-0c2d3e4f5a6b';
  const org = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
  const rows: AuditRow[] = [
    {
      action: 'obligation.updated',
      targetType: 'obligation',
      targetId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      summary: {
        rule: rule.id,
        dueDate: '2026-09-30',
        changed: {
          status: { before: 'open', after: 'in_progress' },
          assigneeId: { before: null, after: assignee },
        },
      },
    },
    {
      action: 'certificate.transition',
      targetType: 'certificate',
      targetId: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
      targetName: 'CS3-2024-0001',
      summary: { from: 'active', to: 'suspended', on: '2026-03-01', reason: '未按期自查' },
    },
    {
      action: 'certificate.created',
      targetType: 'certificate',
      targetId: '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b',
      summary: {
        after: { level: 'CS3', number: 'A-1', issuer: '中国电子信息行业联合会', public: false, scanFileId: assignee },
        predecessorId: '9a1f0b42-3c5d-4e6f-8a9b-0c1d2e3f4a5b',
      },
    },
    {
      action: 'event.recorded',
      targetType: 'event',
      targetId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
      summary: {
        certificateId: '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b',
        type: 'supervision.done',
        date: '2026-05-01',
        passed: true,
      },
    },
    {
      action: 'member.updated',
      targetType: 'member',
      targetId: assignee,
      summary: { changed: { role: { before: 'viewer', after: 'manager' }, orgIds: { before: null, after: [org] } } },
    },
    {
      action: 'evidence.created',
      targetType: 'project',
      targetId: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      summary: {
        after: {
          id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
          name: '智慧园区',
          status: 'in-progress',
          managerId: assignee,
        },
        files: 2,
      },
    },
    {
      action: 'channel.updated',
      targetType: 'channel',
      targetId: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
      summary: { changed: ['url', 'secret'] },
    },
    {
      action: 'workspace.created',
      targetType: 'workspace',
      targetId: 'd9428888-122b-11e1-b85c-61cd3cbb3210',
      summary: { name: '示例咨询', kind: 'consultancy' },
    },
    {
      action: 'workspace.imported',
      targetType: 'workspace',
      targetId: 'd9428888-122b-11e1-b85c-61cd3cbb3210',
      summary: {
        name: '示例咨询',
        exportedAt: '2026-11-20T02:00:00.000Z',
        rows: 1200,
        files: 30,
        accountsLinked: 1,
        accountsCreated: 4,
      },
    },
    {
      action: 'requirements.updated',
      targetType: 'requirement-set',
      targetId: null,
      summary: {
        level: 'CS3',
        requirements: ['years-in-business', 'ip-count'],
        window: { kind: 'calendar-years', years: 3 },
      },
    },
    {
      action: 'file.uploaded',
      targetType: 'file',
      targetId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      summary: {
        after: { name: '合同.pdf', sha256: 'ab'.repeat(32), size: 2_400_000, contentType: 'application/pdf' },
      },
    },
  ];
  const keys = [
    'in_progress',
    'supervision.done',
    'assigneeId',
    'managerId',
    'scanFileId',
    'predecessorId',
    'certificateId',
    'consultancy',
    'calendar-years',
    'years-in-business',
    'sha256',
    'application/pdf',
    'accountsLinked',
    'exportedAt',
    'in-progress',
    rule.id,
  ];

  it.each(LANGUAGES.map((i18n) => [i18n.language, i18n] as const))(
    'shows no ids, rule ids or stored keys in %s',
    (_, i18n) => {
      const context = { i18n, orgName: () => '深圳市示例科技有限公司', personName: () => '王工' };
      for (const row of rows) {
        const shown = `${actionLabel(row.action, context)} ${describeTarget(row, context)} ${formatSummary(row, context)}`;
        expect(shown, row.action).not.toMatch(UUID);
        for (const key of keys) expect(shown, `${row.action}: ${key}`).not.toContain(key);
      }
    },
  );

  it('says what changed in Chinese words', () => {
    const context = { i18n: LANGUAGES[0]!, orgName: () => '深圳市示例科技有限公司', personName: () => '王工' };
    expect(formatSummary(rows[0]!, context)).toBe(
      `义务：${rule.titleZh}；截止日期：2026-09-30；状态：待办 → 进行中；负责人：— → 王工`,
    );
    expect(describeTarget(rows[1]!, context)).toBe('证书“CS3-2024-0001”');
    expect(formatSummary(rows[1]!, context)).toContain('原状态：有效');
    expect(describeTarget(rows[3]!, context)).toBe('事件“监督评估结果 2026-05-01”');
  });

  it('names a registered use’s purpose and a corrected item’s kinds of evidence in words, never by their codes', () => {
    const use: AuditRow = {
      action: 'usage.registered',
      targetType: 'certificate',
      targetId: null,
      summary: { registrationNo: 'SY2026-0001', purpose: 'supplier-registration', recipient: '某客户' },
    };
    const corrected: AuditRow = {
      action: 'catalogue.corrected',
      targetType: 'capability-item',
      targetId: null,
      summary: { capabilityItem: '战略分析', evidenceKinds: ['audit-reports', 'meeting-minutes'] },
    };
    const zh = { i18n: LANGUAGES[0]! };
    const en = { i18n: LANGUAGES[1]! };
    expect(formatSummary(use, zh)).toBe('登记号：SY2026-0001；用途：供应商入库；接收方：某客户');
    expect(formatSummary(use, en)).toBe(
      'Registration no.: SY2026-0001; Purpose: Supplier registration; Recipient: 某客户',
    );
    expect(formatSummary(corrected, zh)).toBe('能力项：战略分析；证据类别：财务审计报告、资质维护季度会议纪要');
  });

  it('says what changed in English words', () => {
    const context = { i18n: LANGUAGES[1]!, orgName: () => 'Example Ltd', personName: () => 'Wang' };
    expect(formatSummary(rows[0]!, context)).toBe(
      `Obligation: ${rule.titleEn}; Due: 2026-09-30; Status: Open → In progress; Assignee: — → Wang`,
    );
    expect(formatSummary(rows[7]!, context)).toBe('Name: 示例咨询; Kind: Consultancy');
  });
});

describe('reminder steps in words', () => {
  const steps = new Set<string>();
  for (const r of OBLIGATION_RULES) {
    for (const s of reminderSteps({
      ladder: r.reminders,
      dueDate: '2026-06-30',
      windowStart: '2026-01-01',
      overdueCount: 3,
    })) {
      steps.add(s.step);
    }
    const hourly = { ladder: r.reminders, dueDate: '2026-06-30', dueAt: '2026-06-30T15:00:00+08:00', overdueCount: 1 };
    for (const s of reminderSteps(hourly)) steps.add(s.step);
  }

  it('covers the forms of step the schedules produce', () => {
    const forms = new Set([...steps].map((s) => s.replace(/\d+/, 'n')));
    expect([...forms].sort()).toEqual(['at-due', 'before-nd', 'before-nh', 'on-day', 'overdue-n']);
  });

  it.each(LANGUAGES.map((i18n) => [i18n.language, i18n] as const))('names every step in words in %s', (_, i18n) => {
    for (const step of steps) {
      const label = stepLabel(step, i18n);
      expect(label, step).not.toContain(step);
      expect(label, step).not.toMatch(/before-|overdue-|on-day|at-due|deliveries\./);
      expect(label, step).not.toBe(stepLabel('not-a-step', i18n));
    }
  });

  it('reads “到期前 30 天” and “逾期第 2 次提醒”', () => {
    expect(stepLabel('before-30d', LANGUAGES[0]!)).toBe('到期前 30 天');
    expect(stepLabel('before-24h', LANGUAGES[0]!)).toBe('到期前 24 小时');
    expect(stepLabel('overdue-2', LANGUAGES[0]!)).toBe('逾期第 2 次提醒');
    expect(stepLabel('before-1d', LANGUAGES[1]!)).toBe('1 day before the deadline');
    expect(stepLabel('at-due', LANGUAGES[1]!)).toBe('At the deadline');
  });
});
