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
  isLevel,
  type CorrectedItem,
  type EvidenceSource,
} from '@zizhi/core';
import type { Archiver } from 'archiver';
import type { Readable } from 'node:stream';
import { renderDocx } from '../../reports/docx.js';
import { buildDossierCover, buildPackCover } from '../../reports/pack-cover.js';
import { safePathSegment } from '../../http/content.js';
import { BlobCorruptError, BlobMissingError, type BlobStore } from '../../storage/index.js';
import { loadExcel, textForSpreadsheet } from '../../reports/spreadsheet.js';
import type { EvidenceFile } from './evidence.js';
import type { ReportDocument } from '../../reports/model.js';

export interface PackData {
  title: string;
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string; issuer: string };
  /** The catalogue's items as the workspace corrected them, each with its kinds of evidence. */
  items: readonly CorrectedItem[];
  /** Item id → the visit that covers it, in words (第 1 次 · 2027-03-10). */
  visitOf: ReadonlyMap<string, string>;
  files: EvidenceFile[];
}

export interface Problem {
  source: string;
  record: string;
  name: string;
  what: string;
}

/** The folder each kind of evidence goes in: numbered in a fixed order, only kinds that have files. */
function foldersOf(present: ReadonlySet<EvidenceSource>): Map<EvidenceSource, string> {
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

/**
 * What an item lacks, given the kinds of evidence that speak to it: a kind with no current file,
 * or no kind in the registry at all.
 */
export function itemGap(
  sources: readonly EvidenceSource[],
  present: ReadonlySet<EvidenceSource>,
): { zh: string; en: string } | null {
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

/** The download ended before the pack did (the client went away): not a failure of the server. */
export class PackAborted extends Error {
  constructor() {
    super('the pack was closed before it was complete');
  }
}

/**
 * Appends one entry and resolves once the archive has written it, so that one file is open at a
 * time. When the archive closes first (the client went away), the file is closed at once and the
 * pack stops.
 */
function appendEntry(archive: Archiver, source: Readable | Buffer, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      archive.off('entry', onEntry);
      archive.off('error', onError);
      archive.off('close', onClose);
      if (!err) return resolve();
      if (!Buffer.isBuffer(source)) source.destroy();
      reject(err);
    };
    const onEntry = () => settle();
    const onError = (err: Error) => settle(err);
    const onClose = () => settle(new PackAborted());
    if (archive.destroyed) return settle(new PackAborted());
    archive.once('entry', onEntry);
    archive.once('error', onError);
    archive.once('close', onClose);
    archive.append(source, { name, store: COMPRESSED.test(name) });
  });
}

/** A sheet of 目录.xlsx besides the file list and the problems. */
export interface IndexSheet {
  name: string;
  columns: Array<[header: string, width: number]>;
  rows: Array<Array<string | number>>;
}

/** What tells one kind of pack from another: its folders, its cover and its own index sheets. */
export interface PackSpec {
  files: EvidenceFile[];
  /** The folder of each kind of evidence present (kinds left out are not packed). */
  folders(present: ReadonlySet<EvidenceSource>): Map<EvidenceSource, string>;
  /** What the file list says a file speaks to (capability items, materials). */
  speaksTo(sources: ReadonlySet<EvidenceSource>): string;
  speaksToHeader: string;
  /** Built once the files are in: `present` holds the kinds with at least one file packed. */
  finish(ctx: {
    present: ReadonlySet<EvidenceSource>;
    folders: Array<{ name: string; files: number }>;
    folderOf: ReadonlyMap<EvidenceSource, string>;
    problems: Problem[];
  }): Promise<{ cover: ReportDocument; sheets: IndexSheet[] }>;
}

/**
 * Streams a pack into `archive`: the files by folder, then the cover (00 封面及目录.docx) and the
 * index (目录.xlsx), then finalises it.
 */
