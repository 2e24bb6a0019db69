import {
  CopyOutlined,
  DeleteOutlined,
  EditOutlined,
  ReloadOutlined,
  StopOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import {
  useInvitations,
  useInviteMember,
  useMembers,
  useRemoveMember,
  useRenewInvitation,
  useRevokeInvitation,
  useUpdateMember,
} from '../../api/members';
import { useOrgs } from '../../api/orgs';
import {
  ROLES,
  canManageWorkspace,
  type Invitation,
  type InvitationCreated,
  type InvitationState,
  type Member,
  type Org,
  type Role,
} from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { ExportWorkspaceCard } from './export-workspace-card';

/**
 * Members of the current workspace; owners and admins invite people (a link shown once, or a
 * temporary password), follow their invitations, and change and remove members.
 */
export default function MembersPage() {
  const { t } = useTranslation();
  const { me, workspace, role } = useWorkspace();
  const members = useMembers(workspace?.id);
  const orgs = useOrgs(workspace?.id);
  const canManage = canManageWorkspace(role);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  /** A link just made (an invitation or a renewal), shown once. */
  const [shown, setShown] = useState<{ title: string; created: InvitationCreated } | null>(null);

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
            render: (ids: string[] | null) => <OrgScope ids={ids} orgName={orgName} />,
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
          <InvitationsCard
            workspaceId={workspace.id}
            orgName={orgName}
            onRenewed={(created) => setShown({ title: t('members.renewedTitle'), created })}
          />
          <InviteMemberModal
            workspaceId={workspace.id}
            orgs={orgs.data ?? []}
            open={adding}
            onClose={() => setAdding(false)}
            onInvited={(created) => {
              setAdding(false);
              setShown({ title: t('members.invitedTitle'), created });
            }}
          />
          <InviteLinkModal title={shown?.title ?? ''} created={shown?.created ?? null} onClose={() => setShown(null)} />
          <EditMemberModal
            workspaceId={workspace.id}
            orgs={orgs.data ?? []}
            member={editing}
            onClose={() => setEditing(null)}
          />
        </>
      )}
      {role === 'owner' ? <ExportWorkspaceCard workspaceId={workspace.id} /> : null}
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

/** The role picker's options, each with what the role may do under its name. */
function useRoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((r) => ({
    value: r,
    label: t(`roles.${r}`),
    help: t(`roleHelp.${r}`),
  }));
}

/** How a role option looks in the open list: its name, and below it what it may do. */
function roleOption(option: { data: { label: string; help: string } }) {
  return (
    <div style={{ whiteSpace: 'normal', padding: '2px 0' }}>
      <Typography.Text strong>{option.data.label}</Typography.Text>
      <br />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {option.data.help}
      </Typography.Text>
    </div>
  );
}

type InviteMethod = 'link' | 'temporary';

interface InviteValues {
  email: string;
  name: string;
  role: Role;
  orgIds?: string[];
  method: InviteMethod;
  temporaryPassword?: string;
}
const INVITE_FIELDS = ['email', 'name', 'role', 'orgIds', 'temporaryPassword'] as const;

