import { AppError, invalid, type Bilingual } from '../errors.js';

export const MB = 1024 * 1024;

/** Every upload route takes its file in the multipart field `file`. */
export const notMultipart = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', {
    zh: '请以 multipart/form-data 上传，文件放在字段 file 中',
    en: 'Upload as multipart/form-data, with the file in the field “file”',
  });

/** The upload limit was reached; `advice` says what the person can do about it. */
export const tooLarge = (maxBytes: number, advice: Bilingual) =>
  new AppError('PAYLOAD_TOO_LARGE', {
    zh: `文件超过上传上限 ${maxBytes / MB} MB，${advice.zh}`,
    en: `The file is larger than the ${maxBytes / MB} MB upload limit: ${advice.en}`,
  });

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
  }: { maxBytes: number; tooLargeAdvice: Bilingual; oneFile: Bilingual; fields: Bilingual },
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
      return invalid('file', { zh: '表单字段名或内容无效', en: 'A form field name or value is not valid' });
    case undefined:
      if (/Unexpected end of|Malformed|terminated early|boundary/i.test(err.message)) {
        return invalid('file', {
          zh: '上传内容不完整或格式有误，请重新上传',
          en: 'The upload is incomplete or malformed: upload it again',
        });
      }
  }
  return err;
}
