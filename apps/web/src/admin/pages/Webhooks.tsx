import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../packages/contracts/src/index.ts';
import { api, applyFieldErrors } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { buildUnitTree } from '../../shared/orgTree.ts';
import { useSession } from '../../shared/session.tsx';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';

type Channel = 'wecom' | 'dingtalk';

interface Webhook {
  id: string;
  name: string;
  channel: Channel;
  unitId: string | null;
  unitName: string | null;
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Delivery {
  id: string;
  channel: string;
  target: string;
  text: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

interface Values {
  name: string;
  channel: Channel;
  unitId: string;
  url?: string;
  secret?: string;
  enabled: boolean;
}

/** The TreeSelect value standing for "no unit": the office's own group. */
const OFFICE = '__office__';
const FIELDS = ['name', 'channel', 'unitId', 'url', 'secret', 'enabled'];
const STATUS_COLOR: Record<Delivery['status'], string> = {
  pending: 'gold',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
};

/** A masked robot URL in two short lines: where it goes, and the (masked) key. */
function RobotUrl({ url }: { url: string }) {
  let where = url;
  let key = '';
  try {
    const u = new URL(url);
    where = `${u.host}${u.pathname}`;
    key = u.search.slice(1);
  } catch {
    // shown as it is
  }
  return (
    <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {where}
      </Typography.Text>
      {key && (
        <Typography.Text code style={{ fontSize: 12 }}>
          {key}
        </Typography.Text>
      )}
    </Space>
  );
}

function WebhookModal({
  editing,
  units,
  officeAllowed,
  onClose,
  onSaved,
}: {
  editing: Webhook | 'new' | null;
  units: OrgUnit[];
  officeAllowed: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const channel = Form.useWatch('channel', form);
  const isNew = editing === 'new';
  const current = editing === 'new' ? null : editing;

  const treeData = useMemo(() => {
    const tree = buildUnitTree(units);
    return officeAllowed
      ? [{ key: OFFICE, value: OFFICE, title: t('webhooks.officeGroup'), children: [] }, ...tree]
      : tree;
  }, [units, officeAllowed, t]);

  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    form.setFieldsValue(
      editing === 'new'
        ? { channel: 'wecom', enabled: true }
        : {
            name: editing.name,
            channel: editing.channel,
            unitId: editing.unitId ?? OFFICE,
            enabled: editing.enabled,
          },
    );
  }, [editing, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const body: Record<string, unknown> = {
        name: v.name.trim(),
        channel: v.channel,
        unitId: v.unitId === OFFICE ? null : v.unitId,
        enabled: v.enabled,
      };
      if (v.url?.trim()) body.url = v.url.trim();
      if (v.channel === 'dingtalk' && v.secret?.trim()) body.secret = v.secret.trim();
      if (isNew) await api('/notify/webhooks', { method: 'POST', body });
      else if (editing) await api(`/notify/webhooks/${editing.id}`, { method: 'PATCH', body });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, FIELDS)) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!editing}
      title={isNew ? t('webhooks.create') : t('webhooks.edit')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={tid('webhook-save')}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" requiredMark="optional">
        <Form.Item
          name="name"
          label={t('webhooks.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input placeholder={t('webhooks.namePlaceholder')} data-testid="webhook-name" />
        </Form.Item>
        <Form.Item name="channel" label={t('webhooks.channel')} rules={[{ required: true }]}>
          <Radio.Group data-testid="webhook-channel">
            <Radio.Button value="wecom">{t('webhooks.channels.wecom')}</Radio.Button>
            <Radio.Button value="dingtalk">{t('webhooks.channels.dingtalk')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="unitId" label={t('webhooks.unit')} rules={[{ required: true }]}>
          <TreeSelect
            treeData={treeData}
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('webhooks.unitPlaceholder')}
            popupMatchSelectWidth={false}
            data-testid="webhook-unit"
          />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('webhooks.url')}
          extra={
            isNew
              ? channel === 'dingtalk'
                ? 'https://oapi.dingtalk.com/robot/send?access_token=…'
                : 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'
              : t('webhooks.urlKeep', { url: current?.url ?? '' })
          }
          rules={[{ required: isNew, whitespace: true, max: 1000 }]}
        >
          <Input.Password visibilityToggle autoComplete="off" data-testid="webhook-url" />
        </Form.Item>
        {channel === 'dingtalk' && (
          <Form.Item
            name="secret"
            label={t('webhooks.secret')}
            extra={current?.hasSecret ? t('webhooks.secretKeep') : t('webhooks.secretHint')}
            rules={[{ max: 200, pattern: /^\S*$/ }]}
          >
            <Input.Password
              visibilityToggle
              autoComplete="off"
              placeholder="SEC…"
              data-testid="webhook-secret"
            />
          </Form.Item>
        )}
        <Form.Item name="enabled" label={t('webhooks.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RobotsTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { user, can } = useSession();
  const [items, setItems] = useState<Webhook[]>([]);
  const [loading, setLoading] = useState(false);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api<{ items: Webhook[] }>('/notify/webhooks')).items);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
    if (can('org:read')) {
      api<{ items: OrgUnit[] }>('/org/units')
        .then((r) => setUnits(r.items))
        .catch((e) => message.error(errorMessage(e, t)));
    }
  }, [load, can, message, t]);

