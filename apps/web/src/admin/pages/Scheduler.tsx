import { ReloadOutlined } from '@ant-design/icons';
import { PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Card, Popover, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';

interface Job {
  name: string;
  nextRunAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
}

interface Run {
  id: string;
  job: string;
  owner: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed';
  details: Record<string, unknown>;
  error: string | null;
}

const STATUS_COLOR: Record<string, string> = { ok: 'success', failed: 'error', running: 'processing' };

/** `340 ms`, `2.4 s`; a dash while the run goes on. */
function duration(start: string | null, end: string | null): string {
  if (!start || !end) return '—';
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function StatusTag({ status }: { status: string | null }) {
  const { t } = useTranslation();
  if (!status) return <>—</>;
  return <Tag color={STATUS_COLOR[status]}>{t(`scheduler.status.${status}`, { defaultValue: status })}</Tag>;
}

/** A run's details as one short line; the whole JSON on hover. */
function Details({ details }: { details: Record<string, unknown> }) {
  const keys = Object.keys(details);
  if (!keys.length) return <>—</>;
  const line = keys.map((k) => `${k}: ${JSON.stringify(details[k])}`).join(', ');
  return (
    <Popover
      content={
        <pre style={{ margin: 0, maxWidth: 480, maxHeight: 360, overflow: 'auto' }}>
          {JSON.stringify(details, null, 2)}
        </pre>
      }
    >
      <Typography.Text code ellipsis style={{ maxWidth: 300 }}>
        {line}
      </Typography.Text>
    </Popover>
  );
}

/** 定时任务: the server's periodic jobs (who holds each lease, when each runs next) and the log of their runs. */
export function SchedulerPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [loading, setLoading] = useState(true);

  const loadJobs = useCallback(async () => {
    setLoading(true);
    try {
      setJobs(await api<Job[]>('/scheduler/jobs'));
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);

  const jobName = (name: string) => (
    <Space direction="vertical" size={0}>
      <Typography.Text code>{name}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`scheduler.jobNames.${name}`, { defaultValue: '' })}
      </Typography.Text>
    </Space>
  );

  const runColumns: ProColumns<Run>[] = [
    {
      title: t('scheduler.job'),
      dataIndex: 'job',
      width: 190,
      valueType: 'select',
      valueEnum: Object.fromEntries(jobs.map((j) => [j.name, { text: j.name }])),
      fieldProps: tid('scheduler-filter-job'),
      render: (_, r) => <Typography.Text code>{r.job}</Typography.Text>,
    },
    {
      title: t('scheduler.runStatus'),
      dataIndex: 'status',
      width: 90,
      valueType: 'select',
      valueEnum: Object.fromEntries(
        ['ok', 'failed', 'running'].map((s) => [s, { text: t(`scheduler.status.${s}`) }]),
      ),
      render: (_, r) => <StatusTag status={r.status} />,
    },
    {
      title: t('scheduler.startedAt'),
      dataIndex: 'startedAt',
      width: 170,
      search: false,
      render: (_, r) => formatTime(r.startedAt),
    },
    {
      title: t('scheduler.duration'),
      dataIndex: 'finishedAt',
      width: 90,
      search: false,
      render: (_, r) => duration(r.startedAt, r.finishedAt),
    },
    {
      title: t('scheduler.owner'),
      dataIndex: 'owner',
      width: 170,
      search: false,
      ellipsis: true,
    },
    {
      title: t('scheduler.details'),
      dataIndex: 'details',
      search: false,
      render: (_, r) =>
        r.error ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: r.error }} style={{ maxWidth: 300 }}>
            {r.error}
          </Typography.Text>
        ) : (
          <Details details={r.details} />
        ),
    },
  ];

  return (
    <PageContainer title={t('scheduler.title')} content={t('scheduler.subtitle')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card
          title={t('scheduler.jobs')}
          extra={
            <Button icon={<ReloadOutlined />} onClick={() => void loadJobs()} data-testid="scheduler-reload">
              {t('common.refresh')}
            </Button>
          }
        >
          <Table<Job>
            rowKey="name"
            size="middle"
            loading={loading}
            dataSource={jobs}
            pagination={false}
            scroll={{ x: 1000 }}
            data-testid="scheduler-jobs"
            columns={[
              { title: t('scheduler.job'), dataIndex: 'name', width: 240, render: (_, j) => jobName(j.name) },
              {
                title: t('scheduler.nextRun'),
                dataIndex: 'nextRunAt',
                width: 170,
                render: (_, j) => formatTime(j.nextRunAt),
              },
              {
                title: t('scheduler.lastRun'),
                dataIndex: 'lastStatus',
                width: 240,
                render: (_, j) => (
                  <Space size={6}>
                    <StatusTag status={j.lastStatus} />
                    {j.lastStartedAt && (
                      <Typography.Text type="secondary">
                        {formatTime(j.lastStartedAt).slice(11)}
                      </Typography.Text>
                    )}
                    <Typography.Text type="secondary">
                      {j.lastStartedAt && j.lastFinishedAt ? duration(j.lastStartedAt, j.lastFinishedAt) : ''}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('scheduler.lease'),
                dataIndex: 'leaseOwner',
                render: (_, j) =>
                  j.leaseOwner && j.leaseUntil && Date.parse(j.leaseUntil) > Date.now() ? (
                    <Space direction="vertical" size={0}>
                      <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                        {j.leaseOwner}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('scheduler.leaseUntil', { time: formatTime(j.leaseUntil) })}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('scheduler.noLease')}</Typography.Text>
                  ),
              },
              {
                title: t('scheduler.lastError'),
                dataIndex: 'lastError',
                render: (_, j) =>
                  j.lastError ? (
                    <Typography.Text
                      type="danger"
                      ellipsis={{ tooltip: j.lastError }}
                      style={{ maxWidth: 240 }}
                    >
                      {j.lastError}
                    </Typography.Text>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        </Card>
        <div data-testid="scheduler-runs">
          <ProTable<Run, { job?: string; status?: string; current?: number; pageSize?: number }>
            headerTitle={t('scheduler.runs')}
            rowKey="id"
            columns={runColumns}
            scroll={{ x: 1000 }}
            search={{ labelWidth: 'auto', defaultCollapsed: false }}
            pagination={{ defaultPageSize: 20, showSizeChanger: true }}
            options={{ density: false, setting: false, reload: true }}
            request={(p) =>
              pagedRequest<Run>('/scheduler/runs', p, { job: p.job, status: p.status }, (e) =>
                message.error(errorMessage(e, t)),
              )
            }
          />
        </div>
      </Space>
    </PageContainer>
  );
}
