import { PlusOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCertificates } from '../../api/certificates';
import { describeError } from '../../api/errors';
import { CertificateTable, CreateCertificateModal } from './certificate-table';

/** The certificates section of an organisation's profile. */
export function OrgCertificates({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const certs = useCertificates(orgId);
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title={t('certificates.title')}
      style={{ marginTop: 16 }}
      extra={
        canEdit ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('certificates.create')}
          </Button>
        ) : undefined
      }
    >
      {certs.isError ? (
        <span role="alert">{describeError(certs.error)}</span>
      ) : (
        <CertificateTable items={certs.data ?? []} loading={certs.isPending} />
      )}
      <CreateCertificateModal open={creating} onClose={() => setCreating(false)} orgId={orgId} />
    </Card>
  );
}
