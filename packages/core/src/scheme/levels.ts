/** The five CS levels (CS1 初始级 … CS5 杰出级). */
export const LEVELS = ['CS1', 'CS2', 'CS3', 'CS4', 'CS5'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES_ZH: Readonly<Record<Level, string>> = {
  CS1: '初始级',
  CS2: '基本级',
  CS3: '良好级',
  CS4: '优秀级',
  CS5: '杰出级',
};

/** Whether `v` is one of CS1–CS5. */
export function isLevel(v: unknown): v is Level {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}
