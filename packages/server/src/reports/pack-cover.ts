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
