import { describe, expect, it } from 'vitest';
import { checkCreditCode, isValidCreditCode, normalizeCreditCode } from './credit-code.js';

describe('credit code', () => {
  it('accepts published codes with correct check characters', () => {
    // Codes of well-known companies, as printed on their business licences.
    expect(isValidCreditCode('91110000802100433B')).toBe(true);
    expect(isValidCreditCode('91440300708461136T')).toBe(true);
  });

  it('accepts lower case and surrounding spaces, normalised to upper case', () => {
    expect(isValidCreditCode(' 91110000802100433b ')).toBe(true);
    expect(normalizeCreditCode(' 91110000802100433b ')).toBe('91110000802100433B');
  });

  it('says which rule a bad code breaks', () => {
    expect(checkCreditCode('91110000802100433')).toBe('length');
    expect(checkCreditCode('91110000802100433I')).toBe('character');
    expect(checkCreditCode('91110000802100433C')).toBe('check');
    expect(checkCreditCode('')).toBe('length');
  });
});
