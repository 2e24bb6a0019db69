import {
  ArrowLeftOutlined,
  BranchesOutlined,
  DownloadOutlined,
  EditOutlined,
  HistoryOutlined,
  SwapOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { isTerminalState } from '@zizhi/core';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Image,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { fileUrl, useAttachScan, useCertificate, useUpdateCertificate } from '../../api/certificates';
import { describeError } from '../../api/errors';
import { useOrgObligations } from '../../api/obligations';
import { useOrg } from '../../api/orgs';
import type { CertificateDetail, CertificateTransition, SuccessorKind, TransitionTarget } from '../../api/types';
import { canEditOrgs, canManageWorkspace } from '../../api/types';
import {
  engineText,
  isOpenStatus,
  OBLIGATION_RULES,
  ruleTitle,
  STATE_COLORS,
  StateTag,
  stateLabel,
  useLevelLabel,
} from '../../components/domain';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { currentLanguage } from '../../i18n';
import { useWorkspace } from '../../state/workspace';
import { canWorkOnObligations } from '../obligations/obligation-actions';
import { ObligationTable } from '../obligations/obligation-table';
import { transitionTargets } from './alert-actions';
import { CertificateAlerts, CertificateWarnings } from './certificate-alerts';
import { EditCertificateModal, SuccessorModal, TransitionModal } from './certificate-modals';
import type { CertificatePageState } from './certificate-table';
import { EventModal, type EventPreset } from './event-form';
import { EventsCard } from './events-card';
import { HistoryModal } from './history-modal';
import { SelfCheckCard } from './self-check-card';
import { SupervisionPlanCard } from './supervision-card';
import { DossierCard } from './dossier-card';
import { UsagesCard } from './usages-card';
import { CasesCard } from './cases-card';
import { AuditsCard } from '../audits/audits-card';
import { MeetingsCard } from '../meetings/meetings-card';

/** The dialog open on the page, with what it is preset to when an alert opened it. */
type Dialog =
  | { kind: 'edit' }
  | { kind: 'transition'; preset?: { to: TransitionTarget; on: string; basis: string } }
  | { kind: 'successor'; successorKind?: SuccessorKind; basis?: string }
  | { kind: 'history'; afterCreate: boolean }
  | { kind: 'event'; preset: EventPreset };

/** One certificate: validity, state and its history, public links, scan, obligations and events. */
export default function CertificateDetailPage() {
  const { orgId = '', certId = '' } = useParams();
  const cert = useCertificate(orgId, certId);
  if (cert.isPending) return <PageLoading />;
  if (cert.isError) return <PageError error={cert.error} onRetry={() => void cert.refetch()} />;
  return <CertificateView cert={cert.data} />;
}

function CertificateView({ cert }: { cert: CertificateDetail }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const { message } = App.useApp();
  const org = useOrg(cert.orgId);
  const { workspaces } = useWorkspace();
  const role = workspaces.find((w) => w.id === org.data?.workspaceId)?.role;
  const canEdit = canEditOrgs(role);
  const [rule, setRule] = useState<string | undefined>();
  const [openOnly, setOpenOnly] = useState(false);
  const obligations = useOrgObligations(cert.orgId, { certificateId: cert.id, ...(rule ? { rule } : {}) });
  const shownObligations = (obligations.data ?? []).filter((o) => !openOnly || isOpenStatus(o.status));
  const update = useUpdateCertificate(cert.orgId, cert.id);
  const location = useLocation();
  const navigate = useNavigate();
  const terminal = isTerminalState(cert.recordedState);
  // Arriving from "add certificate" with a past issue date: the history step opens first.
  const [dialog, setDialog] = useState<Dialog | null>(() =>
    (location.state as CertificatePageState | null)?.historyStep && !terminal
      ? { kind: 'history', afterCreate: true }
      : null,
  );
  const closeDialog = () => {
    setDialog(null);
    // A reload or "back" must not offer the step again.
    if ((location.state as CertificatePageState | null)?.historyStep) {
      void navigate(location.pathname, { replace: true, state: null });
    }
  };
  const en = currentLanguage() === 'en';

  const patch = async (body: Parameters<typeof update.mutateAsync>[0], done: string) => {
    try {
      await update.mutateAsync(body);
      void message.success(done);
    } catch (err) {
      void message.error(describeError(err));
    }
  };

  return (
    <>
      <Link to={`/orgs/${cert.orgId}`}>
        <ArrowLeftOutlined /> {org.data ? t('certificates.backTo', { name: org.data.name }) : t('certificates.back')}
      </Link>
      <PageHeader
        title={
          <Space>
            {t('certificates.heading', { number: cert.number })}
            <StateTag state={cert.state} />
          </Space>
        }
        extra={
          canEdit ? (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit' })}>
                {t('common.edit')}
              </Button>
              {!terminal ? (
                <Button icon={<HistoryOutlined />} onClick={() => setDialog({ kind: 'history', afterCreate: false })}>
                  {t('certificates.recordHistory')}
                </Button>
              ) : null}
              {transitionTargets(cert.recordedState).length > 0 ? (
                <Button icon={<SwapOutlined />} onClick={() => setDialog({ kind: 'transition' })}>
                  {t('certificates.transition')}
                </Button>
              ) : null}
              {!terminal && !cert.successorId ? (
                <Button icon={<BranchesOutlined />} onClick={() => setDialog({ kind: 'successor' })}>
                  {t('certificates.successor')}
                </Button>
              ) : null}
            </Space>
          ) : undefined
        }
      />
      <CertificateAlerts
        alerts={cert.alerts}
        recordedState={cert.recordedState}
        canAct={canEdit && !terminal}
        onRecord={(preset) => setDialog({ kind: 'event', preset })}
        onConfirm={(preset, alert) =>
          setDialog(
            preset.kind === 'transition'
              ? { kind: 'transition', preset: { to: preset.to, on: preset.on, basis: engineText(alert) } }
              : { kind: 'successor', successorKind: 'downgrade', basis: engineText(alert) },
          )
        }
      />
      <CertificateWarnings warnings={cert.warnings} />
      <Row gutter={16}>
        <Col xs={24} xl={cert.publicUrl ? 16 : 24}>
          <Card title={t('certificates.info')}>
            <Descriptions
              column={{ xs: 1, md: 2 }}
              bordered
              size="middle"
              styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
            >
              <Descriptions.Item label={t('certificates.org')}>
                <Link to={`/orgs/${cert.orgId}`}>{org.data?.name ?? '…'}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('certificates.level')}>{levelLabel(cert.level)}</Descriptions.Item>
              <Descriptions.Item label={t('certificates.number')}>
                <Typography.Text copyable>{cert.number}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('certificates.issuer')}>{cert.issuer}</Descriptions.Item>
              <Descriptions.Item label={t('certificates.issuedOn')}>{cert.issuedOn}</Descriptions.Item>
              <Descriptions.Item label={t('certificates.expiresOn')}>
                <Space wrap>
                  <span data-testid="expires-on">{cert.expiresOn}</span>
                  {cert.expiresOnProposed ? (
                    <>
                      <Tooltip title={t('certificates.proposedHelp')}>
                        <Tag color="warning">{t('certificates.proposed')}</Tag>
                      </Tooltip>
                      {canEdit ? (
                        <Button
                          size="small"
                          loading={update.isPending}
                          onClick={() => void patch({ expiresOn: cert.expiresOn }, t('certificates.expiryConfirmed'))}
                        >
                          {t('certificates.confirmExpiry')}
                        </Button>
                      ) : null}
                    </>
                  ) : null}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('certificates.state')}>
                <Space wrap>
                  <StateTag state={cert.state} />
                  {cert.recordedState !== cert.state ? (
                    <Typography.Text type="secondary">
                      {t('certificates.recordedState', { state: stateLabel(cert.recordedState) })}
                    </Typography.Text>
                  ) : null}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('certificates.public')}>
                <Switch
                  checked={cert.public}
                  disabled={!canEdit}
                  loading={update.isPending}
                  aria-label={t('certificates.public')}
                  onChange={(checked) =>
                    void patch(
                      { public: checked },
                      checked ? t('certificates.publishedOn') : t('certificates.publishedOff'),
                    )
                  }
                />
              </Descriptions.Item>
              {cert.predecessorId ? (
                <Descriptions.Item label={t('certificates.predecessor')}>
                  <Link to={`/orgs/${cert.orgId}/certificates/${cert.predecessorId}`}>{t('certificates.open')}</Link>
                </Descriptions.Item>
              ) : null}
              {cert.successorId ? (
                <Descriptions.Item label={t('certificates.successorCert')}>
                  <Link to={`/orgs/${cert.orgId}/certificates/${cert.successorId}`}>{t('certificates.open')}</Link>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('certificates.scan')} span={2}>
                <ScanField cert={cert} canEdit={canEdit} />
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        {cert.publicUrl ? (
          <Col xs={24} xl={8}>
            <PublicCard publicUrl={cert.publicUrl} number={cert.number} level={cert.level} />
          </Col>
        ) : null}
      </Row>

      <Card
        title={t('certificates.obligations')}
        style={{ marginTop: 16 }}
        extra={
          <Space wrap>
            <Select
              aria-label={t('obligations.filterRule')}
              placeholder={t('obligations.filterRule')}
              allowClear
              value={rule}
              onChange={setRule}
              options={OBLIGATION_RULES.filter((r) => r.levels.includes(cert.level)).map((r) => ({
                value: r.id,
                label: ruleTitle(r.id),
              }))}
              style={{ minWidth: 220 }}
              popupMatchSelectWidth={false}
              showSearch={{ optionFilterProp: 'label' }}
            />
            <Switch
              checked={openOnly}
              onChange={setOpenOnly}
              checkedChildren={t('certificates.openOnly')}
              unCheckedChildren={t('certificates.allObligations')}
              aria-label={t('certificates.openOnly')}
            />
          </Space>
        }
      >
        {obligations.isError ? (
          <Typography.Text type="danger" role="alert">
            {describeError(obligations.error)}
          </Typography.Text>
        ) : (
          <ObligationTable
            items={shownObligations}
            loading={obligations.isPending}
            showCertificate={false}
            canAct={canWorkOnObligations(role)}
            pageSize={10}
          />
        )}
      </Card>

      <EventsCard orgId={cert.orgId} certId={cert.id} canEdit={canEdit && !terminal} />
      <CasesCard cert={cert} canEdit={canEdit} />
      <UsagesCard cert={cert} canEdit={canEdit} />

      {cert.level !== 'CS1' && cert.level !== 'CS2' ? (
        <SupervisionPlanCard cert={cert} canEdit={canEdit && !terminal} />
      ) : null}
      {terminal ? null : <DossierCard cert={cert} canEdit={canEdit} />}
      <SelfCheckCard
        cert={cert}
        canRecord={canEdit && !terminal}
        workspaceId={org.data?.workspaceId}
        canEditTemplate={canManageWorkspace(role)}
      />

      <AuditsCard cert={cert} canPlan={canEdit && !terminal} />

      <MeetingsCard cert={cert} canPlan={canEdit && !terminal} />

      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={10}>
          <Card title={t('certificates.timeline')} style={{ height: '100%' }}>
            <Typography.Paragraph type="secondary">{t('certificates.timelineHelp')}</Typography.Paragraph>
            <Timeline
              items={cert.timeline.map((s) => ({
                key: `${s.state}-${s.from}`,
                color: STATE_COLORS[s.state] === 'default' ? 'gray' : STATE_COLORS[s.state],
                content: (
                  <Space orientation="vertical" size={0}>
                    <Space>
                      <StateTag state={s.state} />
                      <Typography.Text>
                        {s.from} ~ {s.to ?? ''}
                      </Typography.Text>
                    </Space>
                    <Typography.Text type="secondary">{en ? s.reasonEn : s.reasonZh}</Typography.Text>
                  </Space>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('certificates.history')} style={{ height: '100%' }}>
            <Table<CertificateTransition>
              aria-label={t('certificates.history')}
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={cert.transitions}
              locale={{ emptyText: t('certificates.noTransitions') }}
              columns={[
                { title: t('certificates.transitionOn'), dataIndex: 'on' },
                {
                  title: t('certificates.transitionChange'),
                  key: 'change',
                  render: (_: unknown, tr) => (
                    <Space size={4}>
                      {tr.fromState ? <StateTag state={tr.fromState} /> : null}→<StateTag state={tr.toState} />
                    </Space>
                  ),
                },
                { title: t('certificates.transitionReason'), dataIndex: 'reason' },
                {
                  title: t('certificates.recordedBy'),
                  key: 'actor',
                  render: (_: unknown, tr) =>
                    `${tr.actor?.name ?? t('audit.system')} · ${dayjs(tr.createdAt).format('YYYY-MM-DD HH:mm')}`,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>

      {dialog?.kind === 'edit' ? <EditCertificateModal cert={cert} onClose={closeDialog} /> : null}
      {dialog?.kind === 'transition' ? (
        <TransitionModal cert={cert} {...(dialog.preset ? { preset: dialog.preset } : {})} onClose={closeDialog} />
      ) : null}
      {dialog?.kind === 'successor' ? (
        <SuccessorModal
          cert={cert}
          {...(dialog.successorKind ? { kind: dialog.successorKind } : {})}
          {...(dialog.basis ? { basis: dialog.basis } : {})}
          onClose={closeDialog}
        />
      ) : null}
      {dialog?.kind === 'history' ? (
        <HistoryModal cert={cert} afterCreate={dialog.afterCreate} onClose={closeDialog} />
      ) : null}
      {dialog?.kind === 'event' ? (
        <EventModal orgId={cert.orgId} certId={cert.id} preset={dialog.preset} onClose={closeDialog} />
      ) : null}
    </>
  );
}

function ScanField({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const attach = useAttachScan(cert.orgId, cert.id);
  return (
    <Space wrap>
      {cert.scanFileId ? (
        <Button icon={<DownloadOutlined />} href={fileUrl(cert.orgId, cert.scanFileId)} target="_blank" rel="noopener">
          {t('certificates.scanDownload')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('certificates.noScan')}</Typography.Text>
      )}
      {canEdit ? (
        <Upload
          accept="application/pdf,image/*"
          showUploadList={false}
          beforeUpload={(file) => {
            attach.mutate(file, {
              onSuccess: () => void message.success(t('certificates.scanUploaded')),
              onError: (err) => void message.error(describeError(err)),
            });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={attach.isPending}>
            {cert.scanFileId ? t('certificates.scanReplace') : t('certificates.scanUpload')}
          </Button>
        </Upload>
      ) : null}
    </Space>
  );
}

/**
 * Links to the public verification page, the badge and the QR code, and a snippet to embed the
 * badge. The page is addressed by the certificate's unguessable slug (`publicUrl`,
 * `/verify/<slug>`), never by its number; the badge and QR code use the same slug.
 */
function PublicCard({ publicUrl, number, level }: { publicUrl: string; number: string; level: string }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const slug = publicUrl.slice(publicUrl.lastIndexOf('/') + 1);
  const verify = `${origin}${publicUrl}`;
  const badge = `${origin}/badge/${slug}.svg`;
  const qr = `${origin}/qr/${slug}.png`;
  const snippet = `<a href="${verify}"><img src="${badge}" alt="CS ${level} ${number.replace(/"/g, '&quot;')}"></a>`;
  return (
    <Card title={t('certificates.publicTitle')} style={{ height: '100%' }}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('certificates.publicIntro')}</Typography.Text>
        <Typography.Text strong>{t('certificates.publicUrl')}</Typography.Text>
        <Typography.Paragraph copyable style={{ wordBreak: 'break-all', margin: 0 }} data-testid="public-url">
          {verify}
        </Typography.Paragraph>
        <Space wrap>
          <a href={verify} target="_blank" rel="noopener">
            {t('certificates.verifyPage')}
          </a>
          <a href={badge} target="_blank" rel="noopener">
            {t('certificates.badge')}
          </a>
          <a href={qr} target="_blank" rel="noopener">
            {t('certificates.qr')}
          </a>
        </Space>
        <img src={badge} alt={t('certificates.badgeAlt', { number })} style={{ maxWidth: '100%' }} />
        <Image src={qr} alt={t('certificates.qrAlt', { number })} width={128} />
        <Typography.Text strong>{t('certificates.embed')}</Typography.Text>
        <Typography.Paragraph code copyable={{ text: snippet }} style={{ wordBreak: 'break-all', margin: 0 }}>
          {snippet}
        </Typography.Paragraph>
      </Flex>
    </Card>
  );
}
