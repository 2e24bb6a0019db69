import { PlusOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCertificatesOf } from '../../api/certificates';
import { useOrgs } from '../../api/orgs';
import { CERTIFICATE_STATES } from '@zizhi/core';
import { canEditOrgs } from '../../api/types';
import { stateLabel } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { CertificateTable, CreateCertificateModal } from './certificate-table';

/** Every certificate of the workspace's organisations, filterable by organisation and state. */
export default function CertificateListPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const orgs = useOrgs(workspace?.id);
  const orgIds = useMemo(() => (orgs.data ?? []).map((o) => o.id), [orgs.data]);
  const certs = useCertificatesOf(orgIds);
  const [orgId, setOrgId] = useState<string | undefined>();
  const [state, setState] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);

  if (orgs.isError) return <PageError error={orgs.error} onRetry={() => void orgs.refetch()} />;
  if (certs.error) return <PageError error={certs.error} onRetry={() => void certs.refetch()} />;
  const orgNames = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
  const orgOptions = (orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }));
  const items = certs.items
    .filter((c) => (!orgId || c.orgId === orgId) && (!state || c.state === state))
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));

  return (
    <>
      <PageHeader
        title={t('certificates.title')}
        extra={
          canEditOrgs(role) && orgOptions.length > 0 ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('certificates.create')}
            </Button>
          ) : undefined
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('certificates.filterOrg')}
          placeholder={t('certificates.filterOrg')}
          allowClear
          value={orgId}
          onChange={setOrgId}
          options={orgOptions}
          style={{ minWidth: 240 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <Select
          aria-label={t('certificates.filterState')}
          placeholder={t('certificates.filterState')}
          allowClear
          value={state}
          onChange={setState}
          options={CERTIFICATE_STATES.map((s) => ({ value: s, label: stateLabel(s) }))}
          style={{ minWidth: 200 }}
        />
        <Typography.Text type="secondary">{t('certificates.count', { count: items.length })}</Typography.Text>
      </Space>
      <CertificateTable items={items} loading={orgs.isPending || certs.isPending} orgNames={orgNames} />
      <CreateCertificateModal open={creating} onClose={() => setCreating(false)} orgOptions={orgOptions} />
    </>
  );
}
