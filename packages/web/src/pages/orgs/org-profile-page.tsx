import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useOrg, useUpdateOrg } from '../../api/orgs';
import { DeleteOrgModal } from './delete-org-modal';
import { canEditOrgs, canManageWorkspace, type Org, type OrgPatch } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { OrgCertificates } from '../certificates/org-certificates';
import { OrgEvidenceLinks } from '../evidence/org-evidence-links';
import { ORG_FIELDS, OrgForm, toOrgFields, type OrgFormValues } from './org-form';

/** One organisation's profile: view, edit (PATCH of the changed fields) and delete. */
export default function OrgProfilePage() {
  const { orgId = '' } = useParams();
  const org = useOrg(orgId);
  if (org.isPending) return <PageLoading />;
  if (org.isError) return <PageError error={org.error} onRetry={() => void org.refetch()} />;
  return <OrgProfile org={org.data} />;
}

function OrgProfile({ org }: { org: Org }) {
  const { t } = useTranslation();
  const { workspaces } = useWorkspace();
  const role = workspaces.find((w) => w.id === org.workspaceId)?.role;
  const canEdit = canEditOrgs(role);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <>
      <Link to="/orgs">
        <ArrowLeftOutlined /> {t('orgs.back')}
      </Link>
      <PageHeader
        title={org.name}
        extra={
          canEdit && !editing ? (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
              {canManageWorkspace(role) ? (
                <Button danger icon={<DeleteOutlined />} onClick={() => setDeleting(true)}>
                  {t('common.delete')}
                </Button>
              ) : null}
            </Space>
          ) : undefined
        }
      />
      <DeleteOrgModal org={org} open={deleting} onClose={() => setDeleting(false)} />
      <Card title={editing ? t('orgs.editTitle') : t('orgs.profile')}>
        {editing ? (
          <EditOrg org={org} onDone={() => setEditing(false)} />
        ) : (
          <Descriptions column={1} bordered size="middle" styles={{ label: { width: 200 } }}>
            <Descriptions.Item label={t('orgs.name')}>{org.name}</Descriptions.Item>
            <Descriptions.Item label={t('orgs.creditCode')}>
              <Typography.Text code copyable>
                {org.creditCode}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('orgs.address')}>{org.address ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('orgs.foundedOn')}>{org.foundedOn ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('orgs.legalRepresentative')}>
              {org.legalRepresentative ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('orgs.updatedAt')}>
              {dayjs(org.updatedAt).format('YYYY-MM-DD HH:mm')}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <OrgCertificates orgId={org.id} canEdit={canEdit} />
      <OrgEvidenceLinks orgId={org.id} />
    </>
  );
}

function EditOrg({ org, onDone }: { org: Org; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateOrg(org.id);
  const { form, error, handleError, clearError } = useApiForm<OrgFormValues>(ORG_FIELDS);

  const onFinish = async (values: OrgFormValues) => {
    clearError();
    const next = toOrgFields(values);
    const patch: OrgPatch = {};
    if (next.name !== org.name) patch.name = next.name;
    if (next.creditCode !== org.creditCode) patch.creditCode = next.creditCode;
    if (next.address !== org.address) patch.address = next.address;
    if (next.foundedOn !== org.foundedOn) patch.foundedOn = next.foundedOn;
    if (next.legalRepresentative !== org.legalRepresentative) patch.legalRepresentative = next.legalRepresentative;
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    try {
      await update.mutateAsync(patch);
      void message.success(t('common.saved'));
      onDone();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <>
      <OrgForm
        name="editOrg"
        form={form}
        onFinish={(values) => void onFinish(values)}
        disabled={update.isPending}
        initialValues={{
          name: org.name,
          creditCode: org.creditCode,
          address: org.address ?? '',
          foundedOn: org.foundedOn ? dayjs(org.foundedOn) : null,
          legalRepresentative: org.legalRepresentative ?? '',
        }}
      />
      <FormError message={error} />
      <Space>
        <Button type="primary" onClick={() => form.submit()} loading={update.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone} disabled={update.isPending}>
          {t('common.cancel')}
        </Button>
      </Space>
    </>
  );
}
