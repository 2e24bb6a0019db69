import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';

/** Bytes read from the start of an upload to recognise its type (Office files need their first zip entries). */
export const SNIFF_BYTES = 64 * 1024;

export interface AcceptedType {
  /** The extension the content calls for. */
  ext: string;
  /** Stored and served as the download's Content-Type. */
  mime: string;
  /** Name extensions that agree with the content; any other gets `.ext` appended. */
  extensions: readonly string[];
}

/**
 * The types evidence comes in, by what file-type detects from the content. Office files are
 * zip containers (docx/xlsx/pptx, or plain zip when the entries come late) or, for the legacy
 * formats, compound files ('cfb'). Macro-enabled Office files, executables and the rest are refused.
 */
const ACCEPTED: Record<string, Omit<AcceptedType, 'ext'>> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  png: { mime: 'image/png', extensions: ['png'] },
  gif: { mime: 'image/gif', extensions: ['gif'] },
  webp: { mime: 'image/webp', extensions: ['webp'] },
  tif: { mime: 'image/tiff', extensions: ['tif', 'tiff'] },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx', 'wps'],
  },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx', 'et'] },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['pptx', 'dps'],
  },
  cfb: { mime: 'application/x-cfb', extensions: ['doc', 'xls', 'ppt', 'wps', 'et', 'dps'] },
  zip: { mime: 'application/zip', extensions: ['zip', 'docx', 'xlsx', 'pptx', 'wps', 'et', 'dps'] },
};

/** Legacy Office files are served with the type their (agreeing) extension names. */
const CFB_MIME: Record<string, string> = {
  doc: 'application/msword',
  wps: 'application/msword',
  xls: 'application/vnd.ms-excel',
  et: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  dps: 'application/vnd.ms-powerpoint',
};

export const ACCEPTED_TYPES_TEXT =
  'PDF、图片（JPEG、PNG、GIF、WebP、TIFF）、Office 文档（Word、Excel、PowerPoint）和 ZIP 压缩包';

/** The upload's type from its first bytes, or 415 naming what is accepted. */
export async function detectAcceptedType(head: Uint8Array): Promise<AcceptedType> {
  const detected = await fileTypeFromBuffer(head);
  const accepted = detected ? ACCEPTED[detected.ext] : undefined;
  if (!detected || !accepted) {
    const what = detected ? `检测到的文件类型为 ${detected.ext}（${detected.mime}）` : '无法识别文件类型';
    const whatEn = detected ? `its content is ${detected.ext} (${detected.mime})` : 'its type cannot be recognised';
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      zh: `不支持此文件：${what}。只接受 ${ACCEPTED_TYPES_TEXT}，类型按文件内容判断，与扩展名无关。`,
      en: `This file is not accepted: ${whatEn}. Accepted are PDF, images (JPEG, PNG, GIF, WebP, TIFF), Office documents (Word, Excel, PowerPoint) and ZIP archives, judged by content, not by the name's extension.`,
    });
  }
  return { ext: detected.ext, ...accepted };
}

const MAX_NAME_LENGTH = 150;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** Code points, so a cut never splits a Chinese character outside the BMP. */
const cut = (text: string, length: number) => Array.from(text).slice(0, Math.max(length, 0)).join('');

function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
}

/** The name's last segment without what no file system or reader should get, split at its extension. */
function cleanName(raw: string | undefined): [string, string] {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  const [stem, ext] = splitExtension(name);
  let base = WINDOWS_RESERVED.test(stem) ? `_${stem}` : stem;
  if (!base) base = '文件';
  return [base, ext];
}

/**
 * One segment of a path inside an archive, valid on Windows, macOS and Linux: the rules of
 * sanitizeFileName without the content check, at most `max` characters with the extension kept.
 */
export function safePathSegment(raw: string, max = 80): string {
  // A slash in a record's name is part of the name here, not a folder.
  const [base, ext] = cleanName(raw.replace(/[/\\]/g, '_'));
  const tail = ext ? `.${cut(ext, 10)}` : '';
  return `${cut(base, max - Array.from(tail).length).trim()}${tail}`;
}

/**
 * A safe display and download name: the last path segment only (both / and \), without
 * control or bidi/format characters, leading dots or characters Windows forbids, at most 150
 * characters, and with an extension that agrees with the content (else the detected one is
 * appended, so `报告.html` holding a PDF is saved as `报告.html.pdf`). Chinese is kept.
 */
export function sanitizeFileName(raw: string | undefined, type: AcceptedType): string {
  let [base, ext] = cleanName(raw);
  if (!type.extensions.includes(ext.toLowerCase())) {
    base = ext ? `${base}.${ext}` : base;
    ext = type.ext;
  }
  ext = cut(ext, 10);
  return `${cut(base, MAX_NAME_LENGTH - Array.from(ext).length - 1).trim()}.${ext}`;
}

/** The Content-Type to store: the detected one, refined for legacy Office files by their extension. */
export function storedContentType(name: string, type: AcceptedType): string {
  if (type.ext !== 'cfb') return type.mime;
  return CFB_MIME[splitExtension(name)[1].toLowerCase()] ?? type.mime;
}

/** RFC 5987 attr-char encoding: encodeURIComponent leaves ' ( ) * which attr-char excludes. */
const encodeRfc5987 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment` with an ASCII fallback name for old clients and the original (Chinese) name
 * as UTF-8 in `filename*` (RFC 6266 / RFC 5987), which every current browser prefers.
 */
export function contentDisposition(name: string): string {
  const [base, ext] = splitExtension(name);
  let fallbackBase = base.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\%;]/g, '_');
  if (/^[_\s]*$/.test(fallbackBase)) fallbackBase = 'file';
  const fallbackExt = ext.replace(/[^A-Za-z0-9]/g, '');
  const fallback = fallbackExt ? `${fallbackBase}.${fallbackExt}` : fallbackBase;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
