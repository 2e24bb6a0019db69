import type { ObligationQuery } from '../../api/types';

/** The filters of the obligations list as the address keeps them (the list, its print and export). */
export function filtersOf(params: URLSearchParams): Omit<ObligationQuery, 'cursor' | 'limit'> {
  const filters: Record<string, string> = {};
  for (const key of ['orgId', 'rule', 'assigneeId', 'status', 'from', 'to'] as const) {
    const v = params.get(key);
    if (v) filters[key] = v;
  }
  return filters;
}
