import { ArrowLeftOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { ResponsiveTabs } from '../../components/responsive-tabs';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useChecks } from '../../api/evidence';
import { useOrg } from '../../api/orgs';
import { canContribute, canEditOrgs, type Org } from '../../api/types';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { ChecksPanel } from './checks';
import { EligibilityPanel } from './eligibility';
import type { EvidenceAccess } from './evidence-list';
import { FinancialYearsList } from './financial-years';
import { IpList } from './ip';
import { ManagementCertificatesList } from './management-certificates';
import { ProjectsList } from './projects';
import { ReadinessPanel } from './readiness';
import NotFoundPage from '../not-found/not-found-page';
import { isEvidenceSection, EVIDENCE_SECTIONS, type EvidenceSection } from './sections';
import { StaffList } from './staff';
import { StandardsList } from './standards';

/** `/orgs/:orgId/evidence/:section`: one organisation's evidence, checks and readiness, as tabs. */
export default function EvidencePage() {
  const { orgId = '', section } = useParams();
  const org = useOrg(orgId);
  // No section: the first one. A section that does not exist is a wrong address, not another tab.
  if (section === undefined) return <Navigate to={`/orgs/${orgId}/evidence/projects`} replace />;
  if (!isEvidenceSection(section)) return <NotFoundPage />;
  if (org.isPending) return <PageLoading />;
  if (org.isError) return <PageError error={org.error} onRetry={() => void org.refetch()} />;
  return <Evidence org={org.data} section={section} />;
}

function Evidence({ org, section }: { org: Org; section: EvidenceSection }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { workspaces } = useWorkspace();
  const role = workspaces.find((w) => w.id === org.workspaceId)?.role;
  const access: EvidenceAccess = { orgId: org.id, canEdit: canContribute(role), canDelete: canEditOrgs(role) };
  const checks = useChecks(org.id);
  const errors = (checks.data ?? []).filter((f) => f.severity === 'error').length;

  const content =
    section === 'checks' ? (
      <ChecksPanel orgId={org.id} />
    ) : section === 'readiness' ? (
      <ReadinessPanel org={org} />
    ) : section === 'eligibility' ? (
      <EligibilityPanel access={access} />
    ) : (
      {
        projects: <ProjectsList access={access} />,
        staff: <StaffList access={access} />,
        'financial-years': <FinancialYearsList access={access} />,
        ip: <IpList access={access} />,
        standards: <StandardsList access={access} />,
        'management-certificates': <ManagementCertificatesList access={access} />,
      }[section]
    );

  return (
    <>
      <Link to={`/orgs/${org.id}`}>
        <ArrowLeftOutlined /> {t('evidence.backTo', { name: org.name })}
      </Link>
      <PageHeader title={t('evidence.title', { name: org.name })} />
      <ResponsiveTabs
        label={t('evidence.sectionPicker')}
        activeKey={section}
        onChange={(key) => void navigate(`/orgs/${org.id}/evidence/${key}`)}
        items={EVIDENCE_SECTIONS.map((key) => ({
          key,
          text:
            key === 'checks' && errors > 0
              ? `${t('evidence.sections.checks')} (${errors})`
              : t(`evidence.sections.${key}`),
          label:
            key === 'checks' && errors > 0 ? (
              <Badge count={errors} size="small" offset={[8, -2]}>
                {t('evidence.sections.checks')}
              </Badge>
            ) : (
              t(`evidence.sections.${key}`)
            ),
        }))}
      />
      {content}
    </>
  );
}
