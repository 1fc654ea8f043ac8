import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { Alert, App, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  unitId: string | null;
  unitName: string | null;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function CreateModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (key: ApiKey & { key: string }) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; unitId?: string }>();
  const [saving, setSaving] = useState(false);
  const tree = useUnitTree(open);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const created = await api<ApiKey & { key: string }>('/api-keys', {
        method: 'POST',
        body: { name: v.name.trim(), unitId: v.unitId ?? null },
      });
      onCreated(created);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'unitId'])) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('apiKeys.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText={t('apiKeys.createOk')}
      okButtonProps={tid('api-key-save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={520}
    >
      <Form form={form} layout="vertical" requiredMark="optional" preserve={false}>
        <Form.Item
          name="name"
          label={t('apiKeys.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
          extra={t('apiKeys.nameHint')}
        >
          <Input maxLength={100} data-testid="api-key-name" placeholder={t('apiKeys.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="unitId" label={t('apiKeys.unit')} extra={t('apiKeys.unitHint')}>
          <UnitTreeSelect treeData={tree} allowClear placeholder={t('apiKeys.unitPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 开放接口密钥: keys other systems use to file cases through Open311; created (shown once) and revoked. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const action = useRef<ActionType>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<(ApiKey & { key: string }) | null>(null);

  const revoke = (k: ApiKey) =>
    modal.confirm({
      title: t('apiKeys.revokeConfirm', { name: k.name }),
      content: t('apiKeys.revokeHint'),
      okText: t('apiKeys.revoke'),
      okButtonProps: { danger: true, ...tid('api-key-revoke-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/api-keys/${k.id}/revoke`, { method: 'POST' });
          message.success(t('apiKeys.revoked'));
          action.current?.reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  const columns: ProColumns<ApiKey>[] = [
    { title: t('apiKeys.name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('apiKeys.prefix'),
      dataIndex: 'prefix',
      width: 150,
      render: (_, k) => <Typography.Text code>{k.prefix}…</Typography.Text>,
    },
    { title: t('apiKeys.unit'), dataIndex: 'unitName', width: 160, render: (_, k) => k.unitName ?? '—' },
    {
      title: t('apiKeys.lastUsed'),
      dataIndex: 'lastUsedAt',
      width: 170,
      render: (_, k) => (k.lastUsedAt ? formatTime(k.lastUsedAt) : t('apiKeys.never')),
    },
    {
      title: t('apiKeys.created'),
      dataIndex: 'createdAt',
      width: 220,
      render: (_, k) => `${formatTime(k.createdAt)}${k.createdByName ? ` · ${k.createdByName}` : ''}`,
    },
    {
      title: t('apiKeys.status'),
      key: 'status',
      width: 100,
      render: (_, k) =>
        k.revokedAt ? (
          <Tag>{t('apiKeys.statusRevoked')}</Tag>
        ) : (
          <Tag color="green">{t('apiKeys.statusActive')}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, k) =>
        k.revokedAt ? null : (
          <Button
            type="link"
            danger
            size="small"
            onClick={() => revoke(k)}
            data-testid={`api-key-revoke-${k.id}`}
          >
            {t('apiKeys.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <PageContainer title={t('apiKeys.title')} content={t('apiKeys.intro')}>
      <ProTable<ApiKey>
        actionRef={action}
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        columns={columns}
        pagination={false}
        toolBarRender={() => [
          <Button
            key="add"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="api-key-create"
          >
            {t('apiKeys.create')}
          </Button>,
        ]}
        request={async () => {
          try {
            const { items } = await api<{ items: ApiKey[] }>('/api-keys');
            return { data: items, success: true, total: items.length };
          } catch (e) {
            message.error(errorMessage(e, t));
            return { data: [], success: false, total: 0 };
          }
        }}
      />
      <CreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(k) => {
          setCreating(false);
          setShown(k);
          action.current?.reload();
        }}
      />
      <Modal
        open={!!shown}
        title={
          <Space>
            <KeyOutlined />
            {t('apiKeys.shownTitle', { name: shown?.name ?? '' })}
          </Space>
        }
        onCancel={() => setShown(null)}
        footer={
          <Button type="primary" onClick={() => setShown(null)} data-testid="api-key-shown-close">
            {t('apiKeys.shownDone')}
          </Button>
        }
        width={620}
        destroyOnHidden
      >
        <Alert type="warning" showIcon message={t('apiKeys.shownOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: shown?.key ?? '' }} code data-testid="api-key-value">
          {shown?.key}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('apiKeys.usage')}</Typography.Paragraph>
      </Modal>
    </PageContainer>
  );
}
