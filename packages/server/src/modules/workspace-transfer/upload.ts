import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../../errors.js';
import { multipartError, notMultipart, tooLarge } from '../../http/multipart.js';
import { PassphraseSchema } from './schemas.js';

export interface ReceivedArchive {
  path: string;
  size: number;
  /** The archive's passphrase, when the form gave one (field `passphrase`). */
  passphrase?: string;
  discard(): Promise<void>;
}

const TOO_LARGE_ADVICE = {
  zh: '请由系统管理员在服务器上用命令 zizhi workspace import 导入，或调高 ZIZHI_MAX_UPLOAD_MB',
  en: 'ask the server administrator to import it with zizhi workspace import, or to raise ZIZHI_MAX_UPLOAD_MB',
};

/**
 * Streams the multipart field `file` (the archive) to a temporary file, cut off at `maxBytes`
 * with 413, and reads the optional field `passphrase`. The import then reads the file twice,
 * after the upload is complete, so a slow client never holds a database transaction.
 */
export async function receiveArchive(
  request: FastifyRequest,
  { maxBytes, onBytes }: { maxBytes: number; onBytes: (bytes: number) => void },
): Promise<ReceivedArchive> {
  if (!request.isMultipart()) throw notMultipart();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-workspace-import-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    let file: { path: string; size: number } | undefined;
    let passphrase: string | undefined;
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 1, parts: 2 } })) {
      if (part.type === 'field') {
        if (part.fieldname !== 'passphrase' || typeof part.value !== 'string') {
          throw invalid(part.fieldname, {
            zh: `表单字段 ${part.fieldname} 无效：只需上传文件字段 file 和可选的口令 passphrase`,
            en: `Unknown form field ${part.fieldname}: send the file in “file” and, if any, the passphrase in “passphrase”`,
          });
        }
        if (part.value !== '') {
          const parsed = PassphraseSchema.safeParse(part.value);
          if (!parsed.success) {
            throw invalid('passphrase', { zh: '口令应为 12–200 个字符', en: 'The passphrase has 12–200 characters' });
          }
          passphrase = parsed.data;
        }
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.destroy();
        throw invalid(part.fieldname, {
          zh: `文件应放在表单字段 file 中，而不是 ${part.fieldname}`,
          en: `Send the file in the field “file”, not ${part.fieldname}`,
        });
      }
      const target = path.join(dir, 'archive');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          onBytes(size);
          done(null, chunk);
        },
      });
      part.file.once('limit', () => part.file.destroy(tooLarge(maxBytes, TOO_LARGE_ADVICE)));
      await pipeline(part.file, counter, createWriteStream(target));
      if (part.file.truncated) throw tooLarge(maxBytes, TOO_LARGE_ADVICE);
      file = { path: target, size };
    }
    if (!file) {
      throw invalid('file', { zh: '请选择要导入的工作空间导出文件', en: 'Choose the workspace archive to import' });
    }
    return { ...file, ...(passphrase ? { passphrase } : {}), discard };
  } catch (err) {
    await discard();
    throw multipartError(err, {
      maxBytes,
      tooLargeAdvice: TOO_LARGE_ADVICE,
      oneFile: { zh: '一次只能导入一个文件', en: 'Import one file at a time' },
      fields: {
        zh: '表单中只应有文件字段 file 和可选的口令 passphrase',
        en: 'The form should hold only the field “file” and, if any, “passphrase”',
      },
    });
  }
}
