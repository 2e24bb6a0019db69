// fast-check arbitraries from the OpenAPI document's JSON schemas (zod-fast-check does not support
// zod 4), with hostile values mixed in: NUL bytes, lone surrogates, huge strings, wrong types and
// unknown keys. Also a deterministic "plausible" sample of a schema for the fuzz suite's fixed
// cases, and a summary of an input for failure messages.
import fc from 'fast-check';
import type { JsonSchema } from './api-operations.js';

/** About 1 MB of ASCII: under the body limit, far over every field's maximum. */
export const HUGE_ASCII = 'x'.repeat(1_000_000);
/** About 1.2 MB in UTF-8: over the 1 MiB body limit. */
export const HUGE_CJK = '字'.repeat(400_000);

/** Strings that have broken servers: every string field may get one. */
export const HOSTILE_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\ud83d',
  '',
  ' ',
  '\ufeff',
  '\u202eevil',
  '😀',
  '%00',
  '\\u0000',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  'NaN',
  '1e309',
  '-1',
  '0000-00-00',
  '2026-02-30',
  '9999-12-31',
  '2026-13-01',
  '00000000-0000-0000-0000-000000000000',
  HUGE_ASCII,
];

/** Values of the wrong type for any field. */
export const WRONG_TYPES: readonly unknown[] = [null, 0, -1, 1.5, 1e308, -0, true, false, [], {}, [null], { a: 1 }, ''];

/** Keys that must be ignored or refused, never trip anything. */
export const HOSTILE_KEYS: readonly string[] = [
  '\u0000',
  'a\u0000',
  '\ud800',
  '__proto__',
  'constructor',
  'prototype',
  '',
];

export interface GenerateOptions {
  /** Real ids (both tenants') that uuid fields draw from besides random ones. */
  uuids: readonly string[];
  /** Mix hostile values into every leaf and object. */
  hostile: boolean;
}

const DATE = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/;
const isDatePattern = (p: string | undefined) => p !== undefined && DATE.test(p);

/**
 * Days at the edges: of the supported years (1900–2199), of the Unix epoch (day numbers turn
 * negative before it), leap days, and real-looking days outside the range.
 */
export const EDGE_DATES = [
  '1900-01-01',
  '1969-12-31',
  '1970-01-01',
  '2000-02-29',
  '2199-12-31',
  '0001-01-01',
  '9999-12-31',
];
// Mostly days a company would enter; the edges now and then (and in the fixed cases).
const calendarDate = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
);
const instant = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59+08:00', '2026-11-20T09:00:00-14:00'),
  },
);

/** Sets a key as an own, enumerable property (so `__proto__` is a key, not the prototype). */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

function stringArbitrary(schema: JsonSchema, name: string | undefined, opts: GenerateOptions): fc.Arbitrary<string> {
  if (schema.format === 'uuid') {
    return opts.uuids.length > 0 ? fc.oneof(fc.constantFrom(...opts.uuids), fc.uuid()) : fc.uuid();
  }
  if (schema.format === 'date-time') return instant;
  if (isDatePattern(schema.pattern)) {
    return fc.oneof({ weight: 4, arbitrary: calendarDate }, fc.stringMatching(new RegExp(schema.pattern!)));
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 500));
    } catch {
      // A pattern fast-check cannot generate from: plain strings below.
    }
  }
  const lower = (name ?? '').toLowerCase();
  if (lower === 'email' || lower.endsWith('email')) return fc.emailAddress();
  if (lower === 'url') return fc.webUrl();
  // Dates the schema leaves as plain strings (the engine's event fields) are mostly dates.
  if (['date', 'deadline', 'on'].includes(lower) || (name ?? '').endsWith('On')) {
    return fc.oneof({ weight: 4, arbitrary: calendarDate }, fc.string({ maxLength: 12 }));
  }
  if (lower === 'at') return fc.oneof({ weight: 4, arbitrary: instant }, fc.string({ maxLength: 12 }));
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 60, 60));
  const plain = fc.string({
    minLength: min,
    maxLength: max,
    unit: fc.oneof(fc.constantFrom('资', '质', '证'), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' })),
  });
  const bounds: string[] = [];
  if (schema.maxLength !== undefined) bounds.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
  if (min > 0) bounds.push('x'.repeat(min - 1));
  return bounds.length > 0 ? fc.oneof({ weight: 5, arbitrary: plain }, fc.constantFrom(...bounds)) : plain;
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
  const inRange = integer
    ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const bounds = [min - 1, min, max, max + 1, 0.5, Number.MAX_SAFE_INTEGER + 2].filter(Number.isFinite);
  return fc.oneof({ weight: 5, arbitrary: inRange }, fc.constantFrom(...bounds));
}

/** An arbitrary of values for the schema (hostile ones mixed in when `opts.hostile`). */
export function schemaArbitrary(
  schema: JsonSchema,
  opts: GenerateOptions,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const base = plainArbitrary(schema, opts, name, depth);
  const withNull = schema.nullable ? fc.oneof({ weight: 6, arbitrary: base }, fc.constant(null)) : base;
  if (!opts.hostile) return withNull;
  return fc.oneof(
    { weight: 12, arbitrary: withNull },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  );
}

