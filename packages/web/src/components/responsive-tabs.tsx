import { Select, Tabs, type TabsProps } from 'antd';
import { usePhone } from './use-phone';

type Item = NonNullable<TabsProps['items']>[number] & { key: string; text: string };

/**
 * Tabs on a wide screen; on a phone a picker above the same panels: a row of tabs wider than the
 * screen hides most of them behind a "more" button that is not a tab (and keyboard and screen
 * reader users lose track of them).
 */
export function ResponsiveTabs({
  label,
  items,
  activeKey,
  onChange,
}: {
  /** What the tabs choose between, for the picker's name. */
  label: string;
  items: Item[];
  activeKey: string;
  onChange: (key: string) => void;
}) {
  const phone = usePhone();
  const tabs = items.map(({ text: _text, ...item }) => item);
  if (!phone) return <Tabs activeKey={activeKey} onChange={onChange} items={tabs} />;
  return (
    <>
      <Select
        aria-label={label}
        value={activeKey}
        onChange={onChange}
        options={items.map((i) => ({ value: i.key, label: i.text }))}
        style={{ width: '100%', marginBottom: 12 }}
      />
      <Tabs activeKey={activeKey} items={tabs} renderTabBar={() => <></>} />
    </>
  );
}
