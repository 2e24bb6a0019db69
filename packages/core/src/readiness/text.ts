// Small wording helpers shared by the readiness kinds: one Chinese and one English sentence each.

/** A sentence in both languages the product shows. */
export interface Localized {
  zh: string;
  en: string;
}

/** "A、B、C 等 5 个" / "A, B, C and 2 more": names of a group, the rest counted. */
export function nameList(names: readonly string[], measureZh: string, max = 3): Localized {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  return {
    zh: shown.join('、') + (rest > 0 ? ` 等 ${names.length} ${measureZh}` : ''),
    en: shown.join(', ') + (rest > 0 ? ` and ${rest} more` : ''),
  };
}

/** "1 project" / "2 projects". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Percent for display, truncated (never rounded up past a threshold) to one decimal: 29.9, 27. */
export function percentText(numerator: number, denominator: number): string {
  if (denominator === 0) return '0';
  const tenths = Math.floor((numerator * 1000) / denominator);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

const ASCII_END = /[A-Za-z0-9%]$/;
const ASCII_START = /^[A-Za-z0-9]/;
const CJK_END = /[\u3400-\u9fff]$/;
const CJK_START = /^[\u3400-\u9fff]/;

/**
 * Joins Chinese sentence parts, with a space where Latin letters or digits meet Chinese characters
 * ("持有效" + "PMP" → "持有效 PMP"). Only the joints are touched, never the names inside a part.
 */
export function cat(...parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (!p) continue;
    if (out && ((ASCII_END.test(out) && CJK_START.test(p)) || (CJK_END.test(out) && ASCII_START.test(p)))) out += ' ';
    out += p;
  }
  return out;
}

/** First letter lower-cased, for an English sentence embedded after a semicolon ("IP …" stays). */
export function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
