import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * PostgreSQL rejects NUL bytes in text and jsonb, which would turn such input into a 500:
 * reject it at the edge for every route, with the field named.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const part of [request.body, request.query, request.params]) {
      const field = findNul(part, '');
      if (field) return done(new AppError('INVALID_INPUT', `字段 ${field} 含有空字符 (NUL)，请删除后重试`, field));
    }
    done();
  });
}
