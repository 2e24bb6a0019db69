// The workspace archive (format `zizhi-workspace`, version 1): one workspace of one installation,
// to be imported into another. It uses the layers of the backup archive (modules/backup/archive.ts:
// tar, gzip, optionally age) and its entry names for tables and files; docs/workspace-transfer.md
// describes it for people.
//
//   gzip( tar(
//     zizhi-workspace.json     header: format, version, when, release, database, schema, workspace
//     people.ndjson            {id, name, email} of every person the rows name (no password, no token)
//     tables/<table>.ndjson    the workspace's rows of each exported table, in load order
//     files/<sha256>           the bytes of every blob the workspace's files reference
//     manifest.json            SHA-256 and size of every entry before it, row, people and file counts
//   ) )
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, type Bilingual } from '../../errors.js';
import { BackupError } from '../backup/api.js';

export const WORKSPACE_FORMAT = 'zizhi-workspace';
export const WORKSPACE_FORMAT_VERSION = 1;
export const WORKSPACE_HEADER_ENTRY = 'zizhi-workspace.json';
export const PEOPLE_ENTRY = 'people.ndjson';
/** The whole-installation backup's header: named when someone uploads a backup here. */
const BACKUP_HEADER_ENTRY = 'zizhi-backup.json';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const WorkspaceHeaderSchema = z.object({
  format: z.literal(WORKSPACE_FORMAT),
  formatVersion: z.number().int().positive(),
  createdAt: z.string().datetime(),
  zizhiVersion: z.string(),
  database: z.enum(['pglite', 'postgres']),
  schema: z.object({
    applied: z.number().int().min(0),
    lastTag: z.string().nullable(),
    /** SHA-256 of each applied migration, in order, as the source database recorded them. */
    migrations: z.array(z.string().regex(SHA256_HEX)),
  }),
  workspace: z.object({ id: z.string().regex(UUID), name: z.string(), kind: z.string() }),
});
export type WorkspaceHeader = z.infer<typeof WorkspaceHeaderSchema>;

/** One person the workspace's rows name: a member, or someone named only in its history. */
export const PersonSchema = z.object({
  id: z.string().regex(UUID),
  name: z.string().max(500),
  email: z
    .string()
    .min(3)
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/),
});
export type Person = z.infer<typeof PersonSchema>;

