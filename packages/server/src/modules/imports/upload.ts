import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../../errors.js';
import { multipartError, notMultipart, tooLarge as tooLargeAs } from '../../http/multipart.js';

export interface ReceivedFile {
  path: string;
  /** The name the client gave, for messages and the audit log only. */
  name: string;
  size: number;
  /** Removes the temporary copy; call it when the import is over. */
  discard(): Promise<void>;
}

const TOO_LARGE_ADVICE = {
  zh: '请删去不需要的列或拆分成几个文件后再导入',
  en: 'remove the columns you do not need or split it into several files, then import again',
};
const tooLarge = (maxBytes: number) => tooLargeAs(maxBytes, TOO_LARGE_ADVICE);

/**
 * Streams the multipart field `file` to a temporary file (memory stays bounded whatever the
 * size), cut off at `maxBytes` with 413. The workbook reader then streams from that file,
 * after the upload is complete, so a slow client never holds a database transaction.
 */
export async function receiveImportFile(
  request: FastifyRequest,
  { maxBytes, onBytes }: { maxBytes: number; onBytes: (bytes: number) => void },
): Promise<ReceivedFile> {
  if (!request.isMultipart()) throw notMultipart();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-import-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    let received: ReceivedFile | undefined;
    const limits = { fileSize: maxBytes, files: 1, fields: 0, parts: 2 };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'field')
        throw invalid(part.fieldname, `表单字段 ${part.fieldname} 无效：只需上传文件字段 file`);
      if (part.fieldname !== 'file') {
        part.file.destroy();
        throw invalid(part.fieldname, `文件应放在表单字段 file 中，而不是 ${part.fieldname}`);
      }
      const target = path.join(dir, 'upload');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          onBytes(size);
          done(null, chunk);
        },
      });
      part.file.once('limit', () => part.file.destroy(tooLarge(maxBytes)));
      await pipeline(part.file, counter, createWriteStream(target));
      // busboy may end the part at the limit before the 'limit' handler ran.
      if (part.file.truncated) throw tooLarge(maxBytes);
      // Shown in messages and kept in the audit log: no control characters (a NUL breaks jsonb), no paths.
      const name = (part.filename.split(/[/\\]/).pop() ?? '').replace(/\p{Cc}/gu, '').slice(0, 200);
      received = { path: target, name: name || '导入文件', size, discard };
    }
    if (!received) throw invalid('file', { zh: '请选择要导入的文件', en: 'Choose the file to import' });
    return received;
  } catch (err) {
    await discard();
    throw multipartError(err, {
      maxBytes,
      tooLargeAdvice: TOO_LARGE_ADVICE,
      oneFile: { zh: '一次只能导入一个文件', en: 'Import one file at a time' },
      fields: { zh: '表单中只应有文件字段 file', en: 'The form should hold only the field “file”' },
    });
  }
}