  const test = async (w: Webhook) => {
    try {
      await api(`/notify/webhooks/${w.id}/test`, { method: 'POST' });
      message.success(t('webhooks.testQueued'));
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const toggle = async (w: Webhook, enabled: boolean) => {
    try {
      await api(`/notify/webhooks/${w.id}`, { method: 'PATCH', body: { enabled } });
      await load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const remove = (w: Webhook) =>
    modal.confirm({
      title: t('webhooks.deleteConfirm', { name: w.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true, ...tid('webhook-delete-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/notify/webhooks/${w.id}`, { method: 'DELETE' });
          message.success(t('common.deleted'));
          await load();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  return (
    <>
      <Table<Webhook>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="webhooks-table"
        title={() => (
          <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
            <Typography.Text type="secondary">{t('webhooks.intro')}</Typography.Text>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="webhook-new"
            >
              {t('webhooks.create')}
            </Button>
          </Space>
        )}
        columns={[
          { title: t('webhooks.name'), dataIndex: 'name', width: 180, ellipsis: true },
          {
            title: t('webhooks.channel'),
            dataIndex: 'channel',
            width: 110,
            render: (c: Channel) => (
              <Tag color={c === 'wecom' ? 'green' : 'blue'}>{t(`webhooks.channels.${c}`)}</Tag>
            ),
          },
          {
            title: t('webhooks.unit'),
            dataIndex: 'unitName',
            width: 180,
            ellipsis: true,
            render: (_, w) => w.unitName ?? <Tag>{t('webhooks.officeGroup')}</Tag>,
          },
          {
            title: t('webhooks.url'),
            dataIndex: 'url',
            render: (_, w) => (
              <Space size={4} wrap>
                <RobotUrl url={w.url} />
                {w.hasSecret && <Tag color="purple">{t('webhooks.signed')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('webhooks.enabled'),
            dataIndex: 'enabled',
            width: 100,
            render: (_, w) => (
              <Switch
                size="small"
                checked={w.enabled}
                onChange={(v) => void toggle(w, v)}
                data-testid={`webhook-enabled-${w.id}`}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            fixed: 'right',
            render: (_, w) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => void test(w)}
                  data-testid={`webhook-test-${w.id}`}
                >
                  {t('webhooks.test')}
                </Button>
                <Button type="link" size="small" onClick={() => setEditing(w)}>
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" danger onClick={() => remove(w)}>
                  {t('common.delete')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <WebhookModal
        editing={editing}
        units={units}
        officeAllowed={user?.dataScope === 'all'}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void load();
        }}
      />
    </>
  );
}

function DeliveriesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(null);
  const columns: ProColumns<Delivery>[] = [
    {
      title: t('deliveries.createdAt'),
      dataIndex: 'createdAt',
      search: false,
      width: 170,
      render: (_, d) => formatTime(d.createdAt),
    },
    {
      title: t('deliveries.channel'),
      dataIndex: 'channel',
      width: 110,
      valueEnum: {
        sms: { text: t('deliveries.channels.sms') },
        wecom: { text: t('webhooks.channels.wecom') },
        dingtalk: { text: t('webhooks.channels.dingtalk') },
      },
      fieldProps: tid('deliveries-search-channel'),
    },
    { title: t('deliveries.target'), dataIndex: 'target', search: false, width: 180, ellipsis: true },
    { title: t('deliveries.text'), dataIndex: 'text', search: false, ellipsis: true },
    {
      title: t('deliveries.status'),
      dataIndex: 'status',
      width: 150,
      valueEnum: {
        pending: { text: t('deliveries.statuses.pending') },
        sending: { text: t('deliveries.statuses.sending') },
        sent: { text: t('deliveries.statuses.sent') },
        failed: { text: t('deliveries.statuses.failed') },
      },
      fieldProps: tid('deliveries-search-status'),
      render: (_, d) => (
        <Space size={4}>
          <Tag color={STATUS_COLOR[d.status]}>{t(`deliveries.statuses.${d.status}`)}</Tag>
          {d.attempts > 1 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              ×{d.attempts}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('deliveries.detail'),
      dataIndex: 'error',
      search: false,
      width: 220,
      ellipsis: true,
      render: (_, d) =>
        d.status === 'sent'
          ? formatTime(d.sentAt)
          : d.error
            ? `${d.error}${d.status === 'pending' && d.nextAttemptAt ? ` · ${t('deliveries.retryAt', { time: formatTime(d.nextAttemptAt) })}` : ''}`
            : '—',
    },
  ];
  return (
    <ProTable<Delivery, { current?: number; pageSize?: number; status?: string; channel?: string }>
      rowKey="id"
      actionRef={actionRef}
      columns={columns}
      scroll={{ x: 1000 }}
      search={{
        labelWidth: 'auto',
        defaultCollapsed: false,
        span: { xs: 24, sm: 12, md: 8, lg: 8, xl: 6, xxl: 6 },
      }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true }}
      options={{ density: false, setting: false, reload: true }}
      request={(params) =>
        pagedRequest<Delivery>(
          '/notify/deliveries',
          params,
          { status: params.status, channel: params.channel },
          (e) => message.error(errorMessage(e, t)),
        )
      }
    />
  );
}

/** Group robots (WeCom/DingTalk) per unit, and the log of SMS and robot messages for operators. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <PageContainer title={t('webhooks.title')} content={t('webhooks.subtitle')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'robots', label: t('webhooks.tabRobots'), children: <RobotsTab /> },
          ...(can('scheduler:read')
            ? [
                {
                  key: 'log',
                  label: <span data-testid="webhooks-tab-log">{t('webhooks.tabLog')}</span>,
                  children: <DeliveriesTab />,
                },
              ]
            : []),
        ]}
      />
    </PageContainer>
  );
}
