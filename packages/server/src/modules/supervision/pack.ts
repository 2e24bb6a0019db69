// The supervision preparation pack (监督评估准备材料): a zip with one folder per kind of evidence
// holding the current version of every file of that kind, a .docx cover with the table of
// contents and the item-by-item map, and 目录.xlsx listing each file once with its SHA-256, its
// folder, its record and the capability items it speaks to, and what is missing or expired.
//
// The files stream from the store one at a time: memory stays flat in their number and size, and
// a slow download holds one open file, not the pack.
import {
  CAPABILITY_DOMAIN_NAMES,
  EVIDENCE_SOURCES,
  EVIDENCE_SOURCE_NAMES,
  LEVEL_NAMES_ZH,
  evidenceSourcesOf,
  isLevel,
  type CapabilityItem,
  type EvidenceSource,
} from '@zizhi/core';
import type { Archiver } from 'archiver';
import type { Readable } from 'node:stream';
import { renderDocx } from '../../reports/docx.js';
import { buildPackCover } from '../../reports/pack-cover.js';
import { safePathSegment } from '../../http/content.js';
import { BlobCorruptError, BlobMissingError, type BlobStore } from '../../storage/index.js';
import { loadExcel, textForSpreadsheet } from '../imports/api.js';
import type { EvidenceFile } from './evidence.js';

export interface PackData {
  title: string;
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string; issuer: string };
  items: readonly CapabilityItem[];
  /** Item id → the visit that covers it, in words (第 1 次 · 2027-03-10). */
  visitOf: ReadonlyMap<string, string>;
  files: EvidenceFile[];
}

interface Problem {
  source: string;
  record: string;
  name: string;
  what: string;
}

/** The folder each kind of evidence goes in: numbered in a fixed order, only kinds that have files. */
function foldersOf(files: EvidenceFile[]): Map<EvidenceSource, string> {
  const present = new Set(files.map((f) => f.source));
  const folders = new Map<EvidenceSource, string>();
  for (const source of EVIDENCE_SOURCES) {
    if (!present.has(source)) continue;
    folders.set(
      source,
      `${String(folders.size + 1).padStart(2, '0')} ${safePathSegment(EVIDENCE_SOURCE_NAMES[source].zh, 40)}`,
    );
  }
  return folders;
}

/** What an item lacks: a kind of evidence with no current file, or no kind in the registry at all. */
export function itemGap(itemId: string, present: ReadonlySet<EvidenceSource>): { zh: string; en: string } | null {
  const sources = evidenceSourcesOf(itemId);
  if (sources.length === 0) {
    return {
      zh: '登记中没有对应的证据类别：请准备本能力项的制度文件和运行记录',
      en: 'No kind of evidence in the registry speaks to it: prepare the policies and records yourself',
    };
  }
  const lacking = sources.filter((s) => !present.has(s));
  if (lacking.length === 0) return null;
  return {
    zh: `缺少${lacking.map((s) => EVIDENCE_SOURCE_NAMES[s].zh).join('、')}`,
    en: `Missing: ${lacking.map((s) => EVIDENCE_SOURCE_NAMES[s].en).join(', ')}`,
  };
}

/** A name not yet used in its folder: `名称 (2).pdf` after `名称.pdf`. */
function unique(used: Set<string>, folder: string, name: string): string {
  let candidate = name;
  for (let n = 2; used.has(`${folder}/${candidate}`.toLowerCase()); n++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  }
  used.add(`${folder}/${candidate}`.toLowerCase());
  return candidate;
}

/** Formats that are compressed already: stored as they are, deflating them again costs time for nothing. */
const COMPRESSED = /\.(pdf|jpe?g|png|gif|webp|zip|docx|xlsx|pptx|ofd)$/i;

/** Appends one entry and resolves once the archive has written it, so that one file is open at a time. */
function appendEntry(archive: Archiver, source: Readable | Buffer, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onEntry = () => {
      archive.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      archive.off('entry', onEntry);
      reject(err);
    };
    archive.once('entry', onEntry);
    archive.once('error', onError);
    archive.append(source, { name, store: COMPRESSED.test(name) });
  });
}

