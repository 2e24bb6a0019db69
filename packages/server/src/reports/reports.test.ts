import { afterAll, describe, expect, it } from 'vitest';
import { readDocx, readPdf } from '../test/documents.js';
import { renderDocx } from './docx.js';
import type { ReportDocument } from './model.js';
import { renderPdf, stopPdfWorker } from './pdf.js';

/** Text a user typed: quotes, Typst and XML markup, a four-byte character, must come out as written. */
const HOSTILE = '#set page(width: 1cm) ]#import "x" <w:t>&amp; “引号”、𠮷野家 $x$ \\ */';

const sample = (rows: number): ReportDocument => ({
  title: '2026年度自查报告',
  cover: {
    title: '信息系统建设和服务能力评估年度自查报告',
    subtitle: '（2026年度）',
    lines: [
      ['单位名称', '深圳市示例科技有限公司'],
      ['证书编号', 'CS2-4403-000123'],
    ],
    date: '2026年12月5日',
  },
  blocks: [
    { type: 'heading', level: 1, text: '一、企业基本情况' },
    { type: 'paragraph', text: '本单位于2020年取得信息系统建设和服务能力等级证书（CS2级）。' },
    { type: 'paragraph', text: HOSTILE },
    { type: 'heading', level: 2, text: '（一）年度验收项目' },
    {
      type: 'table',
      columns: [
        { title: '序号', width: 1, align: 'center' },
        { title: '项目名称', width: 4 },
        { title: '合同金额（元）', width: 2, align: 'right' },
      ],
      rows: Array.from({ length: rows }, (_, i) => [String(i + 1), `智慧园区项目 ${i + 1}`, '1,234,567.89']),
      empty: '本年度无验收项目。',
    },
    { type: 'table', columns: [{ title: '名称', width: 1 }], rows: [], empty: '本年度无新增知识产权。' },
    { type: 'pageBreak' },
    { type: 'signature', lines: ['单位（盖章）：', '日期：    年  月  日'] },
  ],
});

afterAll(() => stopPdfWorker());

describe('report documents', () => {
  it('writes a .docx whose XML parts are well-formed and hold every text as given', async () => {
    const docx = await readDocx(await renderDocx(sample(120)));
    expect(docx.title).toBe('2026年度自查报告');
    expect(docx.paragraphs).toContain('信息系统建设和服务能力评估年度自查报告');
    expect(docx.paragraphs).toContain('单位名称：深圳市示例科技有限公司');
    expect(docx.paragraphs).toContain('一、企业基本情况');
    expect(docx.paragraphs).toContain(HOSTILE);
    expect(docx.paragraphs).toContain('本年度无新增知识产权。');
    expect(docx.tables).toHaveLength(1);
    expect(docx.tables[0]![0]).toEqual(['序号', '项目名称', '合同金额（元）']);
    expect(docx.tables[0]![120]).toEqual(['120', '智慧园区项目 120', '1,234,567.89']);
    // Page numbers are Word's own field, "— n —", on odd and even pages.
    expect(docx.footers).toHaveLength(2);
    for (const footer of docx.footers) expect(footer).toMatch(/— <\/w:t>.*PAGE.*<w:t[^>]*> —/s);
  });

  it('writes a PDF with the fonts embedded and every text as given, a hostile one included', async () => {
    const { pdf, pages } = await renderPdf(sample(120));
    const read = await readPdf(pdf);
    expect(read.pages).toBe(pages);
    expect(pages).toBeGreaterThan(4);
    // Justified lines spread their characters: compared without white space.
    const text = read.text.replace(/\s+/g, '');
    const has = (s: string) => expect(text).toContain(s.replace(/\s+/g, ''));
    has('信息系统建设和服务能力评估年度自查报告');
    has('一、企业基本情况');
    // One row of the table per line.
    expect(read.text).toMatch(/智慧园区项目 120\s+1,234,567\.89/);
    // 𠮷 (outside the basic CJK block) is not in the fonts: the rest is as typed.
    has(HOSTILE.replace('𠮷', ''));
    expect(read.text).toMatch(/—\s*2\s*—/);
    expect(read.text).not.toMatch(/—\s*0\s*—/);
    expect(read.fonts.length).toBeGreaterThanOrEqual(3);
    for (const font of read.fonts) expect(font).toMatchObject({ embedded: true, subset: true });
    expect(read.fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))).toEqual(
      expect.arrayContaining(['NotoSerifSC-Black', 'NotoSerifSC-Regular', expect.stringMatching(/^NotoSansHans-Bold/)]),
    );
  });

  it('builds PDFs one after another in its worker while the event loop keeps turning', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 5);
    try {
      const [a, b] = await Promise.all([renderPdf(sample(400)), renderPdf(sample(10))]);
      expect(a.pages).toBeGreaterThan(b.pages);
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(5);
  });
});
