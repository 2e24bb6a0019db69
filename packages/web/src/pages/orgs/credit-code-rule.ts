import { checkCreditCode } from '@zizhi/core';
import type { Rule } from 'antd/es/form';
import { i18next } from '../../i18n';

/**
 * antd rule checking a unified social credit code (统一社会信用代码) with the core's check-digit
 * rule, with one clear message per problem: length, character, check character.
 */
export const creditCodeRule: Rule = {
  validator: (_rule, value: string | undefined) => {
    const problem = value ? checkCreditCode(value) : null;
    if (!value || problem === null) return Promise.resolve();
    const length = value.trim().length;
    return Promise.reject(new Error(i18next.t(`validation.creditCode.${problem}`, { count: length })));
  },
};
