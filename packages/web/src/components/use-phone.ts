import { Grid } from 'antd';

/**
 * Whether the screen is phone width (below antd's `md`, 768 px): menus become drawers, tables
 * cards, tabs a picker. False until the width is known, so the first paint is the desktop one.
 */
export function usePhone(): boolean {
  return Grid.useBreakpoint().md === false;
}
