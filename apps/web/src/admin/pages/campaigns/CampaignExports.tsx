import { FileExcelOutlined, FileZipOutlined, SnippetsOutlined } from '@ant-design/icons';
import { App, Button, Popover, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { useSession } from '../../../shared/session.tsx';

const ledgerUrl = (campaignId: string, unitId?: string) =>
  `/api/campaigns/${campaignId}/ledger.xlsx${unitId ? `?unitId=${unitId}` : ''}`;
const evidenceUrl = (campaignId: string, unitId: string) =>
  `/api/campaigns/${campaignId}/units/${unitId}/evidence.zip`;

/**
 * The campaign's export toolbar: the Excel ledger (the caller's scope, or one unit), a unit's evidence
 * as a ZIP (a unit's own users get their unit; others choose one), and the way to the half-year reports.
 */
export function CampaignExports({
  campaignId,
  unitId,
  hideHalfYear = false,
}: {
  campaignId: string;
  /** Export this unit only (a ledger page about one unit). */
  unitId?: string;
  hideHalfYear?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const navigate = useNavigate();
  const [units, setUnits] = useState<{ value: string; label: string }[] | null>(null);
  const own = unitId ?? (user?.dataScope === 'own' ? (user.unitId ?? undefined) : undefined);

  const loadUnits = (visible: boolean) => {
    if (!visible || units) return;
    api<{ units: { unit: { id: string; name: string } }[] }>(`/campaigns/${campaignId}/half-year`)
      .then((r) => setUnits(r.units.map((u) => ({ value: u.unit.id, label: u.unit.name }))))
      .catch((e) => message.error(errorMessage(e, t)));
  };

  return (
    <Space wrap data-testid="campaign-exports">
      <Button icon={<FileExcelOutlined />} href={ledgerUrl(campaignId, unitId)} data-testid="export-ledger">
        {t('campaignExports.ledger')}
      </Button>
      {own ? (
        <Button icon={<FileZipOutlined />} href={evidenceUrl(campaignId, own)} data-testid="export-evidence">
          {t('campaignExports.evidence')}
        </Button>
      ) : (
        <Popover
          trigger="click"
          onOpenChange={loadUnits}
          title={t('campaignExports.chooseUnit')}
          content={
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 280 }}
              loading={!units}
              options={units ?? []}
              placeholder={t('campaignExports.chooseUnit')}
              data-testid="export-evidence-unit"
              onChange={(v: string) => window.location.assign(evidenceUrl(campaignId, v))}
            />
          }
        >
          <Button icon={<FileZipOutlined />} data-testid="export-evidence">
            {t('campaignExports.evidence')}
          </Button>
        </Popover>
      )}
      {!hideHalfYear && (
        <Button
          icon={<SnippetsOutlined />}
          onClick={() => navigate(`/half-year?campaign=${campaignId}`)}
          data-testid="open-halfyear"
        >
          {t('campaignExports.halfYear')}
        </Button>
      )}
    </Space>
  );
}
