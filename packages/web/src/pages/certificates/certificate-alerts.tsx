import { CheckCircleOutlined, EditOutlined } from '@ant-design/icons';
import type { CertificateState } from '@zizhi/core';
import { Alert, Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EngineAlert, EngineMessage } from '../../api/types';
import { engineText, stateLabel } from '../../components/domain';
import { confirmPresetFor, recordPresetFor, type ConfirmPreset, type RecordPreset } from './alert-actions';

/**
 * Deadlines passed with nothing recorded, each with what the certificate may have become and the two
 * ways to settle it: record what took place, or confirm the state (which changes only on saving).
 */
export function CertificateAlerts({
  alerts,
  recordedState,
  canAct,
  onRecord,
  onConfirm,
}: {
  alerts: EngineAlert[];
  recordedState: CertificateState;
  /** Managers act; others read. */
  canAct: boolean;
  onRecord: (preset: RecordPreset, alert: EngineAlert) => void;
  onConfirm: (preset: ConfirmPreset, alert: EngineAlert) => void;
}) {
  const { t } = useTranslation();
  if (alerts.length === 0) return null;
  return (
    <section aria-label={t('certificates.alertsLabel')} style={{ marginBottom: 16 }}>
      <Flex vertical gap={8}>
        {alerts.map((a, i) => {
          const record = canAct ? recordPresetFor(a) : null;
          const confirm = canAct ? confirmPresetFor(a, recordedState) : null;
          const text = engineText(a);
          return (
            <Alert
              key={`${a.code}-${a.obligationKey ?? a.eventId ?? i}`}
              type="warning"
              showIcon
              data-testid="certificate-alert"
              title={text}
              description={t('certificates.alertPossible', {
                state: stateLabel(a.possibleState),
                from: a.possibleFrom,
              })}
              action={
                record || confirm ? (
                  <Flex vertical gap={8}>
                    {record ? (
                      <Button
                        size="small"
                        type="primary"
                        icon={<EditOutlined />}
                        aria-label={`${t('certificates.alertRecord')}: ${text}`}
                        onClick={() => onRecord(record, a)}
                      >
                        {t('certificates.alertRecord')}
                      </Button>
                    ) : null}
                    {confirm ? (
                      <Button
                        size="small"
                        icon={<CheckCircleOutlined />}
                        aria-label={`${t('certificates.alertConfirm')}: ${text}`}
                        onClick={() => onConfirm(confirm, a)}
                      >
                        {confirm.kind === 'downgrade'
                          ? t('certificates.alertConfirmDowngrade')
                          : t('certificates.alertConfirm')}
                      </Button>
                    ) : null}
                  </Flex>
                ) : undefined
              }
            />
          );
        })}
      </Flex>
    </section>
  );
}

/** Notes on recorded events (not used, outside a window, a likely duplicate …), in the UI language. */
export function CertificateWarnings({ warnings }: { warnings: EngineMessage[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('certificates.warnings')}
      data-testid="certificate-warnings"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {warnings.map((w, i) => (
            <li key={`${w.code}-${w.eventId ?? ''}-${i}`}>{engineText(w)}</li>
          ))}
        </ul>
      }
    />
  );
}
