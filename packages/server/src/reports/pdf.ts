// A ReportDocument as PDF through Typst (docs/documents-probe.md: the fastest of the engines tried
// and the only one that justifies Chinese text correctly), with the fonts from npm packages
// embedded as subsets. Typst compiles synchronously for a few hundred milliseconds, so it runs
// in a worker thread: requests keep being answered meanwhile. One worker, started on first use
// and kept with its compiler (fonts loaded once); documents queue in its message port.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReportDocument } from './model.js';
import { TEMPLATE } from './typst-template.js';

const require = createRequire(import.meta.url);

/** The font folders: Noto Serif SC 400 and 900 (OFL-1.1), Noto Sans S Chinese (Hei). */
export function fontFolders(): string[] {
  const serif = (weight: string) =>
    path.dirname(require.resolve(`@expo-google-fonts/noto-serif-sc/${weight}/NotoSerifSC_${weight}.ttf`));
  // The package's exports hide its fonts folder: found beside its main entry.
  const sans = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  return [serif('400Regular'), serif('900Black'), sans];
}

// Plain JavaScript: a worker given code runs it without the loader tests and tsx use.
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { NodeCompiler } = require(workerData.compiler);
const compiler = NodeCompiler.create({ fontArgs: [{ fontPaths: workerData.fonts }] });
const messages = (error) => (error ? error.shortDiagnostics.map((d) => String(d.message)) : []);
parentPort.on('message', ({ id, data }) => {
  try {
    const result = compiler.compile({ mainFileContent: workerData.template, inputs: { data } });
    const errors = messages(result.takeError());
    // A font the template names but cannot find would silently become another's: refused.
    const fonts = messages(result.takeWarnings()).filter((m) => m.includes('font'));
    if (errors.length > 0 || fonts.length > 0 || !result.result) {
      parentPort.postMessage({ id, error: [...errors, ...fonts].join('; ') || 'no document' });
      return;
    }
    const pdf = compiler.pdf(result.result, { pdfTags: false });
    const pages = result.result.numOfPages;
    compiler.evictCache(10);
    parentPort.postMessage({ id, pdf, pages }, [pdf.buffer]);
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

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (a: { pdf: Buffer; pages: number }) => void; reject: (e: Error) => void }>();

function start(): Worker {
  const w = new Worker(WORKER, {
    eval: true,
    workerData: {
      compiler: require.resolve('@myriaddreamin/typst-ts-node-compiler'),
      fonts: fontFolders(),
      template: TEMPLATE,
    },
  });
  w.on('message', (answer: Answer) => {
    const job = waiting.get(answer.id);
    if (!job) return;
    waiting.delete(answer.id);
    if (waiting.size === 0) w.unref();
    if (answer.pdf) job.resolve({ pdf: Buffer.from(answer.pdf), pages: answer.pages ?? 0 });
    else job.reject(new Error(`PDF generation failed: ${answer.error ?? 'unknown error'}`));
  });
  const fail = (err: Error) => {
    worker = null;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the PDF worker stopped (exit code ${code})`)));
  return w;
}

/** The document as PDF, with its page count. */
export function renderPdf(doc: ReportDocument): Promise<{ pdf: Buffer; pages: number }> {
  worker ??= start();
  const w = worker;
  // Held while a document is on its way: an idle worker does not keep the process alive.
  w.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, data: JSON.stringify(doc) });
  });
}

/** Stops the worker (at shutdown and after tests); the next document starts another. */
export async function stopPdfWorker(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.terminate();
}