function plainArbitrary(schema: JsonSchema, opts: GenerateOptions, name: string | undefined, depth: number) {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && variants.length > 0) {
    return fc.oneof(...variants.map((v) => schemaArbitrary(v, opts, name, depth)));
  }
  if (schema.allOf && schema.allOf.length > 0) return schemaArbitrary(schema.allOf[0]!, opts, name, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  switch (typeOf(schema)) {
    case 'string':
      return stringArbitrary(schema, name, opts);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schemaArbitrary(schema.items ?? {}, opts, name, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.max(Math.min(schema.maxItems ?? 3, 3), Math.min(schema.minItems ?? 0, 3)),
      });
    case 'object':
      return objectArbitrary(schema, opts, depth);
    default:
      // No constraint (z.unknown): any JSON.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, opts: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = schemaArbitrary(sub, opts, key, depth + 1);
  const required = (schema.required ?? []).filter((k) => k in model);
  const declared = fc.record(model, { requiredKeys: required });
  const extra =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(
          fc.oneof({ weight: 6, arbitrary: fc.string({ maxLength: 12 }) }, fc.constantFrom(...HOSTILE_KEYS)),
          schemaArbitrary(schema.additionalProperties, opts, undefined, depth + 1),
          { maxKeys: 4 },
        )
      : schema.additionalProperties === false
        ? fc.constant({})
        : fc.constant({});
  const unknownKeys = opts.hostile
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant<Array<[string, unknown]>>([]) },
        fc.array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS, 'unknownField'), fc.constantFrom(...WRONG_TYPES, 'x')), {
          minLength: 1,
          maxLength: 3,
        }),
      )
    : fc.constant<Array<[string, unknown]>>([]);
  // Now and then a required key goes missing.
  const drop =
    opts.hostile && required.length > 0
      ? fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...required) })
      : fc.constant(null);
  return fc.tuple(declared, extra, unknownKeys, drop).map(([d, e, u, dropped]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d as Record<string, unknown>)) if (k !== dropped) setKey(out, k, v);
    for (const [k, v] of Object.entries(e)) setKey(out, k, v);
    for (const [k, v] of u) setKey(out, k, v);
    return out;
  });
}

/**
 * A deterministic, plausible value for the schema: what a client that read the document would
 * send (required fields only). The fixed hostile cases are made by mutating it.
 */
export function schemaSample(
  schema: JsonSchema,
  uuidFor: (name: string | undefined) => string,
  name?: string,
  /** Optional fields too. */
  full = false,
): unknown {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && variants.length > 0) return schemaSample(variants[0]!, uuidFor, name, full);
  if (schema.allOf && schema.allOf.length > 0) return schemaSample(schema.allOf[0]!, uuidFor, name, full);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (typeOf(schema)) {
    case 'string': {
      if (schema.format === 'uuid') return uuidFor(name);
      if (schema.format === 'date-time') return '2026-11-20T09:00:00+08:00';
      if (isDatePattern(schema.pattern)) return '2026-11-20';
      if (schema.pattern) {
        try {
          return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed: 1 })[0];
        } catch {
          // Below.
        }
      }
      const lower = (name ?? '').toLowerCase();
      if (lower.endsWith('email')) return 'fuzz.sample@example.cn';
      if (['date', 'deadline', 'on'].includes(lower) || (name ?? '').endsWith('On')) return '2026-11-20';
      if (lower === 'at') return '2026-11-20T09:00:00+08:00';
      if (lower === 'url') return 'https://oapi.dingtalk.com/robot/send?access_token=sample';
      const text = SAMPLE_TEXT;
      const min = schema.minLength ?? 1;
      return text.length >= min ? text.slice(0, schema.maxLength ?? text.length) : 'x'.repeat(min);
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, Math.min(2026, schema.maximum ?? 2026)) : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return schema.minItems || full ? [schemaSample(schema.items ?? {}, uuidFor, name, full)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of full ? Object.keys(schema.properties ?? {}) : (schema.required ?? [])) {
        const sub = schema.properties?.[key];
        if (sub) setKey(out, key, schemaSample(sub, uuidFor, key, full));
      }
      return out;
    }
    default:
      return {};
  }
}

/** A copy of a JSON value with every string mapped and, in every object, extra keys added. */
export function mutate(
  value: unknown,
  change: { string?: (s: string) => string; addKeys?: Record<string, unknown> },
): unknown {
  if (typeof value === 'string') return change.string ? change.string(value) : value;
  if (Array.isArray(value)) return value.map((v) => mutate(v, change));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, mutate(v, change));
    for (const [k, v] of Object.entries(change.addKeys ?? {})) setKey(out, k, v);
    return out;
  }
  return value;
}

/** The first string in a JSON value replaced (for one huge field rather than many). */
export function replaceFirstString(value: unknown, replacement: string): unknown {
  let done = false;
  return mutate(value, {
    string: (s) => {
      if (done) return s;
      done = true;
      return replacement;
    },
  });
}

/** The text `schemaSample` puts in plain string fields. */
export const SAMPLE_TEXT = '示例内容';

/** A readable, bounded description of an input for failure messages (huge and deep values summarised). */
export function describeInput(value: unknown, depth = 0): string {
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.length > 80 ? value.slice(0, 40) : value);
    return value.length > 80 ? `${shown}…(${value.length} chars)` : shown;
  }
  if (depth > 6) return '…(deeper)';
  if (Array.isArray(value))
    return `[${value
      .slice(0, 8)
      .map((v) => describeInput(v, depth + 1))
      .join(', ')}${value.length > 8 ? ', …' : ''}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return `{${entries
      .slice(0, 12)
      .map(([k, v]) => `${JSON.stringify(k)}: ${describeInput(v, depth + 1)}`)
      .join(', ')}${entries.length > 12 ? ', …' : ''}}`;
  }
  return String(value);
}
