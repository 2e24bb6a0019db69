/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, Z, S, V); the last one is a
 * check character computed modulo 31 over the first 17 with fixed weights.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'character' | 'check';

/** Says what is wrong with a credit code, or null when it is valid. */
export function checkCreditCode(input: string): CreditCodeProblem | null {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return 'length';
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const value = ALPHABET.indexOf(code[i]!);
    if (value < 0) return 'character';
    if (i < 17) sum += value * WEIGHTS[i]!;
  }
  const expected = ALPHABET[(31 - (sum % 31)) % 31];
  return code[17] === expected ? null : 'check';
}

/** True when the code is a well-formed credit code with a correct check character. */
export function isValidCreditCode(input: string): boolean {
  return checkCreditCode(input) === null;
}

/** The canonical form stored and compared: trimmed, upper case. */
export function normalizeCreditCode(input: string): string {
  return input.trim().toUpperCase();
}
