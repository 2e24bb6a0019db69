// A stamped copy of a certificate scan (证书使用登记): the scan's first page with a watermark across
// it, repeated so that no crop removes it, and a band at the foot saying what the copy is for, with
// the registration number and a QR code to the public verification page (layout: typst-stamp.ts).
import { compilePdf } from './pdf.js';

export type ScanFormat = 'pdf' | 'png' | 'jpg';

export interface StampedCopyInput {
  /** The PDF's title (its metadata). */
  title: string;
  scan: { bytes: Buffer; format: ScanFormat };
  /** The short text repeated across the page. */
  watermark: string;
  /** The lines of the band at the foot. */
  band: string[];
  /** The QR code as SVG, when the certificate has a public verification page. */
  qrSvg?: string;
}

/** The stamped copy as a one-page PDF. */
export async function renderStampedCopy(input: StampedCopyInput): Promise<Buffer> {
  const scan = `scan.${input.scan.format}`;
  const files: Array<readonly [string, Buffer]> = [[scan, input.scan.bytes]];
  if (input.qrSvg) files.push(['qr.svg', Buffer.from(input.qrSvg, 'utf8')]);
  const data = {
    title: input.title,
    scan,
    watermark: input.watermark,
    band: input.band,
    qr: input.qrSvg ? 'qr.svg' : null,
  };
  const { pdf } = await compilePdf('stamp', JSON.stringify(data), files);
  return pdf;
}