export async function writePack(spec: PackSpec, store: BlobStore, archive: Archiver): Promise<void> {
  const problems: Problem[] = [];
  const words = (f: EvidenceFile) => ({ source: EVIDENCE_SOURCE_NAMES[f.source].zh, record: f.record, name: f.name });
  // Bytes lost from the store are found before the folders are numbered, so that no folder is empty.
  const files: EvidenceFile[] = [];
  const order = (f: EvidenceFile) => EVIDENCE_SOURCES.indexOf(f.source);
  for (const file of [...spec.files].sort(
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
  const folders = spec.folders(new Set(files.map((f) => f.source)));
  const used = new Set<string>();
  /** fileId → where it went and what it is, for the index (a file in two kinds is listed once). */
  const listed = new Map<string, { file: EvidenceFile; paths: string[]; sources: Set<EvidenceSource> }>();
  const counts = new Map<string, number>();
  const present = new Set<EvidenceSource>();

  for (const file of files) {
    if (archive.destroyed) throw new PackAborted();
    const folder = folders.get(file.source);
    if (!folder) continue;
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
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
    present.add(file.source);
  }

  const folderList = [...new Set(folders.values())]
    .filter((name) => counts.has(name))
    .map((name) => ({ name, files: counts.get(name)! }));
  const { cover, sheets } = await spec.finish({ present, folders: folderList, folderOf: folders, problems });
  await appendEntry(archive, await renderDocx(cover), `00 封面及目录.docx`);

  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Zizhi 资质';
  const text = (v: string | number) => (typeof v === 'string' ? textForSpreadsheet(v) : v);
  const sheet = ({ name, columns, rows }: IndexSheet) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row.map(text));
  };
  let n = 0;
  sheet({
    name: '文件清单',
    columns: [
      ['序号', 6],
      ['文件夹中的位置', 60],
      ['原文件名', 36],
      ['所属记录', 28],
      ['证据类别', 24],
      [spec.speaksToHeader, 40],
      ['有效期至', 12],
      ['大小（字节）', 14],
      ['SHA-256', 70],
    ],
    rows: [...listed.values()].map(({ file, paths, sources }) => [
      ++n,
      paths.join('\n'),
      file.name,
      file.record,
      [...sources].map((s) => EVIDENCE_SOURCE_NAMES[s].zh).join('、'),
      spec.speaksTo(sources),
      file.validUntil ?? '',
      file.size,
      file.sha256,
    ]),
  });
  sheets.forEach(sheet);
  sheet({
    name: '缺失与过期',
    columns: [
      ['证据类别', 24],
      ['所属记录', 28],
      ['原文件名', 36],
      ['情况', 60],
    ],
    rows: problems.map((p) => [p.source, p.record, p.name, p.what]),
  });
  await appendEntry(archive, Buffer.from(await workbook.xlsx.writeBuffer()), '目录.xlsx');
  await archive.finalize();
}

/** The supervision pack: a folder per kind of evidence, and the 46 items mapped to them. */
export function supervisionPack(data: PackData): PackSpec {
  return {
    files: data.files,
    folders: foldersOf,
    speaksToHeader: '相关能力项',
    speaksTo: (sources) =>
      data.items
        .filter((i) => i.evidence.some((s) => sources.has(s)))
        .map((i) => i.name.zh)
        .join('、'),
    finish: ({ present, folders, folderOf, problems }) => {
      const itemRows = data.items.map((item) => {
        const gap = itemGap(item.evidence, present);
        if (gap && item.evidence.length === 0) {
          problems.push({ source: '—', record: item.name.zh, name: '—', what: gap.zh });
        }
        return {
          domain: CAPABILITY_DOMAIN_NAMES[item.domain].zh,
          subdomain: item.subdomain.zh,
          name: item.name.zh,
          visit: data.visitOf.get(item.id) ?? '未安排',
          folders: item.evidence.filter((s) => present.has(s)).map((s) => folderOf.get(s)!),
          gap: gap?.zh ?? '',
        };
      });
      return Promise.resolve({
        cover: buildPackCover({
          title: data.title,
          today: data.today,
          organisation: data.organisation,
          certificate: data.certificate,
          folders,
          items: itemRows,
          problems: problems.length,
        }),
        sheets: [
          {
            name: '能力项对照',
            columns: [
              ['能力域', 12],
              ['能力子域', 14],
              ['能力项', 24],
              ['监督评估', 22],
              ['证明材料所在文件夹', 50],
              ['缺口', 50],
            ],
            rows: itemRows.map((r) => [r.domain, r.subdomain, r.name, r.visit, r.folders.join('\n'), r.gap]),
          },
        ],
      });
    },
  };
}

/** The certificate's level as the cover names it: CS3（良好级）. */
export const levelWords = (level: string) => (isLevel(level) ? `${level}（${LEVEL_NAMES_ZH[level]}）` : level);

