import { FileZipOutlined, RiseOutlined } from '@ant-design/icons';
import { LEVELS, type Level } from '@zizhi/core';
import { Button, Card, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { renewalPackUrl } from '../../api/supervision';
import type { CertificateDetail } from '../../api/types';
import { AssessmentTimeline } from './assessment-timeline';
import { ContactSection } from './contact-section';

/**
 * The renewal (再评估) or upgrade dossier: the material checklist, the evidence by subject and
 * readiness against the level applied for, downloaded as one zip; and who to call at the body.
 */
export function DossierCard({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const level = cert.level;
  const next = LEVELS[LEVELS.indexOf(level) + 1];
  const [target, setTarget] = useState<Level>(level);
  return (
    <Card
      title={
        <Space>
          <RiseOutlined />
          {t('dossier.title')}
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="dossier-card"
    >
      <Typography.Paragraph type="secondary">{t('dossier.help')}</Typography.Paragraph>
      <Space wrap>
        <Select<Level>
          aria-label={t('dossier.target')}
          value={target}
          onChange={setTarget}
          style={{ minWidth: 200 }}
          options={[
            { value: level, label: t('dossier.renewal', { level }) },
            ...(next ? [{ value: next, label: t('dossier.upgrade', { from: level, to: next }) }] : []),
          ]}
        />
        <Button
          icon={<FileZipOutlined />}
          href={renewalPackUrl(cert.orgId, cert.id, target === level ? undefined : target)}
        >
          {t('dossier.download')}
        </Button>
      </Space>
      <AssessmentTimeline
        cert={cert}
        kinds={target === level ? ['renewal', 'upgrade'] : ['upgrade', 'renewal']}
        canEdit={canEdit}
      />
      <ContactSection cert={cert} canEdit={canEdit} />
    </Card>
  );
}
