import { ReconciliationOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

/** The way from a campaign's page to its supervision records (催办 / 督办单 / 约谈 / 通报). */
export function SupervisionLink({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button
      icon={<ReconciliationOutlined />}
      onClick={() => navigate(`/campaign-supervision?campaign=${campaignId}`)}
      data-testid="open-supervision"
    >
      {t('campaignSupervision.open')}
    </Button>
  );
}
