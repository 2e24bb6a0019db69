// The supervision plan as a workbook: the same facts as its document (reports/supervision-plan.ts),
// one sheet each for the visits, the items with their coverage and evidence, and the findings.
import type { PlanDocumentData } from '../../reports/supervision-plan.js';
import { loadExcel, textForSpreadsheet } from '../../reports/spreadsheet.js';

export async function planWorkbook(data: PlanDocumentData): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Zizhi 资质';
  const sheet = (name: string, columns: Array<[string, number]>, rows: Array<Array<string | number>>) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((v) => (typeof v === 'string' ? textForSpreadsheet(v) : v)));
  };
  sheet(
    '监督评估',
    [
      ['序号', 8],
      ['日期', 12],
      ['人天', 8],
      ['覆盖能力项', 12],
      ['约可覆盖', 10],
      ['状态', 10],
    ],
    data.visits.map((v, i) => [
      `第 ${i + 1} 次`,
      v.date,
      v.personDays,
      v.items,
      v.capacity,
      v.past ? '已进行' : '计划中',
    ]),
  );
  sheet(
    '能力项覆盖与证据',
    [
      ['能力域', 12],
      ['能力子域', 14],
      ['能力项', 24],
      ['监督评估', 10],
      ['状态', 10],
      ['结果', 10],
      ['证据类别', 40],
      ['文件数', 8],
      ['缺口', 50],
    ],
    data.items.map((i) => [i.domain, i.subdomain, i.name, i.visit, i.status, i.result, i.evidence, i.files, i.gap]),
  );
  sheet(
    '问题及整改',
    [
      ['监督评估日期', 14],
      ['问题', 60],
      ['整改期限', 12],
    ],
    data.findings.map((f) => [f.date, f.text, f.dueDate]),
  );
  if (data.problems.length > 0)
    sheet(
      '计划问题',
      [['问题', 100]],
      data.problems.map((p) => [p]),
    );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
