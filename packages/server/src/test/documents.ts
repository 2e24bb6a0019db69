// Reading generated documents back as a person's software would: the .docx unzipped and its XML
// parsed, the PDF through poppler (pdftotext, pdffonts). `.ci/run` installs unzip and poppler-utils.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const run = promisify(execFile);

async function withFile<T>(content: Buffer, name: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-doc-'));
  try {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Node = Record<string, unknown>;

/** The text of every w:t under a node, in order. */
function textOf(nodes: Node[]): string {
  let out = '';
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      if (key === '#text') out += String(value);
      else if (Array.isArray(value)) out += textOf(value as Node[]);
    }
  }
  return out;
}

export interface DocxContent {
  /** Every part's name, each checked to be well-formed XML. */
  parts: string[];
  /** Paragraphs outside tables, in order. */
  paragraphs: string[];
  /** Each table's rows of cell texts. */
  tables: string[][][];
  /** word/footer*.xml parts' raw XML (page number fields). */
  footers: string[];
  /** docProps/core.xml's title. */
  title: string;
}

export async function readDocx(content: Buffer): Promise<DocxContent> {
  return withFile(content, 'document.docx', async (file) => {
    const { stdout: listing } = await run('unzip', ['-Z1', file]);
    const parts = listing.split('\n').filter(Boolean);
    // unzip reads a name as a pattern: [Content_Types].xml's brackets are escaped.
    const xml = async (part: string) =>
      (await run('unzip', ['-p', file, part.replace(/[[\]*?]/g, '\\$&')], { maxBuffer: 256 << 20 })).stdout;
    for (const part of parts.filter((p) => p.endsWith('.xml') || p.endsWith('.rels'))) {
      const valid = XMLValidator.validate(await xml(part));
      if (valid !== true) throw new Error(`${part} is not well-formed: ${JSON.stringify(valid)}`);
    }
    const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false });
    const documentXml = parser.parse(await xml('word/document.xml')) as Node[];
    const paragraphs: string[] = [];
    const tables: string[][][] = [];
    const walk = (nodes: Node[]) => {
      for (const node of nodes) {
        if ('w:p' in node) paragraphs.push(textOf(node['w:p'] as Node[]));
        else if ('w:tbl' in node) {
          const rows = (node['w:tbl'] as Node[]).filter((n) => 'w:tr' in n);
          tables.push(
            rows.map((r) => (r['w:tr'] as Node[]).filter((c) => 'w:tc' in c).map((c) => textOf(c['w:tc'] as Node[]))),
          );
        } else for (const value of Object.values(node)) if (Array.isArray(value)) walk(value as Node[]);
      }
    };
    walk(documentXml);
    const footers = await Promise.all(parts.filter((p) => /^word\/footer\d*\.xml$/.test(p)).map(xml));
    const core = await xml('docProps/core.xml');
    const title = /<dc:title>([^<]*)<\/dc:title>/.exec(core)?.[1] ?? '';
    return { parts, paragraphs, tables, footers, title };
  });
}

/** The PDF's text as pdftotext gives it, and its fonts as pdffonts lists them. */
export async function readPdf(content: Buffer): Promise<{
  text: string;
  pages: number;
  fonts: Array<{ name: string; type: string; embedded: boolean; subset: boolean }>;
}> {
  return withFile(content, 'document.pdf', async (file) => {
    // -layout keeps a table's row on one line.
    const { stdout: text } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 256 << 20,
    });
    const { stdout: fontList } = await run('pdffonts', [file]);
    const fonts = fontList
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        // name, type (one or two words), encoding, emb, sub, uni, object, id
        const [emb, sub] = cols.slice(-5, -3);
        return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes' };
      });
    const { stdout: info } = await run('pdfinfo', [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
    return { text, pages, fonts };
  });
}
