import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCreateOrg, useOrgs } from '../../api/orgs';
import { canEditOrgs, type Org } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { ORG_FIELDS, OrgForm, toOrgFields, type OrgFormValues } from './org-form';

/** The organisations (企业) of the current workspace; a row opens its profile. */
export default function OrgListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { workspace, role } = useWorkspace();
  const orgs = useOrgs(workspace?.id);
  const [creating, setCreating] = useState(false);

  if (orgs.isError) return <PageError error={orgs.error} onRetry={() => void orgs.refetch()} />;
  const items = orgs.data ?? [];

  return (
    <>
      <PageHeader
        title={t('orgs.title')}
        extra={
          canEditOrgs(role) && workspace ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('orgs.create')}
            </Button>
          ) : undefined
        }
      />
      <Typography.Paragraph type="secondary" data-testid="org-count">
        {t('orgs.count', { count: items.length })}
      </Typography.Paragraph>
      <Table<Org>
        aria-label={t('orgs.table')}
        rowKey="id"
        loading={orgs.isPending && Boolean(workspace)}
        dataSource={items}
        locale={{ emptyText: t('orgs.empty') }}
        pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        onRow={(org) => ({ onClick: () => void navigate(`/orgs/${org.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('orgs.name'),
            dataIndex: 'name',
            render: (name: string, org) => (
              <Link to={`/orgs/${org.id}`} onClick={(event) => event.stopPropagation()}>
                {name}
              </Link>
            ),
            sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
          },
          {
            title: t('orgs.creditCode'),
            dataIndex: 'creditCode',
            render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
          },
          {
            title: t('orgs.legalRepresentative'),
            dataIndex: 'legalRepresentative',
            render: (v: string | null) => v ?? t('common.none'),
          },
          {
            title: t('orgs.foundedOn'),
            dataIndex: 'foundedOn',
            render: (v: string | null) => v ?? t('common.none'),
            sorter: (a, b) => (a.foundedOn ?? '').localeCompare(b.foundedOn ?? ''),
          },
        ]}
      />
      {workspace && <CreateOrgModal workspaceId={workspace.id} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}

function CreateOrgModal({ workspaceId, open, onClose }: { workspaceId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const createOrg = useCreateOrg();
  const { form, error, handleError, clearError } = useApiForm<OrgFormValues>(ORG_FIELDS);

  const onFinish = async (values: OrgFormValues) => {
    clearError();
    const { address, foundedOn, legalRepresentative, ...required } = toOrgFields(values);
    try {
      await createOrg.mutateAsync({
        workspaceId,
        ...required,
        ...(address ? { address } : {}),
        ...(foundedOn ? { foundedOn } : {}),
        ...(legalRepresentative ? { legalRepresentative } : {}),
      });
      void message.success(t('orgs.created'));
      form.resetFields();
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('orgs.create')}
      open={open}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={createOrg.isPending}
      forceRender
    >
      <OrgForm
        name="createOrg"
        form={form}
        onFinish={(values) => void onFinish(values)}
        disabled={createOrg.isPending}
      />
      <FormError message={error} />
    </Modal>
  );
}
