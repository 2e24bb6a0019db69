import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';
import { requestLanguage } from './language.js';
import { fieldLabel } from './validation.js';

describe('the language of a request', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['de-DE,en;q=0.5,zh;q=0.4', 'en'],
    ['fr', 'zh-CN'],
    ['zh;q=0.3,en;q=0.7', 'en'],
    ['en;q=0,zh-TW', 'zh-CN'],
  ])('reads %j as %s', (header, language) => {
    expect(requestLanguage(header)).toBe(language);
  });
});

interface JsonSchema {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

describe('validation messages', () => {
  let t: TestApp;
  let a: Tenant;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
    orgId = (await createOrg(a)).id;
  });
  afterAll(() => t.close());

  it('name every field the API accepts in Chinese and English words', async () => {
    const doc = (await a.owner.get('/api/docs/json')).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
      components?: { schemas?: Record<string, JsonSchema> };
    }>();
    const missing = new Set<string>();
    const check = (fieldPath: string[], route: string) => {
      for (const language of ['zh-CN', 'en'] as const) {
        if (fieldLabel(fieldPath, route, language) === undefined) missing.add(`${route} ${fieldPath.join('.')}`);
      }
    };
    const walk = (schema: JsonSchema | undefined, at: string[], route: string, depth = 0) => {
      if (!schema || depth > 8) return;
      if (schema.$ref) return walk(doc.components?.schemas?.[schema.$ref.split('/').pop()!], at, route, depth + 1);
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        check([...at, key], route);
        walk(child, [...at, key], route, depth + 1);
      }
      if (schema.items) walk(schema.items, [...at, '0'], route, depth + 1);
      for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
        walk(part, at, route, depth + 1);
      }
    };
    for (const [openApiPath, operations] of Object.entries(doc.paths)) {
      const route = openApiPath.replace(/\{(\w+)\}/g, ':$1');
      for (const operation of Object.values(operations)) {
        for (const p of operation.parameters ?? []) if (p.in === 'query') check([p.name], route);
        const body = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
          ?.content?.['application/json']?.schema;
        walk(body, [], route);
      }
    }
    expect([...missing]).toEqual([]);
  });

  const badCertificate = { level: 'CS9', number: '', issuer: '中国电子信息行业联合会', issuedOn: '2026-02-30' };

  it('says in Chinese, by default, which field is wrong and how, without its key', async () => {
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, badCertificate);
    expect(res.statusCode).toBe(400);
    const { error } = res.json<{ error: { code: string; message: string; field: string } }>();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.field).toBe('level');
    expect(error.message).toContain('等级：应为 CS1、CS2、CS3、CS4 或 CS5');
    expect(error.message).toContain('请填写证书编号');
    expect(error.message).toContain('发证日期：必须是真实日期（YYYY-MM-DD）');
    expect(error.message).not.toMatch(/issuedOn|number|level/);
  });

  it('says the same in English when the request asks for English', async () => {
    const res = await a.owner.request('POST', `/api/orgs/${orgId}/certificates`, badCertificate, {
      'accept-language': 'en',
    });
    const { message } = res.json<{ error: { message: string } }>().error;
    expect(message).toContain('Level: must be CS1, CS2, CS3, CS4 or CS5');
    expect(message).toContain('Enter the certificate number');
    expect(message).toContain('Issue date: must be a real date (YYYY-MM-DD)');
    expect(message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('names a missing field as required, a bad choice without listing stored codes, and an unknown record by the list', async () => {
    const res = await a.owner.request(
      'POST',
      `/api/orgs/${orgId}/projects`,
      { status: 'in_progress', managerId: 'somebody' },
      { 'accept-language': 'zh-CN' },
    );
    const { message } = res.json<{ error: { message: string } }>().error;
    expect(message).toBe('项目名称：必填；状态：不是可选的值，请从列表中选择；项目经理：无效，请从列表中选择');
  });

  it('answers a broken link, not a malformed id', async () => {
    const zh = await a.owner.get('/api/orgs/not-a-uuid');
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.message).toBe('链接地址无效，请从页面上的链接重新进入');
    const en = await a.owner.request('GET', '/api/orgs/not-a-uuid', undefined, { 'accept-language': 'en' });
    expect(en.json().error.message).toBe('The link is not valid: open it again from a link in the app');
  });

  it("words a service's own refusal in English when it has English", async () => {
    const res = await a.owner.request(
      'POST',
      '/api/orgs',
      { workspaceId: a.workspaceId, name: '校验位错误公司', creditCode: '91440300708461136A' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(res.json().error).toEqual({
      code: 'INVALID_INPUT',
      field: 'creditCode',
      message:
        'Unified social credit code: has a wrong check character (compare it with the code on the business licence)',
    });
  });
});
