import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Form, Input, Modal, Radio, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseBan } from '../../../../../../packages/contracts/src/index.ts';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { pagedRequest } from '../../components/pagedRequest.ts';

interface Values {
  kind: 'phone' | 'ip';
  phone?: string;
  ip?: string;
  reason: string;
  /** Days the ban lasts; 0: until lifted. */
  days: number;
}

const DAY = 24 * 3600_000;
/** How long a new ban lasts, in days (0: until lifted), with its label's key. */
const DURATIONS: [number, string][] = [
  [1, 'caseBans.duration1'],
  [7, 'caseBans.duration7'],
  [30, 'caseBans.duration30'],
  [90, 'caseBans.duration90'],
  [0, 'caseBans.untilLifted'],
];
const FIELDS = ['phone', 'ip', 'reason', 'until'];

function BanModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const body: Record<string, unknown> = { reason: v.reason.trim() };
      if (v.kind === 'phone') body.phone = v.phone?.trim();
      else body.ip = v.ip?.trim();
      if (v.days > 0) body.until = new Date(Date.now() + v.days * DAY).toISOString();
      await api('/case-bans', { method: 'POST', body });
      message.success(t('caseBans.added'));
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, FIELDS)) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('caseBans.add')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText={t('caseBans.addOk')}
      okButtonProps={{ danger: true, ...tid('case-ban-save') }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={520}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{ kind: 'phone', days: 30 }}
        preserve={false}
      >
        <Form.Item name="kind" label={t('caseBans.kind')} rules={[{ required: true }]}>
          <Radio.Group data-testid="case-ban-kind">
            <Radio.Button value="phone">{t('caseBans.kindPhone')}</Radio.Button>
            <Radio.Button value="ip">{t('caseBans.kindIp')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {kind === 'ip' ? (
          <Form.Item
            name="ip"
            label={t('caseBans.ip')}
            rules={[{ required: true, whitespace: true, max: 45 }]}
            extra={t('caseBans.ipHint')}
          >
            <Input placeholder="203.0.113.7" autoComplete="off" data-testid="case-ban-ip" />
          </Form.Item>
        ) : (
          <Form.Item
            name="phone"
            label={t('caseBans.phone')}
            rules={[{ required: true, whitespace: true, max: 20 }]}
            extra={t('caseBans.phoneHint')}
          >
            <Input
              placeholder="13800138000"
              autoComplete="off"
              inputMode="tel"
              data-testid="case-ban-phone"
            />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('caseBans.reason')}
          rules={[{ required: true, whitespace: true, max: 500 }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('caseBans.reasonPlaceholder')}
            data-testid="case-ban-reason"
          />
        </Form.Item>
        <Form.Item name="days" label={t('caseBans.duration')} rules={[{ required: true }]}>
          <Select
            data-testid="case-ban-duration"
            options={DURATIONS.map(([days, label]) => ({ value: days, label: t(label) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 禁止名单: phones and addresses refused at case intake; add, lift (case:moderate). */
export function CaseBansPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const action = useRef<ActionType>(null);
  const [adding, setAdding] = useState(false);
  const [show, setShow] = useState<'active' | 'all'>('active');

  const lift = (b: CaseBan) =>
    modal.confirm({
      title: t('caseBans.liftConfirm', { target: b.phoneMasked ?? b.ip ?? '' }),
      okText: t('caseBans.lift'),
      okButtonProps: tid('case-ban-lift-ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/case-bans/${b.id}/lift`, { method: 'POST' });
          message.success(t('caseBans.lifted'));
          action.current?.reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  const status = (b: CaseBan) =>
    b.active ? (
      <Tag color="red">{t('caseBans.statusActive')}</Tag>
    ) : b.liftedAt ? (
      <Tag>{t('caseBans.statusLifted')}</Tag>
    ) : (
      <Tag color="default">{t('caseBans.statusExpired')}</Tag>
    );

  const columns: ProColumns<CaseBan>[] = [
    {
      title: t('caseBans.target'),
      key: 'target',
      width: 200,
      render: (_, b) => (
        <Space size={4}>
          <Tag color={b.phoneMasked ? 'blue' : 'purple'}>
            {b.phoneMasked ? t('caseBans.kindPhone') : t('caseBans.kindIp')}
          </Tag>
          <Typography.Text code>{b.phoneMasked ?? b.ip}</Typography.Text>
        </Space>
      ),
    },
    { title: t('caseBans.reason'), dataIndex: 'reason', ellipsis: true },
    {
      title: t('caseBans.until'),
      key: 'until',
      width: 180,
      render: (_, b) => (b.until ? formatTime(b.until) : t('caseBans.untilLifted')),
    },
    { title: t('caseBans.status'), key: 'status', width: 100, render: (_, b) => status(b) },
    {
      title: t('caseBans.createdBy'),
      key: 'createdBy',
      width: 130,
      render: (_, b) => b.createdBy?.name ?? '—',
    },
    {
      title: t('caseBans.createdAt'),
      dataIndex: 'createdAt',
      width: 180,
      render: (_, b) => formatTime(b.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_, b) =>
        b.active ? (
          <Button size="small" onClick={() => lift(b)} data-testid={`case-ban-lift-${b.id}`}>
            {t('caseBans.lift')}
          </Button>
        ) : null,
    },
  ];

  return (
    <PageContainer title={t('caseBans.title')} subTitle={t('caseBans.intro')}>
      <ProTable<CaseBan>
        rowKey="id"
        actionRef={action}
        columns={columns}
        search={false}
        options={{ reload: true, density: false, setting: false }}
        params={{ show }}
        request={(params) =>
          pagedRequest<CaseBan>(
            '/case-bans',
            params,
            { active: show === 'active' ? 'true' : undefined },
            (e) => message.error(errorMessage(e, t)),
          )
        }
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        scroll={{ x: 1000 }}
        data-testid="case-bans-table"
        headerTitle={
          <Segmented
            value={show}
            onChange={(v) => setShow(v as 'active' | 'all')}
            options={[
              { value: 'active', label: t('caseBans.filterActive') },
              { value: 'all', label: t('caseBans.filterAll') },
            ]}
            data-testid="case-bans-filter"
          />
        }
        toolBarRender={() => [
          <Button
            key="add"
            type="primary"
            danger
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="case-ban-new"
          >
            {t('caseBans.add')}
          </Button>,
        ]}
        locale={{
          emptyText: (
            <Space>
              <StopOutlined />
              {t('caseBans.empty')}
            </Space>
          ),
        }}
      />
      <BanModal
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          action.current?.reload();
        }}
      />
    </PageContainer>
  );
}
