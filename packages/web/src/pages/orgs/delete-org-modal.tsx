import { Alert, App, Input, Modal, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { describeError } from '../../api/errors';
import { useDeleteOrg, useDeletionImpact } from '../../api/orgs';
import type { Org } from '../../api/types';
import { FormError } from '../../components/form-error';

const COUNTS = [
  'certificates',
  'events',
  'openObligations',
  'files',
  'projects',
  'staff',
  'ipAssets',
  'financialYears',
  'managementCertificates',
] as const;

/**
 * The confirmation before an organisation goes into the recycle bin: what goes with it, counted,
 * and its name typed out, so that a click in the wrong place cannot do it.
 */
export function DeleteOrgModal({ org, open, onClose }: { org: Org; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const impact = useDeletionImpact(org.id, open);
  const deleteOrg = useDeleteOrg(org);
  const days = impact.data?.recycleDays ?? 30;
  const matches = typed.trim() === org.name;
  const counted = impact.data ? COUNTS.filter((k) => impact.data.counts[k] > 0) : [];

  const onOk = async () => {
    setError(null);
    try {
      await deleteOrg.mutateAsync();
      void message.success(t('orgs.deleted', { name: org.name, days }));
      onClose();
      void navigate('/orgs', { replace: true });
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Modal
      open={open}
      title={t('orgs.deleteTitle', { name: org.name })}
      okText={t('orgs.deleteOk')}
      okButtonProps={{ danger: true, disabled: !matches || impact.isPending }}
      cancelText={t('common.cancel')}
      confirmLoading={deleteOrg.isPending}
      onOk={() => void onOk()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => {
        setTyped('');
        setError(null);
      }}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('orgs.deleteIntro', { days })} />
        {impact.isPending ? (
          <Spin size="small" />
        ) : impact.isError ? (
          <FormError message={describeError(impact.error)} />
        ) : counted.length === 0 ? (
          <Typography.Text type="secondary">{t('orgs.deleteNothing')}</Typography.Text>
        ) : (
          <div>
            <Typography.Text>{t('orgs.deleteWith')}</Typography.Text>
            <ul aria-label={t('orgs.deleteWith')} style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {counted.map((k) => (
                <li key={k}>{t(`orgs.deleteCounts.${k}`, { count: impact.data.counts[k] })}</li>
              ))}
            </ul>
          </div>
        )}
        <label>
          <Typography.Text>{t('orgs.deleteTypeName', { name: org.name })}</Typography.Text>
          <Input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            status={typed && !matches ? 'error' : undefined}
            autoComplete="off"
            style={{ marginTop: 4 }}
          />
        </label>
        {typed && !matches ? <Typography.Text type="danger">{t('orgs.deleteNameMismatch')}</Typography.Text> : null}
        <FormError message={error} />
      </Space>
    </Modal>
  );
}
