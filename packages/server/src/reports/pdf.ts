// A ReportDocument as PDF through Typst (docs/documents-probe.md: the fastest of the engines tried
// and the only one that justifies Chinese text correctly), with the fonts from npm packages
// embedded as subsets. Typst compiles synchronously for a few hundred milliseconds, so it runs
// in a child process: requests keep being answered meanwhile, a crash of the native compiler
// cannot take the server down, and the memory it took (about 150 MB with its caches) goes back to
// the system when it ends, which a worker thread's does not. One process, started on first use
// and kept with its compiler (fonts loaded once) until it has been idle for a minute; documents
// queue on its IPC channel.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ReportDocument } from './model.js';
import { TEMPLATE } from './typst-template.js';
import { STAMP_TEMPLATE } from './typst-stamp.js';

/** How a document that did not compile is reported (a crash of the process is reported otherwise). */
export const PDF_FAILED = 'PDF generation failed: ';

/** The layouts the PDF process knows, by name. */
const TEMPLATES = { report: TEMPLATE, stamp: STAMP_TEMPLATE } as const;
type TemplateName = keyof typeof TEMPLATES;

const require = createRequire(import.meta.url);

/** The font folders: Noto Serif SC 400 and 900 (OFL-1.1), Noto Sans S Chinese (Hei). */
export function fontFolders(): string[] {
  const serif = (weight: string) =>
    path.dirname(require.resolve(`@expo-google-fonts/noto-serif-sc/${weight}/NotoSerifSC_${weight}.ttf`));
  // The package's exports hide its fonts folder: found beside its main entry.
  const sans = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  return [serif('400Regular'), serif('900Black'), sans];
}

// Plain JavaScript run by \`node -e\`: no loader, the same in tests, under tsx and from dist.
const WORKER = String.raw`
const workerData = JSON.parse(process.env.ZIZHI_PDF_WORKER);
const parentPort = { postMessage: (m) => process.send(m), on: (e, f) => process.on(e, f) };
const { NodeCompiler } = require(workerData.compiler);
const ROOT = '/zizhi-virtual';
const compiler = NodeCompiler.create({ workspace: ROOT, fontArgs: [{ fontPaths: workerData.fonts }] });
const messages = (error) => (error ? error.shortDiagnostics.map((d) => String(d.message)) : []);
parentPort.on('message', ({ id, data, template, files }) => {
  try {
    // Files the template places (a scan, a QR code) exist only in memory, for this document.
    compiler.resetShadow();
    for (const [name, bytes] of files || []) compiler.mapShadow(ROOT + '/' + name, Buffer.from(bytes));
    const result = compiler.compile({ mainFileContent: workerData.templates[template], inputs: { data } });
    const errors = messages(result.takeError());
    // A font the template names but cannot find would silently become another's: refused.
    const fonts = messages(result.takeWarnings()).filter((m) => m.includes('font'));
    if (errors.length > 0 || fonts.length > 0 || !result.result) {
      parentPort.postMessage({ id, error: [...errors, ...fonts].join('; ') || 'no document' });
      return;
    }
    const pdf = compiler.pdf(result.result, { pdfTags: false });
    const pages = result.result.numOfPages;
    compiler.resetShadow();
    compiler.evictCache(10);
    parentPort.postMessage({ id, pdf, pages });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Answer {
  id: number;
  pdf?: Uint8Array;
  pages?: number;
  error?: string;
}

/**
 * An idle worker is stopped after this long: its compiler and fonts take about 150 MB, which a
 * server that writes a PDF now and then should not keep.
 */
const IDLE_MS = 60_000;

let worker: ChildProcess | null = null;
let idle: NodeJS.Timeout | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (a: { pdf: Buffer; pages: number }) => void; reject: (e: Error) => void }>();

function start(): ChildProcess {
  const child = fork('-e', [WORKER], {
    execPath: process.execPath,
    // The code is the script: node's own options of this process (a loader, heap flags) stay out.
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ZIZHI_PDF_WORKER: JSON.stringify({
        compiler: require.resolve('@myriaddreamin/typst-ts-node-compiler'),
        fonts: fontFolders(),
        templates: TEMPLATES,
      }),
    },
  });
  child.on('message', (answer: Answer) => {
    const job = waiting.get(answer.id);
    if (!job) return;
    waiting.delete(answer.id);
    if (waiting.size === 0) {
      child.unref();
      child.channel?.unref();
      idle = setTimeout(() => void stopPdfWorker(), IDLE_MS).unref();
    }
    if (answer.pdf) job.resolve({ pdf: Buffer.from(answer.pdf), pages: answer.pages ?? 0 });
    else job.reject(new Error(`${PDF_FAILED}${answer.error ?? 'unknown error'}`));
  });
  const fail = (err: Error) => {
    if (worker === child) worker = null;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  child.on('error', fail);
  child.on('exit', (code, signal) => fail(new Error(`the PDF process stopped (${signal ?? `exit code ${code}`})`)));
  return child;
}

/** The document as PDF, with its page count. */
export function renderPdf(doc: ReportDocument): Promise<{ pdf: Buffer; pages: number }> {
  return compilePdf('report', JSON.stringify(doc));
}

/**
 * A layout compiled with its data (JSON, read by the template as text, never as markup) and the
 * files it places, named as the template names them.
 */
export function compilePdf(
  template: TemplateName,
  data: string,
  files: ReadonlyArray<readonly [string, Buffer]> = [],
): Promise<{ pdf: Buffer; pages: number }> {
  if (idle) clearTimeout(idle);
  idle = null;
  worker ??= start();
  const child = worker;
  // Held while a document is on its way: an idle process does not keep the server's alive.
  child.ref();
  child.channel?.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    child.send({ id, data, template, files });
  });
}

/** Stops the PDF process (when idle, at shutdown, after tests); the next document starts another. */
export async function stopPdfWorker(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = null;
  const child = worker;
  worker = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill();
  await exited;
}
