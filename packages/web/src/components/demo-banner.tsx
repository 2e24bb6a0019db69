import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateDemo, useRemoveDemo } from '../api/demo';
import { describeError } from '../api/errors';
import { useWorkspace } from '../state/workspace';

/** Above every page of a demo workspace: what it is, and (for its owners) the button that removes it. */
export function DemoBanner() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { workspace, workspaces, selectWorkspace } = useWorkspace();
  const remove = useRemoveDemo();
  if (!workspace?.demo) return null;
  const onRemove = () =>
    modal.confirm({
      title: t('demo.removeTitle'),
      content: t('demo.removeConfirm', { name: workspace.name }),
      okText: t('demo.remove'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await remove.mutateAsync(workspace.id);
          const other = workspaces.find((w) => w.id !== workspace.id);
          if (other) selectWorkspace(other.id);
          void message.success(t('demo.removed'));
        } catch (err) {
          void message.error(describeError(err));
        }
      },
    });
  return (
    <Alert
      type="info"
      showIcon
      icon={<ExperimentOutlined />}
      style={{ marginBottom: 16 }}
      title={t('demo.banner')}
      action={
        workspace.role === 'owner' ? (
          <Button size="small" danger onClick={onRemove} loading={remove.isPending}>
            {t('demo.remove')}
          </Button>
        ) : undefined
      }
      data-testid="demo-banner"
    />
  );
}

/** One click to a workspace of example data, for an instance administrator who wants to try things first. */
export function CreateDemoButton() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, workspaces, selectWorkspace } = useWorkspace();
  const create = useCreateDemo();
  if (!me.user.isAdmin || workspaces.some((w) => w.demo)) return null;
  return (
    <Button
      icon={<ExperimentOutlined />}
      loading={create.isPending}
      onClick={() => {
        const key = 'demo-create';
        void message.loading({ key, content: t('demo.creating'), duration: 0 });
        create.mutate(undefined, {
          onSuccess: (made) => {
            selectWorkspace(made.workspace.id);
            void message.success({ key, content: t('demo.created', { count: made.orgs }) });
          },
          onError: (err) => void message.error({ key, content: describeError(err) }),
        });
      }}
    >
      {t('demo.create')}
    </Button>
  );
}
