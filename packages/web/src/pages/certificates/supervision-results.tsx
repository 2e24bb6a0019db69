import { Alert, App, Button, DatePicker, Flex, Input, Modal, Radio, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAddFinding, useRecordVisitResults, type CatalogueItem, type SupervisionPlan } from '../../api/supervision';
import type { CertificateDetail } from '../../api/types';
import { toDay } from '../../components/domain';
import { FormError } from '../../components/form-error';
import { currentLanguage } from '../../i18n';

type Result = 'conform' | 'finding' | 'none';

/**
 * After a visit: what it found for each item it assessed, and the body's findings, each of which
 * becomes a rectification duty with a due date.
 */
export function VisitResultsModal({
  cert,
  plan,
  visit,
  items,
  onClose,
}: {
  cert: CertificateDetail;
  plan: SupervisionPlan;
  visit: number;
  items: CatalogueItem[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const { date, itemIds } = plan.visits[visit]!;
  const recorded = plan.results.find((r) => r.date === date);
  const [results, setResults] = useState<Record<string, { result: Result; note: string }>>(() =>
    Object.fromEntries(
      itemIds.map((id) => {
        const r = recorded?.items.find((x) => x.itemId === id);
        return [id, { result: r?.result ?? 'none', note: r?.note ?? '' }];
      }),
    ),
  );
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [due, setDue] = useState<Dayjs | null>(null);
  const record = useRecordVisitResults(cert.orgId, cert.id);
  const addFinding = useAddFinding(cert.orgId, cert.id);
  const byId = new Map(items.map((i) => [i.id, i]));

  const onSave = async () => {
    setError(null);
    try {
      await record.mutateAsync({
        date,
        items: Object.entries(results)
          .filter(([, r]) => r.result !== 'none')
          .map(([itemId, r]) => ({
            itemId,
            result: r.result as 'conform' | 'finding',
            ...(r.note.trim() ? { note: r.note.trim() } : {}),
          })),
      });
      void message.success(t('supervision.results.saved'));
      onClose();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onAddFinding = async () => {
    setError(null);
    if (!text.trim() || !due) {
      setError(t('supervision.results.fillFinding'));
      return;
    }
    try {
      await addFinding.mutateAsync({ date, text: text.trim(), dueDate: toDay(due) });
      setText('');
      setDue(null);
      void message.success(t('supervision.results.findingAdded'));
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Modal
      open
      width={900}
      title={t('supervision.results.title', { n: visit + 1, date })}
      onCancel={onClose}
      onOk={onSave}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={record.isPending}
    >
      <FormError message={error} />
      <Table
        size="small"
        rowKey="id"
        dataSource={itemIds.map((id) => ({ id }))}
        pagination={false}
        scroll={{ y: 360, x: 'max-content' }}
        aria-label={t('supervision.results.items')}
        columns={[
          {
            title: t('supervision.item'),
            key: 'name',
            render: (_, { id }: { id: string }) => {
              const item = byId.get(id);
              return item ? (english ? item.en.name : item.name) : id;
            },
          },
          {
            title: t('supervision.results.result'),
            key: 'result',
            render: (_, { id }: { id: string }) => (
              <Radio.Group
                size="small"
                value={results[id]!.result}
                onChange={(e) =>
                  setResults({ ...results, [id]: { ...results[id]!, result: e.target.value as Result } })
                }
                aria-label={t('supervision.results.resultOf', { item: byId.get(id)?.name ?? id })}
                options={[
                  { value: 'conform', label: t('supervision.results.conform') },
                  { value: 'finding', label: t('supervision.results.finding') },
                  { value: 'none', label: t('supervision.results.none') },
                ]}
                optionType="button"
              />
            ),
          },
          {
            title: t('supervision.results.note'),
            key: 'note',
            render: (_, { id }: { id: string }) => (
              <Input
                size="small"
                maxLength={500}
                value={results[id]!.note}
                onChange={(e) => setResults({ ...results, [id]: { ...results[id]!, note: e.target.value } })}
                aria-label={t('supervision.results.noteOf', { item: byId.get(id)?.name ?? id })}
              />
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('supervision.results.findings')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('supervision.results.findingsHelp')}</Typography.Paragraph>
      {recorded?.findings.length ? (
        <ul data-testid="supervision-findings">
          {recorded.findings.map((f, i) => (
            <li key={i}>
              {f.text}（{t('supervision.results.dueBy', { date: f.dueDate })}）
            </li>
          ))}
        </ul>
      ) : (
        <Alert type="info" title={t('supervision.results.noFindings')} style={{ marginBottom: 8 }} />
      )}
      <Flex gap={8} wrap>
        <Input
          style={{ flex: '1 1 280px' }}
          maxLength={500}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('supervision.results.findingText')}
          aria-label={t('supervision.results.findingText')}
        />
        <DatePicker
          value={due}
          onChange={setDue}
          aria-label={t('supervision.results.findingDue')}
          placeholder={t('supervision.results.findingDue')}
        />
        <Button onClick={onAddFinding} loading={addFinding.isPending}>
          {t('supervision.results.addFinding')}
        </Button>
      </Flex>
    </Modal>
  );
}
