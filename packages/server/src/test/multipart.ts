import { randomBytes } from 'node:crypto';
import type { Client } from './harness.js';

export type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

/** A multipart/form-data body as a browser sends it (raw UTF-8 names; quotes and backslashes escaped). */
export function multipart(parts: Part[]) {
  const boundary = `----zizhi${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      const filename = p.filename.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${filename}"\r\n` +
            `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.content,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A minimal valid PDF; `note` (text, or bytes for a file of some size) makes its bytes distinct. */
export const pdf = (note: string | Buffer) =>
  Buffer.concat([
    Buffer.from(
      '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n% ',
    ),
    typeof note === 'string' ? Buffer.from(note) : note,
    Buffer.from('\ntrailer <</Root 1 0 R>>\n%%EOF\n'),
  ]);

/** Uploads a file to the organisation's files through the real route. */
export function uploadFile(
  who: Client,
  orgId: string,
  file: { filename: string; content: Buffer },
  fields: Record<string, string> = {},
) {
  const { body, contentType } = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', ...file },
  ]);
  return who.request('POST', `/api/orgs/${orgId}/files`, body, { 'content-type': contentType });
}
