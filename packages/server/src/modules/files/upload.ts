import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../../errors.js';
import { multipartError, notMultipart, tooLarge as tooLargeAs } from '../../http/multipart.js';
import { describeIssues, PARSE_OPTIONS, toRequestIssues } from '../../http/validation.js';
import type { BlobStore, StoredBlob } from '../../storage/index.js';
import { detectAcceptedType, sanitizeFileName, SNIFF_BYTES, storedContentType } from '../../http/content.js';
import { UploadFieldsSchema, type UploadFields } from './schemas.js';

export { MB } from '../../http/multipart.js';

export interface ReceivedUpload {
  blob: StoredBlob;
  name: string;
  contentType: string;
  fields: UploadFields;
}

const TOO_LARGE_ADVICE = { zh: '请压缩或拆分后再上传', en: 'compress or split it, then upload again' };
const tooLarge = (maxBytes: number) => tooLargeAs(maxBytes, TOO_LARGE_ADVICE);

/** Validates the form fields received so far; empty values count as not given. */
function parseFields(raw: Record<string, string>): UploadFields {
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v.trim() !== ''));
  const parsed = UploadFieldsSchema.safeParse(given, PARSE_OPTIONS);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw invalid(issue.keys[0]!, {
      zh: `未知的表单字段 ${issue.keys.join('、')}；可用字段：file、effectiveOn、validUntil、replacesId`,
      en: `Unknown form fields ${issue.keys.join(', ')}; the fields are file, effectiveOn, validUntil and replacesId`,
    });
  }
  const { field, ...message } = describeIssues(toRequestIssues(parsed.error.issues), { route: '/api/files' });
  throw invalid(field ?? 'file', message);
}

/**
 * The first `bytes` of a stream, and a stream of all of it (those bytes included) that fails
 * instead of ending when `checkEnd` throws, so a store never keeps a cut-off file.
 */
async function peek(source: Readable, bytes: number, checkEnd: () => void): Promise<{ head: Buffer; whole: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    let finished = ended;
    try {
      yield head;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) finished = true;
        else yield next.value;
      }
      checkEnd();
    } finally {
      // Stopped early (a failed write): stop the source too.
      if (!finished) await iterator.return?.();
    }
  }
  return { head, whole: Readable.from(all()) };
}

/**
 * Checks the file part's type by its content, then streams it into the blob store. The part
 * is cut off at `maxBytes` (busboy's limit) and then fails with 413, so nothing is stored.
 */
async function storeFilePart(part: MultipartFile, store: BlobStore, maxBytes: number) {
  // busboy marks the part truncated and ends it at the limit, sometimes before this runs.
  const checkSize = () => {
    if (part.file.truncated) throw tooLarge(maxBytes);
  };
  part.file.once('limit', () => part.file.destroy(tooLarge(maxBytes)));
  try {
    const { head, whole } = await peek(part.file, SNIFF_BYTES, checkSize);
    checkSize();
    if (head.length === 0) {
      throw invalid('file', { zh: '文件为空，请选择要上传的文件', en: 'The file is empty: choose the file to upload' });
    }
    const type = await detectAcceptedType(head);
    const name = sanitizeFileName(part.filename, type);
    const blob = await store.put(whole);
    return { blob, name, contentType: storedContentType(name, type) };
  } catch (err) {
    // Stop reading the rest of the request.
    if (!part.file.destroyed) part.file.destroy();
    throw err;
  }
}

/**
 * Reads a multipart upload: the fields `effectiveOn`, `validUntil`, `replacesId` (validated
 * before the file is stored when they come first, as the web app sends them) and one file in
 * the field `file`, type-checked by content, named safely and stored by its SHA-256.
 */
export async function receiveUpload(
  request: FastifyRequest,
  { store, maxBytes }: { store: BlobStore; maxBytes: number },
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw notMultipart();
  const raw: Record<string, string> = {};
  let received: Omit<ReceivedUpload, 'fields'> | undefined;
  try {
    const limits = { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'field') {
        if (part.fieldnameTruncated || part.valueTruncated || typeof part.value !== 'string') {
          throw invalid(part.fieldname, `表单字段 ${part.fieldname} 过长或无效`);
        }
        if (part.fieldname in raw) throw invalid(part.fieldname, `表单字段 ${part.fieldname} 重复`);
        raw[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.destroy();
        throw invalid(part.fieldname, `文件应放在表单字段 file 中，而不是 ${part.fieldname}`);
      }
      parseFields(raw);
      received = await storeFilePart(part, store, maxBytes);
    }
  } catch (err) {
    throw multipartError(err, {
      maxBytes,
      tooLargeAdvice: TOO_LARGE_ADVICE,
      oneFile: { zh: '一次只能上传一个文件', en: 'Upload one file at a time' },
      fields: {
        zh: '表单字段过多；可用字段：file、effectiveOn、validUntil、replacesId',
        en: 'Too many form fields; the fields are file, effectiveOn, validUntil and replacesId',
      },
    });
  }
  if (!received) throw invalid('file', { zh: '请选择要上传的文件', en: 'Choose the file to upload' });
  return { ...received, fields: parseFields(raw) };
}