/** The dossier's folders (no CS convention is published): numbered by subject, as assessors read them. */
const DOSSIER_FOLDERS: ReadonlyArray<[folder: string, sources: readonly EvidenceSource[]]> = [
  ['01 营业执照与信用', ['business-licence']],
  ['02 财务', ['audit-reports', 'tax-returns']],
  ['03 项目', ['contracts', 'acceptance-reports', 'invoices', 'feedback']],
  ['04 人员', ['qualifications', 'social-insurance', 'labour-contracts']],
  ['05 知识产权', ['ip', 'standards']],
  ['06 管理体系', ['iso9001', 'iso20000', 'iso27001', 'cmmi', 'itss', 'other-systems']],
  ['07 过程证据', ['internal-audits', 'meeting-minutes', 'self-check-reports']],
];

/** The materials a renewal (再评估) or upgrade application asks for, and the evidence each is. */
const MATERIALS: ReadonlyArray<{ name: string; sources: readonly EvidenceSource[]; own?: string }> = [
  { name: '评估申请书', sources: [], own: '在评估工作管理平台填写后盖章，由企业自行准备' },
  { name: '营业执照', sources: ['business-licence'] },
  { name: '财务审计报告（统计期内各年度）', sources: ['audit-reports'] },
  { name: '项目合同', sources: ['contracts'] },
  { name: '项目验收报告', sources: ['acceptance-reports'] },
  { name: '人员社会保险缴纳证明及劳动合同', sources: ['social-insurance', 'labour-contracts'] },
  { name: '项目经理等人员资格证书', sources: ['qualifications'] },
  { name: '知识产权证书', sources: ['ip'] },
  { name: '管理体系认证证书', sources: ['iso9001', 'iso20000', 'iso27001', 'cmmi', 'itss', 'other-systems'] },
  {
    name: '内部合规检查、季度会议纪要和年度自查报告',
    sources: ['internal-audits', 'meeting-minutes', 'self-check-reports'],
  },
];

export interface DossierData extends Omit<PackData, 'items' | 'visitOf'> {
  target: string;
  /** The years whose audited statements the window asks for. */
  auditYears: number[];
  readiness: {
    summary: string;
    rows: Array<[string, string, string, string]>;
    expected: string;
  };
}

/** The renewal or upgrade dossier: folders by subject, the material checklist, readiness against the target. */
export function dossierPack(data: DossierData): PackSpec {
  const folderOf = new Map<EvidenceSource, string>();
  for (const [folder, sources] of DOSSIER_FOLDERS) for (const s of sources) folderOf.set(s, folder);
  const materialsOf = (sources: ReadonlySet<EvidenceSource>) =>
    MATERIALS.filter((m) => m.sources.some((s) => sources.has(s))).map((m) => m.name);
  return {
    files: data.files,
    folders: () => folderOf,
    speaksToHeader: '对应材料',
    speaksTo: (sources) => materialsOf(sources).join('、'),
    finish: ({ present, problems }) => {
      const packed = data.files.filter((f) => !f.expired);
      const materials = MATERIALS.map((m) => {
        const folder = [...new Set(m.sources.map((s) => folderOf.get(s)!))].join('、');
        if (m.own) return { name: m.name, status: m.own, folder: '—' };
        const count = packed.filter((f) => m.sources.includes(f.source) && present.has(f.source)).length;
        if (m.sources.includes('audit-reports')) {
          const lacking = data.auditYears.filter(
            (y) => !packed.some((f) => f.source === 'audit-reports' && f.record === `${y}年度`),
          );
          if (lacking.length > 0) {
            const what = `缺少 ${lacking.map((y) => `${y}`).join('、')} 年度审计报告`;
            problems.push({ source: EVIDENCE_SOURCE_NAMES['audit-reports'].zh, record: '—', name: '—', what });
            return { name: m.name, status: count > 0 ? `${count} 个文件；${what}` : what, folder };
          }
        }
        if (count === 0) {
          problems.push({ source: m.name, record: '—', name: '—', what: '登记中没有这项材料' });
          return { name: m.name, status: '缺失：登记中没有这项材料', folder };
        }
        return { name: m.name, status: `已具备（${count} 个文件）`, folder };
      });
      return Promise.resolve({
        cover: buildDossierCover({
          title: data.title,
          today: data.today,
          organisation: data.organisation,
          certificate: data.certificate,
          target: data.target,
          materials,
          readiness: data.readiness,
          problems: problems.length,
        }),
        sheets: [
          {
            name: '材料清单',
            columns: [
              ['序号', 6],
              ['材料', 36],
              ['状态', 50],
              ['所在文件夹', 24],
            ],
            rows: materials.map((m, i) => [i + 1, m.name, m.status, m.folder]),
          },
        ],
      });
    },
  };
}
