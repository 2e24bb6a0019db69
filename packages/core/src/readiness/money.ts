// Money is decimal yuan in strings ("12345.67"); arithmetic is on integer fen as bigint, so sums and
// averages over thousands of contracts are exact (no float, no extra dependency).

const MONEY_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** Integer fen of a decimal yuan string (at most two decimals), or null when it is not one. */
export function parseYuan(s: string | null | undefined): bigint | null {
  if (typeof s !== 'string') return null;
  const m = MONEY_RE.exec(s);
  if (!m) return null;
  const fen = BigInt(m[2] as string) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** Exact decimal yuan string of integer fen, always with two decimals ("80000000.00"). */
export function formatYuan(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const frac = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${a / 100n}.${frac}`;
}

/**
 * How a shown amount is rounded to hundredths of its unit: `nearest` (half away from zero), `up`
 * (towards +∞: a shortfall, so adding what is shown is enough) or `down` (towards −∞: a measured
 * value, so it never appears to reach a threshold it misses).
 */
export type Rounding = 'nearest' | 'up' | 'down';

/** `fen / divisor` rounded to hundredths, as a trimmed decimal. */
function scaled(fen: bigint, divisor: bigint, round: Rounding): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const num = a * 100n;
  let q = num / divisor;
  const r = num % divisor;
  const awayFromZero = round === 'nearest' ? r * 2n >= divisor : round === 'up' ? !neg : neg;
  if (r !== 0n && awayFromZero) q += 1n;
  const int = q / 100n;
  const frac = (q % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : `${int}`;
  return neg && q !== 0n ? `-${body}` : body;
}

const YI = 10_000_000_000n; // 1 亿 yuan in fen
const WAN = 1_000_000n; // 1 万 yuan in fen

/**
 * Amount as Chinese readers write it, without the currency word: "1000 万", "2.5 亿", "350".
 * Shortfalls are rounded up so that adding what the text says is always enough.
 */
export function formatAmountZh(fen: bigint, round: Rounding = 'nearest'): string {
  const a = fen < 0n ? -fen : fen;
  if (a >= YI) return `${scaled(fen, YI, round)} 亿`;
  if (a >= WAN) return `${scaled(fen, WAN, round)} 万`;
  return scaled(fen, 100n, round);
}

/** Amount with the currency word: "8000 万元", "350 元". */
export function formatYuanZh(fen: bigint, round: Rounding = 'nearest'): string {
  const s = formatAmountZh(fen, round);
  return /[万亿]$/.test(s) ? `${s}元` : `${s} 元`;
}

/** Amount for English text: "¥80 m", "¥1.5 m", "¥12,345.67". */
export function formatYuanEn(fen: bigint, round: Rounding = 'nearest'): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  // Rounding applies to the signed value: on the magnitude, up and down swap for negatives.
  const r: Rounding = !neg || round === 'nearest' ? round : round === 'up' ? 'down' : 'up';
  let body: string;
  if (a >= 100_000_000n) {
    body = `${scaled(a, 100_000_000n, r)} m`;
  } else {
    const s = scaled(a, 100n, r);
    const [int = '0', frac] = s.split('.');
    body = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
  }
  return `${neg && a !== 0n ? '-' : ''}¥${body}`;
}
