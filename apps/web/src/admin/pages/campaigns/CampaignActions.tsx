import { CopyOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { tid } from '../../../shared/testid.ts';
import type { CampaignDetail } from './model.ts';

interface CopyForm {
  year: number;
  name: string;
}

/** 启用 / 关闭 / 复制到新年度, each after a confirmation. */
export function CampaignActions({
  campaign,
  onChanged,
}: {
  campaign: CampaignDetail;
  onChanged: (c: CampaignDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [copying, setCopying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CopyForm>();

  const run = async (path: 'activate' | 'close') => {
    setBusy(true);
    try {
      const c = await api<CampaignDetail & { created?: { tasks: number; instances: number } }>(
        `/campaigns/${campaign.id}/${path}`,
        { method: 'POST', body: {} },
      );
      message.success(
        c.created ? t('campaigns.actions.activated', c.created) : t('campaigns.actions.closed'),
      );
      onChanged(c);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const c = await api<CampaignDetail>(`/campaigns/${campaign.id}/copy`, { method: 'POST', body: v });
      message.success(t('campaigns.actions.copied', { year: c.year }));
      setCopying(false);
      navigate(`/campaigns/${c.id}`);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['year', 'name'])) message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space wrap>
      {campaign.status === 'draft' && (
        <Popconfirm
          title={t('campaigns.actions.activateConfirm')}
          description={t('campaigns.actions.activateHint')}
          onConfirm={() => run('activate')}
          okButtonProps={tid('campaign-activate-ok')}
        >
          <Button type="primary" icon={<PlayCircleOutlined />} loading={busy} data-testid="campaign-activate">
            {t('campaigns.actions.activate')}
          </Button>
        </Popconfirm>
      )}
      {campaign.status === 'active' && (
        <Popconfirm
          title={t('campaigns.actions.closeConfirm')}
          description={t('campaigns.actions.closeHint')}
          onConfirm={() => run('close')}
          okButtonProps={{ danger: true, ...tid('campaign-close-ok') }}
        >
          <Button danger icon={<StopOutlined />} loading={busy} data-testid="campaign-close">
            {t('campaigns.actions.close')}
          </Button>
        </Popconfirm>
      )}
      <Button
        icon={<CopyOutlined />}
        onClick={() => {
          form.setFieldsValue({ year: campaign.year + 1, name: campaign.name });
          setCopying(true);
        }}
        data-testid="campaign-copy"
      >
        {t('campaigns.actions.copy')}
      </Button>
      <Modal
        open={copying}
        title={t('campaigns.actions.copy')}
        onCancel={() => setCopying(false)}
        onOk={() => void copy().catch(() => undefined)}
        confirmLoading={busy}
        okButtonProps={tid('campaign-copy-ok')}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="year"
            label={t('campaigns.field.year')}
            rules={[{ required: true }]}
            extra={t('campaigns.actions.copyHint')}
          >
            <InputNumber min={2000} max={2100} precision={0} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('campaigns.field.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
