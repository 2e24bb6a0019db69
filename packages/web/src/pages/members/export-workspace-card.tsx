import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { downloadEncryptedWorkspaceExport, downloadWorkspaceExport } from '../../api/workspace-transfer';

interface ExportValues {
  encrypt: boolean;
  passphrase?: string;
  again?: string;
}

/**
 * Owners: the whole workspace as one file for another Zizhi instance, with what it holds and what
 * it leaves out; encrypted with a passphrase unless they choose otherwise.
 */
export function ExportWorkspaceCard({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ExportValues>();
  const encrypt = Form.useWatch('encrypt', form) ?? true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFinish = async (values: ExportValues) => {
    setError(null);
    if (!values.encrypt) {
      downloadWorkspaceExport(workspaceId);
      void message.success(t('workspaceTransfer.exportStarted'));
      return;
    }
    setBusy(true);
    try {
      await downloadEncryptedWorkspaceExport(workspaceId, values.passphrase ?? '');
      void message.success(t('workspaceTransfer.exportStarted'));
      form.resetFields(['passphrase', 'again']);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('workspaceTransfer.exportTitle')} style={{ marginTop: 24 }}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('workspaceTransfer.exportIntro')}</Typography.Paragraph>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('workspaceTransfer.includes')}</Typography.Paragraph>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('workspaceTransfer.excludes')}</Typography.Paragraph>
        <Alert type="warning" showIcon title={t('workspaceTransfer.sensitive')} />
        <Form<ExportValues>
          form={form}
          name="exportWorkspace"
          layout="vertical"
          initialValues={{ encrypt: true }}
          onFinish={(values) => void onFinish(values)}
          disabled={busy}
          style={{ maxWidth: 480 }}
        >
          <Form.Item name="encrypt" valuePropName="checked">
            <Checkbox>{t('workspaceTransfer.encrypt')}</Checkbox>
          </Form.Item>
          {encrypt ? (
            <>
              <Form.Item
                name="passphrase"
                label={t('workspaceTransfer.passphrase')}
                extra={t('workspaceTransfer.passphraseHelp')}
                rules={[{ required: true, min: 12, message: t('workspaceTransfer.passphraseTooShort') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="again"
                label={t('workspaceTransfer.passphraseAgain')}
                dependencies={['passphrase']}
                rules={[
                  { required: true, message: t('workspaceTransfer.passphraseMismatch') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      value === getFieldValue('passphrase')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('workspaceTransfer.passphraseMismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </>
          ) : null}
          {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
          <Button type="primary" htmlType="submit" icon={<DownloadOutlined />} loading={busy}>
            {t('workspaceTransfer.export')}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}
