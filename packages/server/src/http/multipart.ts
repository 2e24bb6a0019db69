import { AppError, invalid } from '../errors.js';

export const MB = 1024 * 1024;

/** Every upload route takes its file in the multipart field `file`. */
export const notMultipart = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，文件放在字段 file 中');

/** The upload limit was reached; `advice` says what the person can do about it. */
export const tooLarge = (maxBytes: number, advice: string) =>
  new AppError('PAYLOAD_TOO_LARGE', `文件超过上传上限 ${maxBytes / MB} MB，${advice}`);

/**
 * @fastify/multipart's and busboy's refusals as our error codes, in the words of the route that
 * received them (what is one file too many, which fields exist); anything else is returned as is.
 */
export function multipartError(
  err: unknown,
  {
    maxBytes,
    tooLargeAdvice,
    oneFile,
    fields,
  }: { maxBytes: number; tooLargeAdvice: string; oneFile: string; fields: string },
): unknown {
  if (err instanceof AppError || !(err instanceof Error)) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes, tooLargeAdvice);
    case 'FST_FILES_LIMIT':
      return invalid('file', oneFile);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return invalid('file', fields);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return notMultipart();
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return invalid('file', '表单字段名或内容无效');
    case undefined:
      if (/Unexpected end of|Malformed|terminated early|boundary/i.test(err.message)) {
        return invalid('file', '上传内容不完整或格式有误，请重新上传');
      }
  }
  return err;
}
