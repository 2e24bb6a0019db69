import { useEffect } from 'react';

const SCROLLERS = '.ant-table-content, .ant-table-body, .ant-table-wrapper';

/**
 * A table wider than the screen scrolls inside itself (phones): such a region must take the
 * keyboard's focus, or someone without a mouse or touch screen cannot reach its right-hand side
 * (WCAG 2.1.1). antd gives its scroll containers no tabindex, so scrollable ones get one here,
 * checked again when the page changes or the window is resized.
 */
export function useScrollableTablesFocusable(): void {
  useEffect(() => {
    let queued = false;
    const mark = () => {
      queued = false;
      for (const el of document.querySelectorAll<HTMLElement>(SCROLLERS)) {
        const scrollable = el.scrollWidth > el.clientWidth + 1;
        if (scrollable && !el.hasAttribute('tabindex')) {
          el.setAttribute('tabindex', '0');
          el.dataset['scrollFocus'] = '';
        } else if (!scrollable && el.dataset['scrollFocus'] !== undefined) {
          el.removeAttribute('tabindex');
          delete el.dataset['scrollFocus'];
        }
      }
    };
    const schedule = () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(mark);
    };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', schedule);
    schedule();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', schedule);
    };
  }, []);
}
