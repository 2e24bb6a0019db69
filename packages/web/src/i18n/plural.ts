import type { i18n as I18n } from 'i18next';

/**
 * English nouns after a number: "{{count, plural(one: organisation; other: organisations)}}" reads
 * "1 organisation" and "3 organisations". Chinese needs no such form; its strings use {{count}}.
 */
export function addPluralFormat(instance: I18n): void {
  instance.services.formatter?.add(
    'plural',
    (value: unknown, _lng: string | undefined, options: Record<string, string>) => {
      const n = Number(value);
      return `${n} ${n === 1 ? options['one'] : options['other']}`;
    },
  );
}
