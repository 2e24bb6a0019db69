import { invalid } from '../../errors.js';

/** U+FFFD as each encoding writes it: a file may hold the character itself. */
export const REPLACEMENT_BYTES = {
  utf8: Buffer.from([0xef, 0xbf, 0xbd]),
  gb18030: Buffer.from([0x84, 0x31, 0xa4, 0x37]),
} as const;

const REPLACEMENT = '\uFFFD';
// ES2024, in Node since 20; the lib the server compiles against is ES2023. Native, so checking
// the text costs a fraction of decoding it (a regular expression costs as much again).
const isWellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

function occurrences(data: Buffer, sequence: Buffer): number {
  let n = 0;
  for (let at = data.indexOf(sequence); at !== -1; at = data.indexOf(sequence, at + sequence.length)) n++;
  return n;
}

/**
 * Tells the replacement characters a decoder made up from those the file holds. A decoder puts
 * U+FFFD where bytes are not text of its encoding and carries on, so one bad byte would be
 * saved as a character nobody typed, and nobody would be told. The file's own U+FFFD (text
 * copied from a page that was already damaged) are whole byte sequences, counted as the bytes
 * go by: any U+FFFD in the text beyond those was made up. In UTF-8 those bytes always decode to
 * exactly one U+FFFD (their first byte cannot continue another character) and every invalid
 * sequence to at least one, so there the comparison is exact.
 */
export class DecodingCheck {
  private inBytes = 0;
  private inText = 0;
  private hasLoneSurrogate = false;
  private tail = Buffer.alloc(0);

  constructor(private readonly replacement: Buffer) {}

  /** A chunk of the file and the text its decoder gave for it (a split character comes with the next chunk). */
  feed(bytes: Buffer, text: string): void {
    const keep = this.replacement.length - 1;
    // The tail is shorter than the sequence, so what it matches with the chunk's start is split by
    // the boundary and never counted again in the chunk itself.
    const joint = Buffer.concat([this.tail, bytes.subarray(0, keep)]);
    this.inBytes += occurrences(joint, this.replacement) + occurrences(bytes, this.replacement);
    this.tail = Buffer.from(
      bytes.length >= keep ? bytes.subarray(bytes.length - keep) : joint.subarray(Math.max(0, joint.length - keep)),
    );
    this.countText(text);
  }

  /** What the decoder gave at the end: a character cut off by the end of the file comes out here. */
  end(text: string): void {
    this.countText(text);
  }

  /** How many characters the decoder made up so far. */
  get madeUp(): number {
    return Math.max(0, this.inText - this.inBytes);
  }

  get isDamaged(): boolean {
    // iconv-lite gives half a surrogate pair for GB18030 sequences beyond U+10FFFF; the
    // database driver would write it as U+FFFD.
    return this.inText > this.inBytes || this.hasLoneSurrogate;
  }

  private countText(text: string): void {
    for (let at = text.indexOf(REPLACEMENT); at !== -1; at = text.indexOf(REPLACEMENT, at + 1)) this.inText++;
    if (!this.hasLoneSurrogate && !isWellFormed(text)) this.hasLoneSurrogate = true;
  }
}

/** The refusal of a file with bytes that are not text: saving it would store characters nobody wrote. */
export const unreadableText = (format: 'xlsx' | 'csv') =>
  invalid(
    'file',
    format === 'xlsx'
      ? {
          zh: '文件中有无法识别的文字（编码损坏），已拒绝导入，未保存任何内容；请在 Excel 中打开并另存为 .xlsx 后再导入',
          en: 'The file contains text that cannot be read (damaged encoding), so it was refused and nothing was saved. Open it in Excel, save it as .xlsx and import it again.',
        }
      : {
          zh: '文件中有无法识别的文字（编码损坏，或混用了 UTF-8 与 GBK 编码），已拒绝导入，未保存任何内容；请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再导入',
          en: 'The file contains text that cannot be read (damaged encoding, or UTF-8 mixed with GBK), so it was refused and nothing was saved. Save it from Excel as .xlsx or “CSV UTF-8” and import it again.',
        },
  );
