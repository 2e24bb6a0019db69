import { App, Button, Drawer, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from './form-error';
import { PageError, PageLoading } from './page-loading';

/**
 * The one side panel for creating or editing a record: title, the form, the API error above
 * Save / Cancel. Closing with unsaved changes asks first, so a stray click on the mask or Esc
 * never throws away typed evidence.
 */
export function FormDrawer({
  open,
  title,
  onClose,
  onSubmit,
  saving,
  error,
  isDirty,
  loading,
  loadError,
  onRetry,
  extra,
  readOnly,
  children,
  size = 720,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  onSubmit: () => void;
  saving?: boolean;
  /** The API error to show above the buttons. */
  error?: string | null;
  /** Whether closing would lose changes. */
  isDirty?: () => boolean;
  /** The record is still loading: show a spinner instead of the form. */
  loading?: boolean;
  loadError?: unknown;
  onRetry?: () => void;
  /** Actions in the header (delete …). */
  extra?: ReactNode;
  /** Viewers: the form without Save. */
  readOnly?: boolean;
  children: ReactNode;
  size?: number;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const requestClose = () => {
    if (saving) return;
    if (!isDirty?.()) {
      onClose();
      return;
    }
    modal.confirm({
      title: t('evidence.discardTitle'),
      content: t('evidence.discardConfirm'),
      okText: t('evidence.discard'),
      okButtonProps: { danger: true },
      cancelText: t('evidence.keepEditing'),
      onOk: onClose,
    });
  };
  const ready = !loading && !loadError;
  return (
    <Drawer
      open={open}
      title={title}
      size={size}
      onClose={requestClose}
      destroyOnHidden
      extra={ready ? extra : undefined}
      footer={
        ready ? (
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button onClick={requestClose} disabled={saving}>
              {readOnly ? t('common.close') : t('common.cancel')}
            </Button>
            {readOnly ? null : (
              <Button type="primary" onClick={onSubmit} loading={saving}>
                {t('common.save')}
              </Button>
            )}
          </Space>
        ) : undefined
      }
    >
      {loading ? <PageLoading /> : loadError ? <PageError error={loadError} onRetry={onRetry} /> : children}
      {ready ? <FormError message={error ?? null} /> : null}
    </Drawer>
  );
}
