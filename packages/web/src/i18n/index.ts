import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { addPluralFormat } from './plural';
import { zhCN, type Resources } from './zh-CN';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'zizhi.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources };
  }
}

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLanguage(lng: Language): void {
  dayjs.locale(lng === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lng;
}

const initial = readStoredLanguage();
applyLanguage(initial);

// English is fetched when first chosen: most users never need its ~100 KB of strings.
let english: Promise<void> | undefined;
function loadEnglish(): Promise<void> {
  english ??= import('./en').then(
    ({ en }) => {
      i18next.addResourceBundle('en', 'translation', en, true, true);
    },
    (error: unknown) => {
      english = undefined; // the next choice tries again
      throw error;
    },
  );
  return english;
}

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  initAsync: false,
});

addPluralFormat(i18next);

/** Switches the UI language and remembers the choice in this browser. */
export async function changeLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (lng === 'en') await loadEnglish();
  applyLanguage(lng);
  await i18next.changeLanguage(lng);
}

/** Resolves once the stored language's strings are there; the app renders after it. */
export const languageReady: Promise<void> =
  initial === 'en'
    ? loadEnglish().catch(async () => {
        // Offline or a release in between: Chinese now rather than no page at all.
        applyLanguage('zh-CN');
        await i18next.changeLanguage('zh-CN');
      })
    : Promise.resolve();

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'zh-CN';
}

export { i18next };

/** Translates a key built at run time (an audit action, a field name); undefined when there is none. */
export function translateDynamic(key: string): string | undefined {
  return i18next.exists(key) ? (i18next.t as (key: string) => string)(key) : undefined;
}
