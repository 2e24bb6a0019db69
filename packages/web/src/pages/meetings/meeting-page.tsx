import { ArrowLeftOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { describeError } from '../../api/errors';
import { minutesUrl, useAddActionItem, useCloseMeeting, useMeeting, useUpdateMinutes } from '../../api/meetings';
import { useOrg } from '../../api/orgs';
import type { Meeting } from '../../api/types';
import { canEditOrgs } from '../../api/types';
import { chinaToday, fromDay, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { useQuarterLabel } from './meetings-card';

/** One quarterly meeting: the agenda generated from the quarter, the minutes, action items, finalising. */
export default function MeetingPage() {
  const { orgId = '', meetingId = '' } = useParams();
  const meeting = useMeeting(orgId, meetingId);
  if (meeting.isPending) return <PageLoading />;
  if (meeting.isError) return <PageError error={meeting.error} onRetry={() => void meeting.refetch()} />;
  return <MeetingView orgId={orgId} meeting={meeting.data} />;
}

interface MinutesValues {
  heldOn?: Dayjs | null;
  place?: string;
  chair?: string;
  attendees: string[];
  decisions?: string;
}

interface ActionValues {
  title: string;
  dueDate: Dayjs;
}

function MeetingView({ orgId, meeting }: { orgId: string; meeting: Meeting }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const quarterLabel = useQuarterLabel();
  const org = useOrg(orgId);
  const { workspaces } = useWorkspace();
  const role = workspaces.find((w) => w.id === org.data?.workspaceId)?.role;
  const open = meeting.status === 'open';
  const canEdit = canEditOrgs(role) && open;
  const update = useUpdateMinutes(orgId, meeting.id);
  const addAction = useAddActionItem(orgId, meeting.id);
  const close = useCloseMeeting(orgId, meeting.id);
  const minutes = useApiForm<MinutesValues>(['heldOn', 'place', 'chair', 'attendees', 'decisions']);
  const action = useApiForm<ActionValues>(['title', 'dueDate', 'assigneeId']);

  const saveMinutes = async (values: MinutesValues) => {
    minutes.clearError();
    try {
      await update.mutateAsync({
        ...(values.heldOn ? { heldOn: toDay(values.heldOn) } : {}),
        place: values.place?.trim() || null,
        chair: values.chair?.trim() || null,
        attendees: values.attendees.map((a) => a.trim()).filter(Boolean),
        decisions: values.decisions?.trim() || null,
      });
      void message.success(t('meetings.saved'));
    } catch (err) {
      minutes.handleError(err);
    }
  };
  const saveAction = async (values: ActionValues) => {
    action.clearError();
    try {
      await addAction.mutateAsync({ title: values.title.trim(), dueDate: toDay(values.dueDate) });
      action.form.resetFields();
      void message.success(t('meetings.actionAdded'));
    } catch (err) {
      action.handleError(err);
    }
  };
  const finalise = async () => {
    try {
      const closed = await close.mutateAsync();
      void message.success(closed.obligationId ? t('meetings.finalisedDuty') : t('meetings.finalised'));
    } catch (err) {
      void message.error(describeError(err));
    }
  };

  return (
    <>
      <Link to={`/orgs/${orgId}/certificates/${meeting.certificateId}`}>
        <ArrowLeftOutlined /> {t('audits.backToCertificate')}
      </Link>
      <PageHeader
        title={
          <Space>
            {t('meetings.heading', { quarter: quarterLabel(meeting.quarter) })}
            {open ? <Tag>{t('meetings.draft')}</Tag> : <Tag color="success">{t('meetings.final')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<FileWordOutlined />} href={minutesUrl(orgId, meeting.id, 'docx')}>
              {t('meetings.minutesWord')}
            </Button>
            <Button icon={<FilePdfOutlined />} href={minutesUrl(orgId, meeting.id, 'pdf')}>
              {t('meetings.minutesPdf')}
            </Button>
            {canEdit ? (
              <Popconfirm title={t('meetings.finaliseConfirm')} onConfirm={() => void finalise()}>
                <Button type="primary" loading={close.isPending}>
                  {t('meetings.finalise')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      />
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={t('meetings.agenda')}>
            {meeting.agenda.map((section, i) => (
              <div key={section.title} style={{ marginBottom: 12 }}>
                <Typography.Title level={5}>{`${i + 1}. ${section.title}`}</Typography.Title>
                {section.lines.map((line) => (
                  <Typography.Paragraph key={line} style={{ marginBottom: 4 }}>
                    {line}
                  </Typography.Paragraph>
                ))}
              </div>
            ))}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('meetings.minutes')}>
            <FormError message={minutes.error} />
            <Form<MinutesValues>
              form={minutes.form}
              name="minutes"
              layout="vertical"
              disabled={!canEdit}
              onFinish={(v) => void saveMinutes(v)}
              initialValues={{
                heldOn: fromDay(meeting.heldOn),
                place: meeting.place ?? '',
                chair: meeting.chair ?? '',
                attendees: meeting.attendees,
                decisions: meeting.decisions ?? '',
              }}
            >
              <Form.Item name="heldOn" label={t('meetings.heldOn')}>
                <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="place" label={t('meetings.place')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="chair" label={t('meetings.chair')}>
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name="attendees" label={t('meetings.attendees')} extra={t('audits.auditorsHelp')}>
                <Select
                  mode="tags"
                  open={false}
                  tokenSeparators={[',', '，', '、']}
                  aria-label={t('meetings.attendees')}
                />
              </Form.Item>
              <Form.Item name="decisions" label={t('meetings.decisions')} extra={t('meetings.decisionsHelp')}>
                <Input.TextArea rows={4} maxLength={8000} />
              </Form.Item>
              {canEdit ? (
                <Button type="primary" htmlType="submit" loading={update.isPending}>
                  {t('meetings.saveMinutes')}
                </Button>
              ) : null}
            </Form>
          </Card>
          <Card title={t('meetings.actions')} style={{ marginTop: 16 }}>
            <Table
              size="small"
              rowKey="obligationId"
              dataSource={meeting.actions}
              pagination={false}
              locale={{ emptyText: t('meetings.noActions') }}
              aria-label={t('meetings.actions')}
              columns={[
                { title: t('meetings.actionTitle'), dataIndex: 'title' },
                { title: t('meetings.owner'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? '—' },
                { title: t('meetings.due'), dataIndex: 'dueDate', width: 110 },
                {
                  title: t('meetings.status'),
                  dataIndex: 'status',
                  width: 90,
                  render: (v: string) => t(`audits.actionStatus.${v}`, { defaultValue: v }),
                },
              ]}
            />
            {canEdit ? (
              <>
                <FormError message={action.error} />
                <Form<ActionValues>
                  form={action.form}
                  name="action-item"
                  layout="inline"
                  style={{ marginTop: 12, rowGap: 8 }}
                  onFinish={(v) => void saveAction(v)}
                  initialValues={{ dueDate: dayjs(chinaToday()).add(30, 'day') }}
                >
                  <Form.Item
                    name="title"
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('validation.required', { field: t('meetings.actionTitle') }),
                      },
                    ]}
                  >
                    <Input
                      placeholder={t('meetings.actionTitle')}
                      aria-label={t('meetings.actionTitle')}
                      maxLength={180}
                      style={{ width: 260 }}
                    />
                  </Form.Item>
                  <Form.Item name="dueDate" rules={[{ required: true }]}>
                    <DatePicker format="YYYY-MM-DD" aria-label={t('meetings.due')} />
                  </Form.Item>
                  <Button htmlType="submit" loading={addAction.isPending}>
                    {t('meetings.addAction')}
                  </Button>
                </Form>
              </>
            ) : null}
          </Card>
        </Col>
      </Row>
    </>
  );
}
