// A document as the report builders describe it and both renderers (docx.ts, pdf.ts) draw it:
// plain text in blocks, so that one builder gives the same facts in Word and in PDF, and no
// user text ever reaches a renderer as markup.

/** One column of a table: its heading and its share of the width (the shares are relative). */
export interface Column {
  title: string;
  width: number;
  /** Numbers and amounts line up on the right. */
  align?: 'left' | 'center' | 'right';
}

export type Block =
  /** Level 1: 一、 headings in 黑体; level 2: （一） headings in 楷体 (a bold serif in the PDF). */
  | { type: 'heading'; level: 1 | 2; text: string }
  /** Body text; indented by two characters unless `indent` is false. */
  | { type: 'paragraph'; text: string; align?: 'left' | 'center' | 'right'; indent?: boolean }
  /** A table with a header row repeated on every page; `empty` is said when there are no rows. */
  | {
      type: 'table';
      columns: Column[];
      rows: string[][];
      empty: string;
      /** Rows a preview leaves out. */ more?: number;
    }
  /** Lines for hand-written details (signature, seal, date), right-aligned as on a letter. */
  | { type: 'signature'; lines: string[] }
  | { type: 'pageBreak' };

export interface ReportDocument {
  /** The document's title (PDF metadata, Word's core properties). */
  title: string;
  /** The cover page, unnumbered: a title in 小标宋, label–value lines under it and the date. */
  cover: { title: string; subtitle?: string; lines: Array<[string, string]>; date: string };
  /** Page numbering starts at 1 on the first page after the cover. */
  blocks: Block[];
}

/** Word's and the PDF's file names share this stem. */
export const FORMATS = ['docx', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];