const ManifestBodySchema = z.object({
  format: z.literal(WORKSPACE_FORMAT),
  formatVersion: z.number().int().positive(),
  entries: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(SHA256_HEX) })),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().min(0) })),
  people: z.number().int().min(0),
  files: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) }),
});
export type WorkspaceManifestBody = z.infer<typeof ManifestBodySchema>;
export type WorkspaceManifest = WorkspaceManifestBody & { sha256: string };

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The manifest's text: its body as JSON with the body's own SHA-256 last (as the backup's). */
export function serializeWorkspaceManifest(body: WorkspaceManifestBody): Buffer {
  return Buffer.from(`${JSON.stringify({ ...body, sha256: digest(JSON.stringify(body)) })}\n`);
}

// ── Errors. Everything this module refuses is an AppError in both languages, so the routes and
// the command line show the same words; the backup layer's errors are reworded for workspaces.

/** A file that is not a whole, readable workspace archive of a format this release reads. */
export const badArchive = (message: Bilingual, field = 'file') => new AppError('INVALID_INPUT', message, field);

/** Damage in one part of the archive, named so the reader knows what to distrust. */
export const damagedArchive = (what: string, detail: string) =>
  badArchive({
    zh: `工作空间导出文件已损坏：${what}（${detail}）。请重新导出后再导入。`,
    en: `The workspace archive is damaged: ${what} (${detail}). Export it again and import the new file.`,
  });

export const notWorkspaceArchive = (firstEntry?: string) =>
  firstEntry === BACKUP_HEADER_ENTRY
    ? badArchive({
        zh: '这是整个系统的备份文件，不是工作空间导出文件：请用命令 zizhi restore 恢复到空数据库；导入工作空间请在原系统中“导出工作空间”。',
        en: 'This is a backup of a whole installation, not a workspace archive: restore it into an empty database with zizhi restore; to import a workspace, use “Export workspace” on the instance it comes from.',
      })
    : badArchive({
        zh: '这不是 Zizhi 工作空间导出文件，请选择在“成员”页面用“导出工作空间”下载的文件（.tar.gz 或 .tar.gz.age）。',
        en: 'This is not a Zizhi workspace archive: choose the file downloaded with “Export workspace” on the members page (.tar.gz or .tar.gz.age).',
      });

/**
 * The backup layer's refusals (age, gzip, tar) in this module's words; anything else is returned
 * unchanged. Its messages are `zh\nen`.
 */
export function fromBackupError(err: unknown): unknown {
  if (!(err instanceof BackupError)) return err;
  const [zh = '', en = zh] = err.message.split('\n');
  switch (err.code) {
    case 'not-an-archive':
      return notWorkspaceArchive();
    case 'encrypted':
      return badArchive(
        {
          zh: '工作空间导出文件已加密：请输入导出时设置的口令。',
          en: 'The workspace archive is encrypted: enter the passphrase it was exported with.',
        },
        'passphrase',
      );
    case 'passphrase':
      return badArchive(
        { zh: '口令不正确，无法解密工作空间导出文件。', en: 'Wrong passphrase: the archive cannot be decrypted.' },
        'passphrase',
      );
    case 'damaged':
    case 'incomplete':
      return badArchive({
        zh: `${zh.replace(/^备份文件/, '工作空间导出文件')}请重新导出后再导入。`,
        en: `${en.replace(/^The archive/, 'The workspace archive')} Export it again and import the new file.`,
      });
    default:
      return badArchive({ zh, en });
  }
}

/** Parses a small JSON entry; anything wrong with it is damage to that entry. */
export function parseEntry<T>(name: string, bytes: Buffer, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw damagedArchive(`条目 entry ${name}`, 'not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damagedArchive(`条目 entry ${name}`, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/** The header after checking it is ours and of a version this release reads. */
export function parseWorkspaceHeader(bytes: Buffer): WorkspaceHeader {
  let raw: { format?: unknown; formatVersion?: unknown } | null;
  try {
    raw = JSON.parse(bytes.toString('utf8')) as { format?: unknown; formatVersion?: unknown } | null;
  } catch {
    throw damagedArchive(`文件头 ${WORKSPACE_HEADER_ENTRY}`, 'not JSON');
  }
  if (!raw || raw.format !== WORKSPACE_FORMAT) throw notWorkspaceArchive();
  if (typeof raw.formatVersion === 'number' && raw.formatVersion > WORKSPACE_FORMAT_VERSION) {
    throw badArchive({
      zh: `工作空间导出文件的格式版本 ${raw.formatVersion} 比当前 Zizhi 支持的版本 ${WORKSPACE_FORMAT_VERSION} 新：请先升级本系统再导入。`,
      en: `The archive's format version ${raw.formatVersion} is newer than this release reads (${WORKSPACE_FORMAT_VERSION}): upgrade this instance, then import it.`,
    });
  }
  return parseEntry(WORKSPACE_HEADER_ENTRY, bytes, WorkspaceHeaderSchema);
}

/** The manifest after checking its own checksum. */
export function parseWorkspaceManifest(bytes: Buffer): WorkspaceManifest {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw damagedArchive('清单 manifest.json', 'not JSON');
  }
  const { sha256, ...body } = raw ?? {};
  if (typeof sha256 !== 'string' || digest(JSON.stringify(body)) !== sha256) {
    throw damagedArchive('清单 manifest.json', 'its checksum does not match its content');
  }
  return { ...parseEntry('manifest.json', Buffer.from(JSON.stringify(body)), ManifestBodySchema), sha256 };
}
