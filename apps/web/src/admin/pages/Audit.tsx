import { SafetyCertificateOutlined } from '@ant-design/icons';
import { PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Descriptions, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { tOr } from '../../shared/i18n.ts';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';
import { AuditDiff } from './audit/AuditDiff.tsx';

interface VerifyReply {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  reason: string | null;
}

interface SearchParams {
  current?: number;
  pageSize?: number;
  actor?: string;
  action?: string;
  entity?: string;
  from?: string;
  to?: string;
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai → ISO instant. */
function shanghaiToIso(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(`${s.replace(' ', 'T')}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [verifying, setVerifying] = useState(false);

  const verify = async () => {
    setVerifying(true);
    try {
      const r = await api<VerifyReply>('/audit/verify');
      modal.info({
        icon: null,
        width: 520,
        okText: t('common.close'),
        content: (
          <div data-testid="audit-verify-result" data-ok={r.ok}>
            <Result
              status={r.ok ? 'success' : 'error'}
              title={r.ok ? t('audit.verifyOk') : t('audit.verifyBad')}
              subTitle={t('audit.verifyChecked', { count: r.checked })}
              style={{ padding: '16px 0' }}
            />
            {!r.ok && (
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('audit.firstBadSeq')}>{r.firstBadSeq ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('audit.reason')}>{r.reason ?? '—'}</Descriptions.Item>
              </Descriptions>
            )}
          </div>
        ),
      });
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setVerifying(false);
    }
  };

  const columns: ProColumns<AuditEntry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', search: false, width: 70 },
    {
      title: t('audit.at'),
      dataIndex: 'at',
      search: false,
      width: 170,
      render: (_, e) => formatTime(e.at),
    },
    {
      title: t('audit.range'),
      dataIndex: 'range',
      valueType: 'dateTimeRange',
      hideInTable: true,
      fieldProps: tid('audit-search-range'),
      search: {
        transform: (v: [string, string]) => ({ from: shanghaiToIso(v[0]), to: shanghaiToIso(v[1]) }),
      },
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actor',
      width: 120,
      ellipsis: true,
      fieldProps: { placeholder: t('audit.actorPlaceholder'), ...tid('audit-search-actor') },
      render: (_, e) => e.actorName ?? e.actorId ?? t('audit.system'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 160,
      fieldProps: { placeholder: 'user.create', ...tid('audit-search-action') },
      render: (_, e) => (
        <span title={e.action}>{tOr(`auditActions.${e.action.replace(/\./g, '_')}`, e.action)}</span>
      ),
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      width: 110,
      fieldProps: { placeholder: 'user', ...tid('audit-search-entity') },
      render: (_, e) => tOr(`auditEntities.${e.entity}`, e.entity),
    },
    {
      title: t('audit.entityId'),
      dataIndex: 'entityId',
      search: false,
      ellipsis: true,
      width: 170,
      render: (_, e) => (e.entityId ? <Typography.Text code>{e.entityId}</Typography.Text> : '—'),
    },
    { title: t('audit.ip'), dataIndex: 'ip', search: false, width: 120, responsive: ['xl'] },
  ];

  return (
    <PageContainer title={t('audit.title')} content={t('audit.subtitle')}>
      <ProTable<AuditEntry, SearchParams>
        rowKey="seq"
        columns={columns}
        scroll={{ x: 920 }}
        search={{
          labelWidth: 'auto',
          defaultCollapsed: false,
          span: { xs: 24, sm: 12, md: 8, lg: 8, xl: 8, xxl: 6 },
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        dateFormatter="string"
        expandable={{
          expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} hash={e.hash} />,
        }}
        request={(params) =>
          pagedRequest<AuditEntry>(
            '/audit',
            params,
            {
              actor: params.actor?.trim(),
              action: params.action?.trim(),
              entity: params.entity?.trim(),
              from: params.from,
              to: params.to,
            },
            (e) => message.error(errorMessage(e, t)),
          )
        }
        toolBarRender={() => [
          <Button
            key="verify"
            icon={<SafetyCertificateOutlined />}
            loading={verifying}
            onClick={() => void verify()}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </Button>,
        ]}
      />
    </PageContainer>
  );
}
