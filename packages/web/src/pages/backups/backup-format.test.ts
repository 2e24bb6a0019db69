import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { describeKeep, describeProgress, describeSchedule, formatBytes } from './backup-format';

let zh: TFunction;
let english: TFunction;
beforeAll(async () => {
  const make = async (lng: string, translation: object) => {
    const instance = i18next.createInstance();
    await instance.init({ lng, resources: { [lng]: { translation } }, interpolation: { escapeValue: false } });
    return instance.t;
  };
  zh = await make('zh-CN', zhCN);
  english = await make('en', en);
});

describe('backup settings in words', () => {
  it('say when backups run', () => {
    expect(describeSchedule('30 2 * * *', zh)).toBe('每天 02:30（北京时间）');
    expect(describeSchedule('0 3 * * 4,1', zh)).toBe('每周一、四 03:00（北京时间）');
    expect(describeSchedule('0 3 * * 7', english)).toBe('Every Sunday at 03:00 (China time)');
    expect(describeSchedule('*/30 * * * *', zh)).toBe('按计划 */30 * * * *（北京时间）');
    expect(describeSchedule('0 3 * * 1-5', zh)).toBe('按计划 0 3 * * 1-5（北京时间）');
    expect(describeSchedule(null, zh)).toBe('已关闭（ZIZHI_BACKUP_SCHEDULE=off）');
  });

  it('say what retention keeps', () => {
    const rule = { days: 7, weeks: 4, months: 12, years: 0, all: false };
    expect(describeKeep(rule, zh)).toBe(
      '最近 7 天每天 1 份，最近 4 周每周 1 份，最近 12 个月每月 1 份；最新一份可用的备份永不删除',
    );
    expect(describeKeep({ ...rule, all: true }, english)).toBe('Every backup is kept');
  });

  it('show sizes and progress', () => {
    expect(formatBytes(980)).toBe('980 B');
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MB');
    expect(describeProgress({ phase: 'files', done: 1024 * 1024, total: 4 * 1024 * 1024 }, zh)).toEqual({
      text: '正在打包文件：1.0 MB / 4.0 MB',
      percent: 25,
    });
    expect(describeProgress({ phase: 'retention', done: 0, total: 1 }, zh).text).toBe('正在按保留规则清理旧备份');
  });
});
