// Why a backup, a copy at one target or a restore drill failed, in words an administrator acts
// on, Chinese and English, stored with the run. Never a stack trace, never a credential; a cause
// we have no words for is named by its code and the server log has the rest.
import { AppError, type Bilingual } from '../../errors.js';
import { BackupError } from './archive.js';

const SPACE = new Set(['ENOSPC', 'EDQUOT']);
const DENIED = new Set(['EACCES', 'EPERM']);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
const S3_KEYS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken']);

/** The first error in `err`'s cause chain with a string `code` or an S3 error name. */
function findCause(err: unknown): { code?: string; name?: string; status?: number } {
  for (
    let e: unknown = err, depth = 0;
    e instanceof Error && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (typeof code === 'string' || status !== undefined) {
      return {
        ...(typeof code === 'string' ? { code } : {}),
        name: e.name,
        ...(status !== undefined ? { status } : {}),
      };
    }
  }
  return err instanceof Error ? { name: err.name } : {};
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** BackupError's message is its Chinese and English text on two lines. */
function fromBackupError(err: BackupError): Bilingual {
  const [zh = err.message, ...rest] = err.message.split('\n');
  return { zh, en: rest.join(' ') || zh };
}

/** What went wrong writing to, reading from or deleting at `target` (its display form). */
export function describeFailure(err: unknown, target?: { kind: 'dir' | 's3'; display: string }): Bilingual {
  if (err instanceof BackupError) return fromBackupError(err);
  if (err instanceof AppError) return { zh: err.message, en: err.en ?? err.message };
  const { code, name, status } = findCause(err);
  const where = target ? { zh: `备份位置 ${target.display}`, en: `the backup target ${target.display}` } : null;
  if (code && SPACE.has(code)) {
    return {
      zh: `${where ? `${where.zh} ` : '服务器'}磁盘空间不足：请清理空间或调整保留规则（ZIZHI_BACKUP_KEEP）。`,
      en: `${where ? cap(where.en) : 'The server'} is out of disk space: free some, or keep fewer archives (ZIZHI_BACKUP_KEEP).`,
    };
  }
  if (code && DENIED.has(code)) {
    return {
      zh: `无权写入${where ? `${where.zh} ` : '备份文件夹'}：请让运行 Zizhi 的系统用户可以写入该文件夹。`,
      en: `No permission to write to ${where?.en ?? 'the backup folder'}: let the user Zizhi runs as write there.`,
    };
  }
  if (code === 'EROFS') {
    return {
      zh: `${where ? `${where.zh} ` : '备份文件夹'}是只读的。`,
      en: `${where ? cap(where.en) : 'The backup folder'} is read-only.`,
    };
  }
  if (code === 'ENOTDIR') {
    return {
      zh: `${where ? `${where.zh} ` : '备份位置'}不是文件夹（路径中有同名的文件）：请改正 ZIZHI_BACKUP_TARGETS。`,
      en: `${where ? cap(where.en) : 'The backup target'} is not a folder (a file is in the way): correct ZIZHI_BACKUP_TARGETS.`,
    };
  }
  if (code === 'ENOENT' && target?.kind !== 's3') {
    return {
      zh: `找不到备份文件（${where ? `${where.zh} ` : '备份位置'}中没有它，可能已被删除或移动）。`,
      en: `The archive was not found (it is not in ${where?.en ?? 'the backup target'}; it may have been deleted or moved).`,
    };
  }
  if (target?.kind === 's3' || name?.startsWith('NoSuch') || (name && S3_KEYS.has(name))) {
    if (name === 'NoSuchBucket') {
      return {
        zh: `${where ? `${where.zh} ` : 'S3 存储'}的存储桶不存在：请先创建存储桶，或改正 ZIZHI_BACKUP_TARGETS。`,
        en: `The bucket of ${where?.en ?? 'the S3 target'} does not exist: create it, or correct ZIZHI_BACKUP_TARGETS.`,
      };
    }
    if (name === 'NoSuchKey') {
      return {
        zh: `${where ? `${where.zh} ` : 'S3 存储'}中找不到这个备份文件，可能已被删除。`,
        en: `The archive is not in ${where?.en ?? 'the S3 target'} any more; it may have been deleted.`,
      };
    }
    if ((name && S3_KEYS.has(name)) || status === 401 || status === 403) {
      return {
        zh: `${where ? `${where.zh} ` : 'S3 存储'}拒绝访问：请检查 ZIZHI_S3_ACCESS_KEY_ID 和 ZIZHI_S3_SECRET_ACCESS_KEY，以及该密钥能否在存储桶中列出、写入和删除。`,
        en: `${where ? cap(where.en) : 'The S3 target'} refused access: check ZIZHI_S3_ACCESS_KEY_ID and ZIZHI_S3_SECRET_ACCESS_KEY, and that the key may list, write and delete in the bucket.`,
      };
    }
  }
  if (code && UNREACHABLE.has(code)) {
    return {
      zh: `无法连接${where ? `${where.zh} ` : '备份位置'}（${code}）：请检查网络和 ZIZHI_S3_ENDPOINT。`,
      en: `Cannot reach ${where?.en ?? 'the backup target'} (${code}): check the network and ZIZHI_S3_ENDPOINT.`,
    };
  }
  const shown = code ?? (status !== undefined ? `HTTP ${status}` : (name ?? 'Error'));
  return {
    zh: `${where ? `写入${where.zh} 时` : '备份时'}出错（${shown}），详情见服务器日志。`,
    en: `${where ? `Writing to ${where.en} failed` : 'The backup failed'} (${shown}); the server log has the details.`,
  };
}

/** A restore drill's failure: the archive's own words when it is refused, else what went wrong reading it. */
export function describeDrillFailure(err: unknown, target: { kind: 'dir' | 's3'; display: string }): Bilingual {
  const described = describeFailure(err, target);
  if (err instanceof BackupError || err instanceof AppError) return described;
  return { zh: `恢复演练失败：${described.zh}`, en: `The restore drill failed: ${described.en}` };
}

/** A run that stopped without a result: its process ended, or the database was restored from a backup taken meanwhile. */
export const INTERRUPTED: Bilingual = {
  zh: '备份未完成：服务器在备份过程中停止（或这是从备份中恢复的数据库）。',
  en: 'The backup did not finish: the server stopped while it ran (or this database was restored from a backup taken meanwhile).',
};

export const DRILL_INTERRUPTED: Bilingual = {
  zh: '恢复演练未完成：服务器在演练过程中停止。',
  en: 'The restore drill did not finish: the server stopped while it ran.',
};
