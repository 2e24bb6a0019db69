import { DeleteOutlined, EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAddMember, useMembers, useRemoveMember, useUpdateMember } from '../../api/members';
import { useOrgs } from '../../api/orgs';
import { ROLES, canManageWorkspace, type Member, type Org, type Role } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

/** Members of the current workspace; owners and admins add, change and remove them. */
export default function MembersPage() {
  const { t } = useTranslation();
  const { me, workspace, role } = useWorkspace();
  const members = useMembers(workspace?.id);
  const orgs = useOrgs(workspace?.id);
  const canManage = canManageWorkspace(role);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);

  if (!workspace) return null;
  if (members.isError) return <PageError error={members.error} onRetry={() => void members.refetch()} />;
  const orgName = new Map((orgs.data ?? []).map((org) => [org.id, org.name]));

  return (
    <>
      <PageHeader
        title={t('members.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
              {t('members.add')}
            </Button>
          ) : undefined
        }
      />
      <Table<Member>
        aria-label={t('members.table')}
        rowKey="userId"
        loading={members.isPending}
        dataSource={members.data ?? []}
        pagination={false}
        columns={[
          {
            title: t('members.name'),
            dataIndex: 'name',
            render: (name: string, member) => (member.userId === me.user.id ? `${name}${t('members.you')}` : name),
          },
          { title: t('members.email'), dataIndex: 'email' },
          { title: t('members.role'), dataIndex: 'role', render: (r: Role) => <Tag>{t(`roles.${r}`)}</Tag> },
          {
            title: t('members.orgIds'),
            dataIndex: 'orgIds',
            render: (ids: string[] | null) =>
              ids === null
                ? t('members.allOrgs')
                : ids.map((id) => <Tag key={id}>{orgName.get(id) ?? id.slice(0, 8)}</Tag>),
          },
          {
            title: t('members.joinedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
          },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, member: Member) => (
                    <MemberActions workspaceId={workspace.id} member={member} onEdit={() => setEditing(member)} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {canManage && (
        <>
          <AddMemberModal
            workspaceId={workspace.id}
            orgs={orgs.data ?? []}
            open={adding}
            onClose={() => setAdding(false)}
          />
          <EditMemberModal
            workspaceId={workspace.id}
            orgs={orgs.data ?? []}
            member={editing}
            onClose={() => setEditing(null)}
          />
        </>
      )}
    </>
  );
}

function MemberActions({ workspaceId, member, onEdit }: { workspaceId: string; member: Member; onEdit: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const remove = useRemoveMember(workspaceId);
  return (
    <Space>
      <Button size="small" icon={<EditOutlined />} onClick={onEdit} aria-label={`${t('common.edit')} ${member.name}`}>
        {t('common.edit')}
      </Button>
      <Popconfirm
        title={t('members.removeConfirm', { name: member.name })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true }}
        onConfirm={async () => {
          try {
            await remove.mutateAsync(member.userId);
            void message.success(t('members.removed'));
          } catch (error) {
            void message.error(describeError(error));
          }
        }}
      >
        <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${member.name}`}>
          {t('common.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

function useRoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
}

interface AddMemberValues {
  email: string;
  name: string;
  password?: string;
  role: Role;
  orgIds?: string[];
}
const ADD_FIELDS = ['email', 'name', 'password', 'role', 'orgIds'] as const;

function AddMemberModal({
  workspaceId,
  orgs,
  open,
  onClose,
}: {
  workspaceId: string;
  orgs: Org[];
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddMember(workspaceId);
  const roleOptions = useRoleOptions();
  const { form, error, handleError, clearError } = useApiForm<AddMemberValues>(ADD_FIELDS);

  const onFinish = async (values: AddMemberValues) => {
    clearError();
    try {
      await add.mutateAsync({
        email: values.email.trim(),
        name: values.name.trim(),
        role: values.role,
        ...(values.password ? { password: values.password } : {}),
        ...(values.orgIds && values.orgIds.length > 0 ? { orgIds: values.orgIds } : {}),
      });
      void message.success(t('members.added'));
      form.resetFields();
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('members.add')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      forceRender
    >
      <Form
        form={form}
        name="addMember"
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={{ role: 'viewer' }}
        disabled={add.isPending}
      >
        <Form.Item
          name="email"
          label={t('members.email')}
          rules={[
            { required: true, message: t('validation.required', { field: t('members.email') }) },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('members.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('members.name') }) },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('members.password')}
          extra={t('members.passwordHelp')}
          rules={[{ min: 10, message: t('validation.passwordLength') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('members.role')} rules={[{ required: true }]}>
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="orgIds" label={t('members.orgIds')} extra={t('members.orgIdsHelp')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('members.allOrgs')}
            options={orgs.map((org) => ({ value: org.id, label: org.name }))}
            optionFilterProp="label"
          />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

interface EditMemberValues {
  role: Role;
  orgIds?: string[];
}
const EDIT_FIELDS = ['role', 'orgIds'] as const;

function EditMemberModal({
  workspaceId,
  orgs,
  member,
  onClose,
}: {
  workspaceId: string;
  orgs: Org[];
  member: Member | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateMember(workspaceId);
  const roleOptions = useRoleOptions();
  const { form, error, handleError, clearError } = useApiForm<EditMemberValues>(EDIT_FIELDS);

  const onFinish = async (values: EditMemberValues) => {
    if (!member) return;
    clearError();
    try {
      await update.mutateAsync({
        userId: member.userId,
        patch: { role: values.role, orgIds: values.orgIds && values.orgIds.length > 0 ? values.orgIds : null },
      });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={member ? `${t('members.editTitle')}：${member.name}` : t('members.editTitle')}
      open={member !== null}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      {member && (
        <Form
          form={form}
          name="editMember"
          layout="vertical"
          onFinish={(values) => void onFinish(values)}
          initialValues={{ role: member.role, orgIds: member.orgIds ?? [] }}
          disabled={update.isPending}
        >
          <Form.Item name="role" label={t('members.role')} rules={[{ required: true }]}>
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item name="orgIds" label={t('members.orgIds')} extra={t('members.orgIdsHelp')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('members.allOrgs')}
              options={orgs.map((org) => ({ value: org.id, label: org.name }))}
              optionFilterProp="label"
            />
          </Form.Item>
        </Form>
      )}
      <FormError message={error} />
    </Modal>
  );
}