/** Invites a person by e-mail: a link they open to choose their password, or a temporary password. */
function InviteMemberModal({
  workspaceId,
  orgs,
  open,
  onClose,
  onInvited,
}: {
  workspaceId: string;
  orgs: Org[];
  open: boolean;
  onClose: () => void;
  onInvited: (created: InvitationCreated) => void;
}) {
  const { t } = useTranslation();
  const invite = useInviteMember(workspaceId);
  const roleOptions = useRoleOptions();
  const { form, error, handleError, clearError } = useApiForm<InviteValues>(INVITE_FIELDS);
  const method = Form.useWatch('method', form) ?? 'link';

  const onFinish = async (values: InviteValues) => {
    clearError();
    try {
      const created = await invite.mutateAsync({
        email: values.email.trim(),
        name: values.name.trim(),
        role: values.role,
        ...(values.orgIds && values.orgIds.length > 0 ? { orgIds: values.orgIds } : {}),
        ...(values.method === 'temporary' && values.temporaryPassword
          ? { temporaryPassword: values.temporaryPassword }
          : {}),
      });
      form.resetFields();
      onInvited(created);
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('members.add')}
      open={open}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('members.invite')}
      cancelText={t('common.cancel')}
      confirmLoading={invite.isPending}
      forceRender
    >
      <Form<InviteValues>
        form={form}
        name="inviteMember"
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={{ role: 'viewer', method: 'link' }}
        disabled={invite.isPending}
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
        <Form.Item name="role" label={t('members.role')} rules={[{ required: true }]}>
          <Select options={roleOptions} optionRender={roleOption} popupMatchSelectWidth={360} />
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
        <Form.Item
          name="method"
          label={t('members.method')}
          extra={method === 'link' ? t('members.methodLinkHelp') : undefined}
        >
          <Radio.Group
            options={[
              { value: 'link', label: t('members.methodLink') },
              { value: 'temporary', label: t('members.methodTemporary') },
            ]}
          />
        </Form.Item>
        {method === 'temporary' ? (
          <Form.Item
            name="temporaryPassword"
            label={t('members.temporaryPassword')}
            extra={t('members.temporaryPasswordHelp')}
            rules={[
              { required: true, message: t('validation.required', { field: t('members.temporaryPassword') }) },
              { min: 10, message: t('validation.passwordLength') },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        ) : null}
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

/**
 * The invitation link, shown this once, with a copy button; says whether it was e-mailed and,
 * for a temporary password, how the person logs in.
 */
function InviteLinkModal({
  title,
  created,
  onClose,
}: {
  title: string;
  created: InvitationCreated | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const invitation = created?.invitation;
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.inviteUrl);
      void message.success(t('common.copied'));
    } catch {
      // clipboard blocked (e.g. plain http): the field is selected for a manual copy
      document.getElementById('invite-url')?.focus();
    }
  };
  const delivery = !invitation
    ? ''
    : invitation.withTemporaryPassword
      ? t('members.temporaryIssued', { email: invitation.email })
      : created.emailSent
        ? t('members.emailSent', { email: invitation.email })
        : t('members.emailNotSent', { email: invitation.email });
  return (
    <Modal
      title={title}
      open={created !== null}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
    >
      {invitation ? (
        <Flex vertical gap={12}>
          <Alert
            type={created.emailSent || invitation.withTemporaryPassword ? 'success' : 'info'}
            showIcon
            title={delivery}
            data-testid="invite-delivery"
          />
          <Alert type="warning" showIcon title={t('members.linkOnce')} />
          <Space.Compact style={{ width: '100%' }}>
            <Input
              id="invite-url"
              readOnly
              value={created.inviteUrl}
              aria-label={t('members.inviteLink')}
              onFocus={(event) => event.target.select()}
              style={{ fontFamily: 'monospace' }}
            />
            <Button icon={<CopyOutlined />} onClick={() => void copy()}>
              {t('members.copyLink')}
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">
            {t('members.linkExpires', { date: dayjs(invitation.expiresAt).format('YYYY-MM-DD HH:mm') })}
          </Typography.Text>
        </Flex>
      ) : null}
    </Modal>
  );
}

const STATE_COLORS: Record<InvitationState, string> = {
  pending: 'processing',
  expired: 'warning',
  accepted: 'success',
  revoked: 'default',
};

/** The workspace's invitations: state, and a new link or revoking for those not yet accepted. */
function InvitationsCard({
  workspaceId,
  orgName,
  onRenewed,
}: {
  workspaceId: string;
  orgName: Map<string, string>;
  onRenewed: (created: InvitationCreated) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const invitations = useInvitations(workspaceId);
  const renew = useRenewInvitation(workspaceId);
  const revoke = useRevokeInvitation(workspaceId);

  const onRenew = async (invitation: Invitation) => {
    try {
      onRenewed(await renew.mutateAsync(invitation.id));
    } catch (error) {
      void message.error(describeError(error));
    }
  };

  return (
    <Card title={t('members.invitations')} style={{ marginTop: 24 }}>
      {invitations.isError ? (
        <PageError error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : (
        <Table<Invitation>
          aria-label={t('members.invitationsTable')}
          rowKey="id"
          size="middle"
          loading={invitations.isPending}
          dataSource={invitations.data ?? []}
          pagination={false}
          locale={{ emptyText: t('members.noInvitations') }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('members.name'), dataIndex: 'name' },
            { title: t('members.email'), dataIndex: 'email' },
            { title: t('members.role'), dataIndex: 'role', render: (r: Role) => <Tag>{t(`roles.${r}`)}</Tag> },
            {
              title: t('members.orgIds'),
              dataIndex: 'orgIds',
              render: (ids: string[] | null) => <OrgScope ids={ids} orgName={orgName} />,
            },
            {
              title: t('members.state'),
              dataIndex: 'state',
              render: (state: InvitationState, invitation) => (
                <Space size={4} wrap>
                  <Tag color={STATE_COLORS[state]}>{t(`members.states.${state}`)}</Tag>
                  {invitation.withTemporaryPassword ? <Tag>{t('members.temporaryTag')}</Tag> : null}
                </Space>
              ),
            },
            {
              title: t('members.invitedBy'),
              dataIndex: 'invitedBy',
              render: (v: string | null) => v ?? t('common.none'),
            },
            {
              title: t('members.invitedAt'),
              dataIndex: 'createdAt',
              render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
            },
            {
              title: t('members.expiresAt'),
              dataIndex: 'expiresAt',
              render: (v: string, invitation) =>
                invitation.state === 'pending' || invitation.state === 'expired'
                  ? dayjs(v).format('YYYY-MM-DD HH:mm')
                  : t('common.none'),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, invitation) =>
                invitation.state === 'pending' || invitation.state === 'expired' ? (
                  <Space>
                    <Button
                      size="small"
                      icon={<ReloadOutlined />}
                      loading={renew.isPending && renew.variables === invitation.id}
                      onClick={() => void onRenew(invitation)}
                      aria-label={`${t('members.renew')}: ${invitation.email}`}
                    >
                      {t('members.renew')}
                    </Button>
                    {invitation.state === 'pending' ? (
                      <Popconfirm
                        title={t('members.revokeConfirm', { email: invitation.email })}
                        okText={t('common.confirm')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={async () => {
                          try {
                            await revoke.mutateAsync(invitation.id);
                            void message.success(t('members.revoked'));
                          } catch (error) {
                            void message.error(describeError(error));
                          }
                        }}
                      >
                        <Button
                          size="small"
                          danger
                          icon={<StopOutlined />}
                          aria-label={`${t('members.revoke')}: ${invitation.email}`}
                        >
                          {t('members.revoke')}
                        </Button>
                      </Popconfirm>
                    ) : null}
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
    </Card>
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
            <Select options={roleOptions} optionRender={roleOption} popupMatchSelectWidth={360} />
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

/** The organisations a member or invitation is limited to, or "all". */
function OrgScope({ ids, orgName }: { ids: string[] | null; orgName: Map<string, string> }) {
  const { t } = useTranslation();
  if (ids === null) return <>{t('members.allOrgs')}</>;
  return (
    <>
      {ids.map((id) => (
        <Tag key={id}>{orgName.get(id) ?? id.slice(0, 8)}</Tag>
      ))}
    </>
  );
}
