import { App, Modal, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCreateCertificate } from '../../api/certificates';
import type { Certificate } from '../../api/types';
import { chinaToday, StateTag, useLevelLabel } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import {
  CERTIFICATE_FIELDS,
  CertificateForm,
  toCertificateInput,
  type CertificateFormValues,
} from './certificate-form';
import { needsHistoryStep } from './history-step';

export const certificatePath = (c: Pick<Certificate, 'orgId' | 'id'>) => `/orgs/${c.orgId}/certificates/${c.id}`;

/** Navigation state that opens the history step on the certificate page. */
export interface CertificatePageState {
  historyStep?: boolean;
}

/** A certificate issued before today has a past to record: its page opens with the history step. */
export function historyStepState(issuedOn: string): CertificatePageState {
  return needsHistoryStep(issuedOn, chinaToday()) ? { historyStep: true } : {};
}

/** Certificates as a table; a row opens the certificate. */
export function CertificateTable({
  items,
  loading,
  orgNames,
}: {
  items: Certificate[];
  loading?: boolean;
  /** Adds an organisation column. */
  orgNames?: Map<string, string>;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const levelLabel = useLevelLabel();
  return (
    <Table<Certificate>
      aria-label={t('certificates.table')}
      rowKey="id"
      loading={loading}
      dataSource={items}
      locale={{ emptyText: t('certificates.empty') }}
      pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      onRow={(c) => ({ onClick: () => void navigate(certificatePath(c)), style: { cursor: 'pointer' } })}
      columns={[
        {
          title: t('certificates.number'),
          dataIndex: 'number',
          render: (number: string, c) => (
            <Link to={certificatePath(c)} onClick={(e) => e.stopPropagation()}>
              {number}
            </Link>
          ),
          sorter: (a, b) => a.number.localeCompare(b.number),
        },
        ...(orgNames
          ? [
              {
                title: t('certificates.org'),
                key: 'org',
                render: (_: unknown, c: Certificate) => orgNames.get(c.orgId) ?? c.orgId.slice(0, 8),
                sorter: (a: Certificate, b: Certificate) =>
                  (orgNames.get(a.orgId) ?? '').localeCompare(orgNames.get(b.orgId) ?? '', 'zh-CN'),
              },
            ]
          : []),
        {
          title: t('certificates.level'),
          dataIndex: 'level',
          render: (level: string) => levelLabel(level),
          sorter: (a, b) => a.level.localeCompare(b.level),
        },
        { title: t('certificates.issuer'), dataIndex: 'issuer' },
        {
          title: t('certificates.validity'),
          key: 'validity',
          render: (_: unknown, c) => (
            <>
              {c.issuedOn} ~ {c.expiresOn}
              {c.expiresOnProposed ? (
                <Tooltip title={t('certificates.proposedHelp')}>
                  <Tag color="warning" style={{ marginInlineStart: 8 }}>
                    {t('certificates.proposed')}
                  </Tag>
                </Tooltip>
              ) : null}
            </>
          ),
          sorter: (a, b) => a.expiresOn.localeCompare(b.expiresOn),
        },
        {
          title: t('certificates.state'),
          dataIndex: 'state',
          render: (state: string) => <StateTag state={state} />,
        },
        {
          title: t('certificates.public'),
          dataIndex: 'public',
          render: (v: boolean) => (v ? <Tag color="cyan">{t('certificates.publicOn')}</Tag> : t('common.none')),
        },
      ]}
    />
  );
}

/** The add-certificate dialog: for one organisation, or with an organisation field. */
export function CreateCertificateModal({
  open,
  onClose,
  orgId,
  orgOptions,
}: {
  open: boolean;
  onClose: () => void;
  orgId?: string;
  orgOptions?: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateCertificate();
  const { form, error, handleError, clearError } = useApiForm<CertificateFormValues>(CERTIFICATE_FIELDS);

  const onFinish = async (values: CertificateFormValues) => {
    clearError();
    const target = orgId ?? values.orgId;
    if (!target) return;
    try {
      const cert = await create.mutateAsync({ orgId: target, input: toCertificateInput(values) });
      void message.success(t('certificates.created'));
      form.resetFields();
      onClose();
      void navigate(certificatePath(cert), { state: historyStepState(cert.issuedOn) });
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('certificates.create')}
      open={open}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      forceRender
    >
      <CertificateForm
        name="createCertificate"
        form={form}
        onFinish={(values) => void onFinish(values)}
        disabled={create.isPending}
        {...(orgId ? {} : { orgOptions: orgOptions ?? [] })}
      />
      <FormError message={error} />
    </Modal>
  );
}
