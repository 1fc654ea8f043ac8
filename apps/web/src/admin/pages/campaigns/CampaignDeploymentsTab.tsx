import { SendOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Progress, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { EvidenceUpload } from '../../components/EvidenceUpload.tsx';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import type { CampaignDetail, DeploymentView } from './model.ts';

interface DeployForm {
  title: string;
  body: string;
  ackDueAt?: Dayjs | null;
  unitIds?: string[];
  fileIds?: string[];
}
const DEPLOY_FIELDS = ['title', 'body', 'ackDueAt', 'unitIds', 'fileIds'] as const;

/** 部署: notices to the campaign's units with required acknowledgement (签收); receipts on the notice's page. */
export function CampaignDeploymentsTab({
  campaign,
  canWrite,
}: {
  campaign: CampaignDetail;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [items, setItems] = useState<DeploymentView[] | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DeployForm>();
  const tree = useUnitTree(open);
  const unitCount = new Set(
    campaign.sections.flatMap((s) => s.activities.flatMap((a) => a.units.map((u) => u.unitId))),
  ).size;

  const load = useCallback(() => {
    api<{ items: DeploymentView[] }>(`/campaigns/${campaign.id}/deployments`)
      .then((r) => setItems(r.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaign.id, message, t]);
  useEffect(load, [load]);

  const send = async (v: DeployForm) => {
    const r = await api<{ recipients: number }>(`/campaigns/${campaign.id}/deployments`, {
      method: 'POST',
      body: {
        title: v.title,
        body: v.body,
        ackDueAt: v.ackDueAt ? v.ackDueAt.toISOString() : null,
        ...(v.unitIds?.length ? { unitIds: v.unitIds } : {}),
        fileIds: v.fileIds ?? [],
      },
    });
    message.success(t('notices.sent', { count: r.recipients }));
    setOpen(false);
    load();
  };

  return (
    <div data-testid="campaign-deployments">
      <Space style={{ marginBottom: 12 }} align="center">
        {canWrite && campaign.status !== 'closed' && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => {
              form.resetFields();
              setOpen(true);
            }}
            data-testid="deployment-new"
          >
            {t('campaigns.deploy.new')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('campaigns.deploy.hint')}</Typography.Text>
        <Link to="/notices?box=overdue" data-testid="deployment-overdue-link">
          {t('campaigns.deploy.overdueLink')}
        </Link>
      </Space>
      <Table<DeploymentView>
        size="small"
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        data-testid="deployment-table"
        columns={[
          {
            title: t('notices.title'),
            dataIndex: 'title',
            ellipsis: true,
            render: (v: string, d) => (
              <Link to={`/notices/${d.id}`} data-testid="deployment-link">
                {v}
              </Link>
            ),
          },
          { title: t('notices.sender'), dataIndex: 'senderName', width: 110, render: (v) => v ?? '—' },
          {
            title: t('notices.sentAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => formatTime(v).slice(0, 16),
          },
          {
            title: t('notices.ackDue'),
            dataIndex: 'ackDueAt',
            width: 150,
            render: (v: string | null) => (v ? formatTime(v).slice(0, 16) : '—'),
          },
          {
            title: t('notices.progress'),
            key: 'counts',
            width: 260,
            render: (_, d) =>
              d.counts ? (
                <Space
                  direction="vertical"
                  size={0}
                  style={{ width: '100%' }}
                  data-testid="deployment-counts"
                >
                  <Progress
                    percent={d.counts.total ? Math.round((100 * d.counts.acked) / d.counts.total) : 0}
                    size="small"
                    format={() => t('notices.ackedOf', { done: d.counts?.acked, total: d.counts?.total })}
                  />
                  <Space size={4}>
                    <Typography.Text type="secondary">
                      {t('notices.readOf', { done: d.counts.read, total: d.counts.total })}
                    </Typography.Text>
                    {d.counts.overdue > 0 && (
                      <Tag color="red">{t('notices.overdueUnits', { count: d.counts.overdue })}</Tag>
                    )}
                  </Space>
                </Space>
              ) : (
                <Link to={`/notices/${d.id}`}>{t('notices.myState')}</Link>
              ),
          },
        ]}
      />
      <FormDrawer<DeployForm>
        open={open}
        title={t('campaigns.deploy.new')}
        width={640}
        form={form}
        fields={DEPLOY_FIELDS}
        submitText={t('notices.send')}
        submitTestId="deployment-send"
        onClose={() => setOpen(false)}
        onSubmit={send}
      >
        <Form form={form} layout="vertical" data-testid="deployment-form">
          <Form.Item
            name="title"
            label={t('notices.title')}
            rules={[{ required: true, whitespace: true, message: t('notices.titleRequired') }]}
          >
            <Input maxLength={200} data-testid="deployment-title" />
          </Form.Item>
          <Form.Item
            name="body"
            label={t('notices.body')}
            rules={[{ required: true, whitespace: true, message: t('notices.bodyRequired') }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 5, maxRows: 14 }}
              maxLength={20000}
              data-testid="deployment-body"
            />
          </Form.Item>
          <Form.Item
            name="unitIds"
            label={t('notices.recipientUnits')}
            extra={t('campaigns.deploy.unitsHint', { count: unitCount })}
          >
            <UnitTreeSelect treeData={tree} multiple placeholder={t('campaigns.deploy.allUnits')} />
          </Form.Item>
          <Form.Item name="ackDueAt" label={t('notices.ackDue')} extra={t('notices.ackDueHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="fileIds" label={t('notices.attachments')}>
            <EvidenceUpload />
          </Form.Item>
        </Form>
      </FormDrawer>
    </div>
  );
}
