import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { loggableError, toAppError, type ErrorCode } from '../errors.js';

interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

const FIELD_NAMES: Record<string, string> = {
  email: '电子邮件',
  name: '名称',
  password: '密码',
  creditCode: '统一社会信用代码',
  foundedOn: '成立日期',
  role: '角色',
  workspaceId: '工作空间',
};

/** "字段名：问题", unless the message already names the field (our own messages often do). */
function describeProblem(path: string, message: string): string {
  if (!path) return message;
  const label = FIELD_NAMES[path.split('.').pop() ?? ''];
  if (label && message.startsWith(label)) return message;
  return `${label ? `${label} (${path})` : path}：${message}`;
}

/** One mapper from every error to `{error:{code, message, field?}}`; never a stack trace. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let status = 500;
    let body: ErrorBody;
    const known = toAppError(err);
    if (known) {
      status = known.status;
      // The user is told the database is down or the disk full; the operator needs the cause.
      if (status >= 500) request.log.error({ err: loggableError(err) }, known.code);
      body = { error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) } };
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const first = err.validation[0];
      const where = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      const problems = err.validation.map((v) =>
        describeProblem(v.instancePath.replace(/^\//, '').replaceAll('/', '.'), v.message ?? ''),
      );
      body = {
        error: {
          code: 'INVALID_INPUT',
          message: `请求内容有误：${problems.join('；')}`,
          ...(where ? { field: where } : {}),
        },
      };
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      body = { error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大，请缩小后重试' } };
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      body = {
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型，请以 application/json 发送' },
      };
    } else if (err.statusCode === 429) {
      status = 429;
      body = { error: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' } };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, empty body…): safe to describe.
      status = err.statusCode;
      body = { error: { code: 'INVALID_INPUT', message: `请求无法解析：${err.message}` } };
    } else {
      request.log.error({ err: loggableError(err) }, 'unhandled error');
      body = { error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试；如持续出现请联系管理员' } };
    }
    void reply.status(status).send(body);
  });
}
