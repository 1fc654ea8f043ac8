import { App, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { Page } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';

interface CampaignOption {
  id: string;
  name: string;
  year: number;
  status: string;
}

/**
 * The campaign the page shows, from `?campaign=`; without one, the newest active campaign (else the newest)
 * is put in the URL. `null` while loading or when there is no campaign at all (`none`).
 */
export function useCampaign(): {
  campaignId: string | null;
  campaigns: CampaignOption[];
  none: boolean;
  setCampaign: (id: string) => void;
} {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [campaigns, setCampaigns] = useState<CampaignOption[]>([]);
  const [loaded, setLoaded] = useState(false);
  const campaignId = params.get('campaign');

  useEffect(() => {
    api<Page<CampaignOption>>('/campaigns', { query: { pageSize: 200 } })
      .then((p) => {
        setCampaigns(p.items);
        setLoaded(true);
      })
      .catch((e) => {
        setLoaded(true);
        message.error(errorMessage(e, t));
      });
  }, [message, t]);

  useEffect(() => {
    if (campaignId || campaigns.length === 0) return;
    const pick = campaigns.find((c) => c.status === 'active') ?? campaigns[0];
    setParams(
      (p) => {
        p.set('campaign', pick.id);
        return p;
      },
      { replace: true },
    );
  }, [campaignId, campaigns, setParams]);

  return {
    campaignId,
    campaigns,
    none: loaded && campaigns.length === 0,
    // Another campaign has other phases and sections: its filters start afresh.
    setCampaign: (id) => setParams({ campaign: id }),
  };
}

export function CampaignPicker({
  campaignId,
  campaigns,
  onChange,
}: {
  campaignId: string | null;
  campaigns: CampaignOption[];
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      data-testid="bm-campaign"
      style={{ width: 300 }}
      value={campaignId ?? undefined}
      placeholder={t('battlemap.pickCampaign')}
      onChange={onChange}
      options={campaigns.map((c) => ({
        value: c.id,
        label: `${c.year} · ${c.name}${c.status === 'active' ? '' : `（${t(`campaigns.status.${c.status}`)}）`}`,
      }))}
    />
  );
}
