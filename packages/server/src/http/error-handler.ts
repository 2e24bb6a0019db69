import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { loggableError, toAppError, type Bilingual, type ErrorCode } from '../errors.js';
import { requestLanguage } from './language.js';
import { describeIssues } from './validation.js';

interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

/**
 * One mapper from every error to `{error:{code, message, field?}}`; never a stack trace. The
 * message is in the language the request asks for (Accept-Language: Chinese unless English).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const language = requestLanguage(request.headers['accept-language']);
    const say = (text: Bilingual) => (language === 'en' ? text.en : text.zh);
    let status = 500;
    let body: ErrorBody;
    const known = toAppError(err);
    if (known) {
      status = known.status;
      // The user is told the database is down or the disk full; the operator needs the cause.
      if (status >= 500) request.log.error({ err: loggableError(err) }, known.code);
      body = {
        error: { code: known.code, message: known.messageIn(language), ...(known.field ? { field: known.field } : {}) },
      };
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const described = describeIssues(err.validation, {
        context: err.validationContext,
        route: request.routeOptions.url,
      });
      body = {
        error: {
          code: 'INVALID_INPUT',
          message: say(described),
          ...(described.field ? { field: described.field } : {}),
        },
      };
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      body = {
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: say({
            zh: '请求内容过大，请缩小后重试',
            en: 'The request is too large; make it smaller and try again',
          }),
        },
      };
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      body = {
        error: {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: say({
            zh: '不支持的内容类型，请以 application/json 发送',
            en: 'Unsupported content type; send application/json',
          }),
        },
      };
    } else if (err.statusCode === 429) {
      status = 429;
      body = {
        error: {
          code: 'RATE_LIMITED',
          message: say({ zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again shortly' }),
        },
      };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, empty body…): its words, for the request's author.
      status = err.statusCode;
      body = {
        error: {
          code: 'INVALID_INPUT',
          message: say({ zh: `请求无法解析：${err.message}`, en: `The request cannot be read: ${err.message}` }),
        },
      };
    } else {
      request.log.error({ err: loggableError(err) }, 'unhandled error');
      body = {
        error: {
          code: 'INTERNAL',
          message: say({
            zh: '服务器内部错误，请稍后重试；如持续出现请联系管理员',
            en: 'Internal server error. Try again later; if it persists, contact your administrator.',
          }),
        },
      };
    }
    void reply.status(status).send(body);
  });
}
