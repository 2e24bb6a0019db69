// A ReportDocument as a Word file in the usual Chinese formal layout (GB/T 9704 where it applies):
// A4 with margins of 37/35/28/26 mm, titles in 方正小标宋简体 二号, level-1 headings in 黑体 三号,
// level-2 in 楷体_GB2312 三号, body in 仿宋_GB2312 三号 on a fixed 28.95 pt line, tables in 四号, page
// numbers "— n —" in 宋体 四号 (right on odd pages, left on even ones), none on the cover. Word and WPS
// substitute an installed font for one the machine lacks; Latin text is Times New Roman.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import type { Block, Column, ReportDocument } from './model.js';

const FONTS = {
  title: '方正小标宋简体',
  hei: '黑体',
  kai: '楷体_GB2312',
  body: '仿宋_GB2312',
  page: '宋体',
  latin: 'Times New Roman',
} as const;

/** Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
const SIZE = { er: 44, san: 32, si: 28 } as const;

/** Millimetres in twentieths of a point, as Word stores page measures. */
const mm = (n: number) => Math.round((n * 1440) / 25.4);

/** 22 lines a page at 三号: a fixed line of 28.95 pt (579 twips). */
const LINE = 579;

const run = (text: string, font: string, size: number, extra: Partial<IRunOptions> = {}) =>
  new TextRun({
    text,
    font: { ascii: FONTS.latin, hAnsi: FONTS.latin, eastAsia: font },
    size,
    language: { value: 'en-US', eastAsia: 'zh-CN' },
    ...extra,
  });

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

const body = (text: string, { align = 'left', indent = true }: { align?: keyof typeof ALIGN; indent?: boolean } = {}) =>
  new Paragraph({
    alignment: align === 'left' ? AlignmentType.JUSTIFIED : ALIGN[align],
    indent: indent && align === 'left' ? { firstLineChars: 200 } : undefined,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    children: [run(text, FONTS.body, SIZE.san)],
  });

const THIN = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(columns: Column[], rows: string[][]): Table {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const cell = (text: string, column: Column, header: boolean) =>
    new TableCell({
      width: { size: Math.round((column.width / total) * 5000), type: WidthType.PERCENTAGE },
      verticalAlign: VerticalAlign.CENTER,
      children: [
        new Paragraph({
          alignment: header ? AlignmentType.CENTER : ALIGN[column.align ?? 'left'],
          children: [run(text, header ? FONTS.hei : FONTS.body, SIZE.si)],
        }),
      ],
    });
  return new Table({
    width: { size: 5000, type: WidthType.PERCENTAGE },
    borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c) => cell(c.title, c, true)) }),
      ...rows.map(
        (row) => new TableRow({ cantSplit: true, children: columns.map((c, i) => cell(row[i] ?? '', c, false)) }),
      ),
    ],
  });
}

function blocks(list: Block[]): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [];
  for (const block of list) {
    switch (block.type) {
      case 'heading':
        out.push(
          new Paragraph({
            indent: { firstLineChars: 200 },
            spacing: { line: LINE, lineRule: LineRuleType.EXACT },
            keepNext: true,
            children: [run(block.text, block.level === 1 ? FONTS.hei : FONTS.kai, SIZE.san)],
          }),
        );
        break;
      case 'paragraph':
        out.push(body(block.text, block));
        break;
      case 'table':
        if (block.rows.length === 0) out.push(body(block.empty));
        else out.push(table(block.columns, block.rows), new Paragraph({ children: [] }));
        break;
      case 'signature':
        for (const line of block.lines) out.push(body(line, { align: 'right', indent: false }));
        break;
      case 'pageBreak':
        out.push(new Paragraph({ pageBreakBefore: true, children: [] }));
        break;
    }
  }
  return out;
}

const pageFooter = (align: 'left' | 'right') =>
  new Footer({
    children: [
      new Paragraph({
        alignment: ALIGN[align],
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: { ascii: FONTS.latin, hAnsi: FONTS.latin, eastAsia: FONTS.page },
            size: SIZE.si,
          }),
        ],
      }),
    ],
  });

const PAGE = {
  size: { width: 11906, height: 16838 },
  margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), footer: mm(28) - 400 },
};

/** The document as a .docx file. */
export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const { cover } = doc;
  const coverPage = [
    ...Array.from({ length: 4 }, () => new Paragraph({ children: [] })),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(cover.title, FONTS.title, SIZE.er)] }),
    ...(cover.subtitle
      ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(cover.subtitle, FONTS.kai, SIZE.san)] })]
      : []),
    ...Array.from({ length: 4 }, () => new Paragraph({ children: [] })),
    ...cover.lines.map(
      ([label, value]) =>
        new Paragraph({
          indent: { left: mm(20) },
          spacing: { line: LINE * 1.5, lineRule: LineRuleType.EXACT },
          children: [run(`${label}：`, FONTS.hei, SIZE.san), run(value, FONTS.body, SIZE.san)],
        }),
    ),
    ...Array.from({ length: 3 }, () => new Paragraph({ children: [] })),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(cover.date, FONTS.body, SIZE.san)] }),
  ];
  const document = new Document({
    title: doc.title,
    creator: 'Zizhi',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: { ascii: FONTS.latin, hAnsi: FONTS.latin, eastAsia: FONTS.body }, size: SIZE.san },
        },
      },
    },
    sections: [
      { properties: { page: PAGE }, children: coverPage },
      {
        properties: { page: { ...PAGE, pageNumbers: { start: 1 } } },
        footers: { default: pageFooter('right'), even: pageFooter('left') },
        children: blocks(doc.blocks),
      },
    ],
  });
  return Packer.toBuffer(document);
}
