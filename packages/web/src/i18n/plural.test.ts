import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { addPluralFormat } from './plural';
import { zhCN } from './zh-CN';

describe('English counts', () => {
  it('say one organisation and two organisations; Chinese is left as it is', async () => {
    const instance = i18next.createInstance();
    await instance.init({
      lng: 'en',
      resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
      interpolation: { escapeValue: false },
    });
    addPluralFormat(instance);
    expect(instance.t('dashboard.orgCountInline', { count: 1 })).toBe('1 organisation');
    expect(instance.t('dashboard.orgCountInline', { count: 3 })).toBe('3 organisations');
    expect(instance.t('obligations.bulkSaved', { count: 1 })).toBe('1 obligation updated');
    expect(instance.t('obligations.bulkSaved', { count: 0 })).toBe('0 obligations updated');
    // Every English string with a count in front of a noun goes through the plural form.
    const flat = JSON.stringify(en);
    expect(flat).not.toMatch(
      /\{\{count\}\} (organisations|certificates|obligations|items|files|days|months|years|rows|errors)\b/,
    );
    await instance.changeLanguage('zh-CN');
    expect(instance.t('obligations.bulkSaved', { count: 1 })).not.toMatch(/[a-z]/);
  });
});