export async function writePack(data: PackData, store: BlobStore, archive: Archiver): Promise<void> {
  const problems: Problem[] = [];
  const words = (f: EvidenceFile) => ({ source: EVIDENCE_SOURCE_NAMES[f.source].zh, record: f.record, name: f.name });
  // Bytes lost from the store are found before the folders are numbered, so that no folder is empty.
  const files: EvidenceFile[] = [];
  const order = (f: EvidenceFile) => EVIDENCE_SOURCES.indexOf(f.source);
  for (const file of [...data.files].sort(
    (x, y) => order(x) - order(y) || x.record.localeCompare(y.record, 'zh') || x.name.localeCompare(y.name, 'zh'),
  )) {
    if (file.expired) {
      problems.push({ ...words(file), what: `已过期（有效期至 ${file.validUntil}），未放入材料包` });
    } else if (!(await store.has(file.sha256))) {
      problems.push({ ...words(file), what: '存储中找不到文件内容，未放入材料包' });
    } else {
      files.push(file);
    }
  }
  const folders = foldersOf(files);
  const used = new Set<string>();
  /** fileId → where it went and what it is, for the index (a file in two kinds is listed once). */
  const listed = new Map<string, { file: EvidenceFile; paths: string[]; sources: Set<EvidenceSource> }>();
  const counts = new Map<EvidenceSource, number>();

  for (const file of files) {
    const folder = folders.get(file.source)!;
    let blob;
    try {
      blob = await store.get(file.sha256);
    } catch (err) {
      if (err instanceof BlobMissingError)
        problems.push({ ...words(file), what: '存储中找不到文件内容，未放入材料包' });
      else if (err instanceof BlobCorruptError)
        problems.push({ ...words(file), what: '文件已损坏（校验值不符），未放入材料包' });
      else throw err;
      continue;
    }
    const name = unique(used, folder, `${safePathSegment(file.record, 40)}-${safePathSegment(file.name, 100)}`);
    await appendEntry(archive, blob.stream, `${folder}/${name}`);
    const entry = listed.get(file.fileId) ?? { file, paths: [], sources: new Set<EvidenceSource>() };
    entry.paths.push(`${folder}/${name}`);
    entry.sources.add(file.source);
    listed.set(file.fileId, entry);
    counts.set(file.source, (counts.get(file.source) ?? 0) + 1);
  }

  const present = new Set(counts.keys());
  const itemRows = data.items.map((item) => {
    const gap = itemGap(item.id, present);
    if (gap && evidenceSourcesOf(item.id).length === 0) {
      problems.push({ source: '—', record: item.name.zh, name: '—', what: gap.zh });
    }
    return {
      domain: CAPABILITY_DOMAIN_NAMES[item.domain].zh,
      subdomain: item.subdomain.zh,
      name: item.name.zh,
      visit: data.visitOf.get(item.id) ?? '未安排',
      folders: evidenceSourcesOf(item.id)
        .filter((s) => folders.has(s) && counts.has(s))
        .map((s) => folders.get(s)!),
      gap: gap?.zh ?? '',
    };
  });
  const itemsOf = (sources: Set<EvidenceSource>) =>
    data.items.filter((i) => evidenceSourcesOf(i.id).some((s) => sources.has(s))).map((i) => i.name.zh);

  const cover = await renderDocx(
    buildPackCover({
      title: data.title,
      today: data.today,
      organisation: data.organisation,
      certificate: data.certificate,
      folders: [...folders].filter(([s]) => counts.has(s)).map(([s, name]) => ({ name, files: counts.get(s)! })),
      items: itemRows,
      problems: problems.length,
    }),
  );
  await appendEntry(archive, cover, `00 封面及目录.docx`);

  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Zizhi 资质';
  const text = (v: string) => textForSpreadsheet(v);
  const sheet = (name: string, columns: Array<[header: string, width: number]>) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  const list = sheet('文件清单', [
    ['序号', 6],
    ['文件夹中的位置', 60],
    ['原文件名', 36],
    ['所属记录', 28],
    ['证据类别', 24],
    ['相关能力项', 40],
    ['有效期至', 12],
    ['大小（字节）', 14],
    ['SHA-256', 70],
  ]);
  let n = 0;
  for (const { file, paths, sources } of listed.values()) {
    list.addRow([
      ++n,
      text(paths.join('\n')),
      text(file.name),
      text(file.record),
      [...sources].map((s) => EVIDENCE_SOURCE_NAMES[s].zh).join('、'),
      itemsOf(sources).join('、'),
      file.validUntil ?? '',
      file.size,
      file.sha256,
    ]);
  }
  const map = sheet('能力项对照', [
    ['能力域', 12],
    ['能力子域', 14],
    ['能力项', 24],
    ['监督评估', 22],
    ['证明材料所在文件夹', 50],
    ['缺口', 50],
  ]);
  for (const row of itemRows)
    map.addRow([row.domain, row.subdomain, row.name, row.visit, row.folders.join('\n'), row.gap]);
  const missing = sheet('缺失与过期', [
    ['证据类别', 24],
    ['所属记录', 28],
    ['原文件名', 36],
    ['情况', 60],
  ]);
  for (const p of problems) missing.addRow([p.source, text(p.record), text(p.name), p.what]);
  await appendEntry(archive, Buffer.from(await workbook.xlsx.writeBuffer()), '目录.xlsx');
  await archive.finalize();
}

/** The certificate's level as the cover names it: CS3（良好级）. */
export const levelWords = (level: string) => (isLevel(level) ? `${level}（${LEVEL_NAMES_ZH[level]}）` : level);
