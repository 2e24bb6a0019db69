import { Alert, App, Button, Descriptions, Flex, Form, Input, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAcceptInvitation, useInvitationPreview, useLogout, useMe } from '../../api/auth';
import { ApiError, describeServerError } from '../../api/errors';
import type { InvitationPreview, Me } from '../../api/types';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';
import { NewPasswordFields } from '../../components/new-password-fields';
import { PageError, PageLoading } from '../../components/page-loading';
import { rememberWorkspace } from '../../state/workspace';

/** The login page, coming back to this invitation afterwards. */
const loginPath = (token: string) => `/login?next=${encodeURIComponent(`/invite#${token}`)}`;

/**
 * The page an invitation link opens (`/invite#<token>`; the fragment never reaches a server log):
 * who invites whom to which workspace, then either joining with the account one is logged in
 * with, or creating the account with one's own password.
 */
export default function InvitePage() {
  const { t } = useTranslation();
  const token = useLocation().hash.replace(/^#/, '');
  const me = useMe();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation(token);

  if (!token) {
    return (
      <AuthCard title={t('invite.invalidTitle')}>
        <Alert type="error" showIcon title={t('invite.missingToken')} role="alert" />
        <Flex justify="flex-end" style={{ marginTop: 12 }}>
          <Link to="/login">{t('invite.toLogin')}</Link>
        </Flex>
      </AuthCard>
    );
  }
  if (me.isPending || preview.isPending) return <PageLoading />;
  if (me.isError) return <PageError error={me.error} onRetry={() => void me.refetch()} />;
  if (preview.isError) {
    return (
      <AuthCard title={t('invite.invalidTitle')}>
        <Alert type="error" showIcon title={describeServerError(preview.error)} role="alert" />
        <Flex justify="flex-end" style={{ marginTop: 12 }}>
          {me.data ? <Link to="/">{t('app.backHome')}</Link> : <Link to="/login">{t('invite.toLogin')}</Link>}
        </Flex>
      </AuthCard>
    );
  }

  const invitation = preview.data;
  // Creating the account logs in: keep showing the form until the app opens.
  const creatingAccount = Boolean(accept.variables?.password) && !accept.isError;
  return (
    <AuthCard
      title={t('invite.title')}
      intro={
        invitation.invitedBy
          ? t('invite.intro', { invitedBy: invitation.invitedBy, workspace: invitation.workspaceName })
          : t('invite.introNoInviter', { workspace: invitation.workspaceName })
      }
    >
      <Descriptions
        column={1}
        size="small"
        bordered
        style={{ marginBottom: 16 }}
        items={[
          { key: 'workspace', label: t('invite.workspace'), children: invitation.workspaceName },
          ...(invitation.invitedBy
            ? [{ key: 'invitedBy', label: t('invite.invitedBy'), children: invitation.invitedBy }]
            : []),
          { key: 'email', label: t('invite.email'), children: invitation.email },
          { key: 'role', label: t('invite.role'), children: t(`roles.${invitation.role}`) },
          {
            key: 'expiresAt',
            label: t('invite.expiresAt'),
            children: dayjs(invitation.expiresAt).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      {me.data && !creatingAccount ? (
        <AcceptAsMember me={me.data} invitation={invitation} accept={accept} />
      ) : (
        <CreateAccount token={token} invitation={invitation} accept={accept} />
      )}
    </AuthCard>
  );
}

type Accept = ReturnType<typeof useAcceptInvitation>;

/** After joining: the new workspace is the current one, and the app opens. */
function useJoined(invitation: InvitationPreview) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (workspaceId: string) => {
    rememberWorkspace(workspaceId);
    void message.success(t('invite.joined', { workspace: invitation.workspaceName }));
    void navigate('/', { replace: true });
  };
}

/** Logged in: join with this account (the server requires it to be the invited address). */
function AcceptAsMember({ me, invitation, accept }: { me: Me; invitation: InvitationPreview; accept: Accept }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const joined = useJoined(invitation);

  const onAccept = async () => {
    try {
      joined((await accept.mutateAsync({})).workspaceId);
    } catch {
      // shown below from the mutation's error
    }
  };
  // 403: logged in as another address; logging out shows the form to create the invited account.
  const wrongAccount = accept.error instanceof ApiError && accept.error.status === 403;

  return (
    <Flex vertical gap={12}>
      <Typography.Text>{t('invite.loggedInAs', { email: me.user.email })}</Typography.Text>
      {accept.isError ? <Alert type="error" showIcon title={describeServerError(accept.error)} role="alert" /> : null}
      <Button type="primary" block loading={accept.isPending} onClick={() => void onAccept()}>
        {t('invite.accept')}
      </Button>
      {wrongAccount ? (
        <Button
          block
          loading={logout.isPending}
          onClick={() => logout.mutate(undefined, { onSettled: () => accept.reset() })}
        >
          {t('invite.logout')}
        </Button>
      ) : null}
    </Flex>
  );
}

interface CreateValues {
  name: string;
  password: string;
  confirmPassword: string;
}

const CREATE_FIELDS = ['name', 'password'] as const;

/** Not logged in: create the invited account with one's own password (this logs in). */
function CreateAccount({
  token,
  invitation,
  accept,
}: {
  token: string;
  invitation: InvitationPreview;
  accept: Accept;
}) {
  const { t } = useTranslation();
  const joined = useJoined(invitation);
  const { form, error, handleError, clearError } = useApiForm<CreateValues>(CREATE_FIELDS, describeServerError);

  const onFinish = async (values: CreateValues) => {
    clearError();
    try {
      joined((await accept.mutateAsync({ name: values.name.trim(), password: values.password })).workspaceId);
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t('invite.createTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('invite.createIntro', { email: invitation.email })}
      </Typography.Paragraph>
      <Form<CreateValues>
        form={form}
        name="acceptInvitation"
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={{ name: invitation.name }}
        requiredMark={false}
        disabled={accept.isPending}
      >
        <Form.Item
          name="name"
          label={t('invite.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('invite.name') }) }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <NewPasswordFields
          name="password"
          confirmName="confirmPassword"
          label={t('invite.password')}
          confirmLabel={t('invite.confirmPassword')}
        />
        <FormError message={error} />
        <Button type="primary" htmlType="submit" block loading={accept.isPending}>
          {t('invite.create')}
        </Button>
      </Form>
      <Flex justify="flex-end" style={{ marginTop: 12 }}>
        <Link to={loginPath(token)}>{t('invite.haveAccount')}</Link>
      </Flex>
    </>
  );
}
