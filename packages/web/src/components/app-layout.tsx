import {
  MenuOutlined,
  RestOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DownOutlined,
  FileProtectOutlined,
  FolderOpenOutlined,
  ReadOutlined,
  ImportOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  NotificationOutlined,
  ProfileOutlined,
  AppstoreOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Button, Drawer, Dropdown, Layout, Menu, Select, Typography, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useLogout } from '../api/auth';
import { describeError } from '../api/errors';
import { canManageWorkspace } from '../api/types';
import { useWorkspace } from '../state/workspace';
import { ChangePasswordModal } from './change-password';
import { InboxBell } from './inbox-bell';
import { useScrollableTablesFocusable } from './use-scroll-focus';
import { LanguageSwitch } from './language-switch';
import { usePhone } from './use-phone';
import { DemoBanner } from './demo-banner';
import { useInvalidDateWarning } from './use-invalid-date-warning';

const { Header, Sider, Content } = Layout;

/** The frame of every signed-in page: side menu, header with workspace, language and user menu. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { me, workspaces, workspace, role, selectWorkspace } = useWorkspace();
  const logout = useLogout();
  const { message } = App.useApp();
  const [changingPassword, setChangingPassword] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Below 768 px (a phone): the menu moves into a drawer and the header keeps icons only.
  const phone = usePhone();
  useScrollableTablesFocusable();
  useInvalidDateWarning();

  const items: MenuProps['items'] = [
    { key: '/', icon: <DashboardOutlined />, label: t('nav.dashboard') },
    { key: '/orgs', icon: <ApartmentOutlined />, label: t('nav.orgs') },
    { key: '/certificates', icon: <FileProtectOutlined />, label: t('nav.certificates') },
    { key: '/obligations', icon: <CheckSquareOutlined />, label: t('nav.obligations') },
    { key: '/evidence', icon: <FolderOpenOutlined />, label: t('nav.evidence') },
    { key: '/policy-updates', icon: <ReadOutlined />, label: t('nav.policyUpdates') },
    { type: 'divider' as const },
    { key: '/members', icon: <TeamOutlined />, label: t('nav.members') },
    ...(canManageWorkspace(role) ? [{ key: '/audit', icon: <AuditOutlined />, label: t('nav.audit') }] : []),
    { key: '/tokens', icon: <KeyOutlined />, label: t('nav.tokens') },
    { key: '/settings/requirements', icon: <ProfileOutlined />, label: t('nav.requirementSets') },
    { key: '/settings/capability-catalogue', icon: <AppstoreOutlined />, label: t('nav.capabilityCatalogue') },
    ...(canManageWorkspace(role)
      ? [
          { key: '/settings/notifications', icon: <NotificationOutlined />, label: t('nav.notificationChannels') },
          { key: '/settings/recycle-bin', icon: <RestOutlined />, label: t('nav.recycleBin') },
        ]
      : []),
    ...(me.user.isAdmin
      ? [
          { key: '/settings/calendar', icon: <CalendarOutlined />, label: t('nav.calendarSettings') },
          { key: '/settings/backups', icon: <CloudUploadOutlined />, label: t('nav.backups') },
          { key: '/settings/workspace-import', icon: <ImportOutlined />, label: t('nav.workspaceImport') },
        ]
      : []),
  ];
  const section =
    pathname === '/'
      ? '/'
      : pathname.startsWith('/settings/')
        ? pathname
        : /^\/orgs\/[^/]+\/certificates\//.test(pathname)
          ? '/certificates'
          : /^\/orgs\/[^/]+\/evidence(\/|$)/.test(pathname)
            ? '/evidence'
            : `/${pathname.split('/')[1] ?? ''}`;

  const onLogout = () => {
    logout.mutate(undefined, {
      onSuccess: () => void message.success(t('header.loggedOut')),
      onError: (error) => void message.error(describeError(error)),
      onSettled: () => void navigate('/login', { replace: true }),
    });
  };

  const menu = (
    <nav aria-label={t('nav.menu')}>
      <Menu
        mode="inline"
        selectedKeys={[section]}
        items={items}
        onClick={({ key }) => {
          setDrawerOpen(false);
          void navigate(key);
        }}
        style={{ borderInlineEnd: 0 }}
      />
    </nav>
  );
  const workspacePicker =
    workspaces.length > 0 ? (
      <Select
        aria-label={t('header.workspace')}
        value={workspace?.id}
        onChange={(id: string) => {
          setDrawerOpen(false);
          selectWorkspace(id);
        }}
        style={phone ? { width: '100%' } : { minWidth: 200 }}
        options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
      />
    ) : null;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        // On a phone the menu is a drawer that closes once a page is chosen, so pages get the width.
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
        >
          <div style={{ padding: 12 }}>{workspacePicker}</div>
          {menu}
        </Drawer>
      ) : (
        <Sider theme="light" width={208} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <Typography.Title level={4} style={{ margin: 0, padding: '16px 24px' }}>
            {t('app.name')}
          </Typography.Title>
          {menu}
        </Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            background: '#fff',
            paddingInline: phone ? 8 : 24,
            borderBottom: '1px solid #f0f0f0',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: phone ? 4 : 16,
          }}
        >
          {phone ? (
            <>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('nav.openMenu')}
                aria-expanded={drawerOpen}
                onClick={() => setDrawerOpen(true)}
              />
              <Typography.Text strong style={{ marginInlineEnd: 'auto', fontSize: 16 }}>
                {t('app.name')}
              </Typography.Text>
            </>
          ) : (
            workspacePicker
          )}
          <InboxBell />
          <LanguageSwitch compact={phone} />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'feeds', icon: <CalendarOutlined />, label: t('nav.feeds') },
                { key: 'notifications', icon: <BellOutlined />, label: t('nav.myNotifications') },
                { key: 'password', icon: <LockOutlined />, label: t('password.title') },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
              ],
              onClick: ({ key }) => {
                if (key === 'logout') onLogout();
                if (key === 'feeds') void navigate('/calendar-feeds');
                if (key === 'notifications') void navigate('/settings/my-notifications');
                if (key === 'password') setChangingPassword(true);
              },
            }}
          >
            <Button type="text" icon={<UserOutlined />} aria-label={`${t('header.userMenu')}: ${me.user.name}`}>
              {phone ? null : (
                <>
                  {me.user.name} <DownOutlined />
                </>
              )}
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <DemoBanner />
          {children}
        </Content>
        {changingPassword ? <ChangePasswordModal onClose={() => setChangingPassword(false)} /> : null}
      </Layout>
    </Layout>
  );
}
