import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromCivil, formatDay } from '../calendar/days.js';
import { ID_NUMBER_PROBLEM_MESSAGES_ZH, isValidIdNumber, maskIdNumber, validateIdNumber } from './id-number.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The number with its check character computed independently of the module (GB 11643). */
function withCheck(first17: string): string {
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * (WEIGHTS[i] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}

describe('resident ID number', () => {
  it('accepts the standard’s example and reads birth date and sex', () => {
    expect(validateIdNumber('11010519491231002X')).toEqual({
      valid: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    expect(validateIdNumber(' 11010519491231002x ')).toMatchObject({ valid: true, idNumber: '11010519491231002X' });
    expect(validateIdNumber(withCheck('44030419990101001'))).toMatchObject({ valid: true, sex: 'male' });
  });

  it('says in Chinese which rule a bad number breaks', () => {
    const problem = (s: string, today?: string) => {
      const r = validateIdNumber(s, { today });
      return r.valid ? null : [r.problem, r.reason];
    };
    expect(problem('1101051949123100')).toEqual(['length', '身份证号码应为 18 位']);
    expect(problem('11010519491231002A')?.[0]).toBe('character');
    expect(problem('1101051949123100X2')?.[0]).toBe('character');
    expect(problem(withCheck('99010519491231002'))?.[0]).toBe('region');
    expect(problem(withCheck('11010519490229002'))).toEqual([
      'birth-date',
      ID_NUMBER_PROBLEM_MESSAGES_ZH['birth-date'],
    ]);
    expect(problem(withCheck('11010518991231002'))?.[0]).toBe('birth-date');
    expect(problem(withCheck('11010520000229002'))).toBeNull(); // 2000 is a leap year
    expect(problem(withCheck('11010520260316002'), '2026-03-15')?.[0]).toBe('future-birth-date');
    expect(problem('110105194912310021')).toEqual(['check', '身份证号码校验位不正确，请核对是否有输错的数字']);
  });

  it('catches every single-digit typo (check character, GB 11643)', () => {
    const first = fc.tuple(
      fc.constantFrom('110105', '310115', '440305', '510107', '820000'),
      fc.integer({ min: 0, max: 40_000 }),
      fc.integer({ min: 0, max: 999 }),
    );
    fc.assert(
      fc.property(
        first,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        ([region, d, seq], pos, add) => {
          const date = formatDay(dayFromCivil(1950, 1, 1) + d).replaceAll('-', '');
          const id = withCheck(`${region}${date}${String(seq).padStart(3, '0')}`);
          expect(isValidIdNumber(id)).toBe(true);
          const typo = id.slice(0, pos) + String((Number(id[pos]) + add) % 10) + id.slice(pos + 1);
          expect(isValidIdNumber(typo)).toBe(false);
        },
      ),
    );
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber(' 11010519491231002x')).toBe('110105********002X');
    expect(maskIdNumber('110105491231002')).toBe('110105*****1002');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });
});
