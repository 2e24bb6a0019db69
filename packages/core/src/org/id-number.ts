/**
 * Resident identity card number (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit sequence (odd for men), and a check character (0–9 or X) computed modulo 11 over
 * the first 17 digits with weights 2^(17−i) mod 11 (ISO 7064 MOD 11-2).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * First two digits of the address code: the provinces of GB/T 2260, plus 71 (Taiwan) and 81–83
 * (residence permits of Hong Kong, Macao and Taiwan residents, which share the format).
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

export type IdNumberProblem = 'length' | 'character' | 'region' | 'birth-date' | 'future-birth-date' | 'check';

/** What each problem means, in Chinese, saying what to check. */
export const ID_NUMBER_PROBLEM_MESSAGES_ZH: Readonly<Record<IdNumberProblem, string>> = {
  length: '身份证号码应为 18 位',
  character: '身份证号码前 17 位应为数字，最后一位为数字或 X',
  region: '身份证号码前 6 位的地区码无效',
  'birth-date': '身份证号码第 7–14 位的出生日期不是有效日期',
  'future-birth-date': '身份证号码中的出生日期晚于今天',
  check: '身份证号码校验位不正确，请核对是否有输错的数字',
};

export type IdNumberCheck =
  | { valid: true; idNumber: string; birthDate: string; sex: 'male' | 'female' }
  | { valid: false; problem: IdNumberProblem; reason: string };

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Checks an 18-character resident ID number: length, characters, region, birth date (a real date
 * from 1900, and not after `today` when given as `YYYY-MM-DD`), and the check character.
 * Lower-case x and surrounding spaces are accepted; `idNumber` is the canonical form.
 */
export function validateIdNumber(input: string, options: { today?: string } = {}): IdNumberCheck {
  const id = input.trim().toUpperCase();
  const fail = (problem: IdNumberProblem): IdNumberCheck => ({
    valid: false,
    problem,
    reason: ID_NUMBER_PROBLEM_MESSAGES_ZH[problem],
  });
  if (id.length !== 18) return fail('length');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('character');
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return fail('region');
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return fail('birth-date');
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (options.today !== undefined && birthDate > options.today) return fail('future-birth-date');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  if (id[17] !== CHECK[sum % 11]) return fail('check');
  return { valid: true, idNumber: id, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** True when the number is a well-formed resident ID number with a correct check character. */
export function isValidIdNumber(input: string, options: { today?: string } = {}): boolean {
  return validateIdNumber(input, options).valid;
}

/**
 * The number as shown in lists and documents: first 6 and last 4 characters kept, the birth date
 * and the rest hidden (110105********002X). Anything 10 characters or shorter is hidden entirely.
 */
export function maskIdNumber(input: string): string {
  const id = input.trim().toUpperCase();
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
