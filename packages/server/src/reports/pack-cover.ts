// The cover and table of contents of an evidence pack (监督评估准备材料): what the pack is for, its
// folders with their file counts, and for each capability item the folders that speak to it, its
// visit in the plan, and what is missing.
import type { ReportDocument } from './model.js';
import { dateZh } from './self-check.js';

export interface PackCoverData {
  title: string;
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string; issuer: string };
  folders: Array<{ name: string; files: number }>;
  items: Array<{ domain: string; subdomain: string; name: string; visit: string; folders: string[]; gap: string }>;
  /** Files listed in the index as missing, expired or damaged. */
  problems: number;
}

export function buildPackCover(data: PackCoverData): ReportDocument {
  const files = data.folders.reduce((sum, f) => sum + f.files, 0);
  return {
    title: `${data.organisation.name} ${data.title}`,
    cover: {
      title: data.title,
      lines: [
        ['单位名称', data.organisation.name],
        ['统一社会信用代码', data.organisation.creditCode],
        ['证书等级', data.certificate.level],
        ['证书编号', data.certificate.number],
        ['评估机构', data.certificate.issuer],
      ],
      date: dateZh(data.today),
    },
    blocks: [
      { type: 'heading', level: 1, text: '一、说明' },
      {
        type: 'paragraph',
        text:
          `本材料包按证据类别分文件夹存放各类证明材料的现行版本，共 ${data.folders.length} 个文件夹、${files} 个文件。` +
          '“目录.xlsx”逐一列出每个文件及其 SHA-256 校验值、所属记录和对应的能力项；缺失、过期或无法读取的文件列在其“缺失与过期”工作表中' +
          (data.problems > 0 ? `（共 ${data.problems} 项）。` : '（本次没有）。'),
      },
      { type: 'heading', level: 1, text: '二、材料目录' },
      {
        type: 'table',
        columns: [
          { title: '文件夹', width: 5 },
          { title: '文件数', width: 1.2, align: 'right' },
        ],
        rows: data.folders.map((f) => [f.name, String(f.files)]),
        empty: '登记中没有可打包的证明材料。',
      },
      { type: 'heading', level: 1, text: '三、能力项与证明材料对照' },
      {
        type: 'table',
        columns: [
          { title: '能力域', width: 1.6 },
          { title: '能力子域', width: 1.6 },
          { title: '能力项', width: 2.6 },
          { title: '监督评估', width: 1.4, align: 'center' },
          { title: '证明材料所在文件夹', width: 3.6 },
          { title: '缺口', width: 3 },
        ],
        rows: data.items.map((i) => [i.domain, i.subdomain, i.name, i.visit, i.folders.join('、'), i.gap]),
        empty: '',
      },
    ],
  };
}

export interface DossierCoverData {
  title: string;
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string; issuer: string };
  target: string;
  materials: Array<{ name: string; status: string; folder: string }>;
  readiness: {
    summary: string;
    rows: Array<[label: string, status: string, situation: string, gap: string]>;
    /** When the target level is expected to be met, in words. */
    expected: string;
  };
  problems: number;
}

/** The cover of a renewal or upgrade dossier: the material checklist and readiness against the target level. */
export function buildDossierCover(data: DossierCoverData): ReportDocument {
  return {
    title: `${data.organisation.name} ${data.title}`,
    cover: {
      title: data.title,
      subtitle: `（申请等级：${data.target}）`,
      lines: [
        ['单位名称', data.organisation.name],
        ['统一社会信用代码', data.organisation.creditCode],
        ['现有证书', `${data.certificate.level} ${data.certificate.number}`],
        ['评估机构', data.certificate.issuer],
      ],
      date: dateZh(data.today),
    },
    blocks: [
      { type: 'heading', level: 1, text: '一、材料清单' },
      {
        type: 'paragraph',
        text:
          '各项材料按类别放在编号文件夹中；“目录.xlsx”列出每个文件及其 SHA-256 校验值，缺失、过期或无法读取的文件列在其“缺失与过期”工作表中' +
          (data.problems > 0 ? `（共 ${data.problems} 项）。` : '（本次没有）。'),
      },
      {
        type: 'table',
        columns: [
          { title: '序号', width: 0.8, align: 'center' },
          { title: '材料', width: 3.4 },
          { title: '状态', width: 3.6 },
          { title: '所在文件夹', width: 2.2 },
        ],
        rows: data.materials.map((m, i) => [String(i + 1), m.name, m.status, m.folder]),
        empty: '',
      },
      { type: 'heading', level: 1, text: `二、对照${data.target}的达标情况` },
      { type: 'paragraph', text: data.readiness.summary },
      { type: 'paragraph', text: data.readiness.expected },
      {
        type: 'table',
        columns: [
          { title: '要求', width: 3 },
          { title: '结论', width: 1.3, align: 'center' },
          { title: '现状', width: 4 },
          { title: '差距或缺少的数据', width: 3 },
        ],
        rows: data.readiness.rows,
        empty: '本等级没有量化要求。',
      },
    ],
  };
}
