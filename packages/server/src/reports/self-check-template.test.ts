import { describe, expect, it } from 'vitest';
import { fillPlaceholders, numeralZh, unknownPlaceholders } from './self-check-template.js';

describe('the self-check template’s words', () => {
  it('counts headings in Chinese numerals past ten', () => {
    expect([1, 9, 10, 11, 16, 20, 21, 35, 99].map(numeralZh)).toEqual([
      '一',
      '九',
      '十',
      '十一',
      '十六',
      '二十',
      '二十一',
      '三十五',
      '九十九',
    ]);
  });

  it('fills known placeholders, leaves other braces as written and names the unknown ones once', () => {
    const values = {
      单位名称: '示例公司',
      年度: '2026',
      证书等级: 'CS2（基本级）',
      证书编号: 'CS2-1',
      截止日期: '2026年11月27日',
      统计期: '近三年',
      要求集: '系统内置的参考要求集',
    };
    expect(fillPlaceholders('{单位名称}{年度}年度，{单位名称}', values)).toBe('示例公司2026年度，示例公司');
    expect(fillPlaceholders('集合 {a, b} 与 {公司名称}', values)).toBe('集合 {a, b} 与 {公司名称}');
    expect(unknownPlaceholders('{公司名称}{单位名称}{公司名称}{年份}')).toEqual(['公司名称', '年份']);
    expect(unknownPlaceholders('没有占位符')).toEqual([]);
  });
});
