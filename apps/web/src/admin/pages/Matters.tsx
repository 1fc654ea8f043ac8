import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ProColumns, type ProFormInstance, ProTable } from '@ant-design/pro-components';
import { App, Badge, Button, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatDue, formatTime } from '../../shared/format.ts';
import { useSession } from '../../shared/session.tsx';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';
import { AssignDrawer } from './matters/AssignDrawer.tsx';
import { LevelTag, SlaBadge, StateTag } from './matters/MatterTags.tsx';
import {
  isOpen,
  MATTER_STATES,
  type MatterListItem,
  type MatterStats,
  SLA_COLORS,
  SLA_HEX,
  type SlaColor,
} from './matters/model.ts';

interface Query {
  keyword?: string;
  state?: string;
  color?: string;
  overdue?: boolean;
  current?: number;
  pageSize?: number;
}

/** Counts of open matters by color (clicking one filters the table) and of all matters by state. */
function Summary({ stats, onFilter }: { stats: MatterStats | null; onFilter: (f: Partial<Query>) => void }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="matter-summary">
      {SLA_COLORS.map((c: SlaColor) => (
        <Col key={c} xs={8} lg={4}>
          <Card
            size="small"
            hoverable
            onClick={() => onFilter({ color: c })}
            data-testid={`matter-count-${c}`}
            style={{ height: '100%', borderTop: `3px solid ${SLA_HEX[c]}` }}
          >
            <Statistic
              title={t(`matters.color.${c}`)}
              value={stats?.byColor[c] ?? 0}
              valueStyle={{ color: c === 'green' ? undefined : SLA_HEX[c] }}
              loading={!stats}
            />
          </Card>
        </Col>
      ))}
      <Col xs={24} lg={12}>
        <Card
          size="small"
          title={t('matters.byState')}
          style={{ height: '100%' }}
          data-testid="matter-by-state"
        >
          <Row gutter={[8, 4]}>
            {MATTER_STATES.map((s) => (
              <Col key={s} span={8}>
                <Typography.Link
                  onClick={() => onFilter({ state: s })}
                  style={{ display: 'flex', justifyContent: 'space-between', gap: 8, color: 'inherit' }}
                  data-testid={`matter-state-count-${s}`}
                >
                  <Typography.Text ellipsis type="secondary">
                    {t(`matters.state.${s}`)}
                  </Typography.Text>
                  <strong>{stats?.byState[s] ?? 0}</strong>
                </Typography.Link>
              </Col>
            ))}
          </Row>
        </Card>
      </Col>
    </Row>
  );
}

/** 交办事项: the office assigns matters to units and follows their 13710 deadlines; units see theirs. */
export function MattersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const navigate = useNavigate();
  const [drawer, setDrawer] = useState(false);
  const [stats, setStats] = useState<MatterStats | null>(null);
  const formRef = useRef<ProFormInstance>(undefined);

  const loadStats = useCallback(async () => {
    try {
      setStats(await api<MatterStats>('/matters/stats'));
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  }, [message, t]);

  const filter = (f: Partial<Query>) => {
    formRef.current?.resetFields();
    formRef.current?.setFieldsValue(f);
    formRef.current?.submit();
  };

  const columns: ProColumns<MatterListItem>[] = [
    {
      title: t('matters.keyword'),
      dataIndex: 'keyword',
      hideInTable: true,
      fieldProps: { placeholder: t('matters.keywordPlaceholder'), ...tid('matter-search') },
    },
    {
      title: t('matters.field.no'),
      dataIndex: 'no',
      search: false,
      width: 125,
    },
    {
      title: t('matters.field.title'),
      dataIndex: 'title',
      search: false,
      ellipsis: true,
      render: (_, m) => (
        <Space size={6}>
          <LevelTag level={m.level} />
          <Link to={`/matters/${m.id}`} data-testid={`matter-link-${m.id}`}>
            {m.title}
          </Link>
        </Space>
      ),
    },
    {
      title: t('matters.field.assignee'),
      dataIndex: ['assignee', 'name'],
      search: false,
      width: 150,
      ellipsis: true,
    },
    {
      title: t('matters.field.state'),
      dataIndex: 'state',
      width: 150,
      valueType: 'select',
      valueEnum: Object.fromEntries(MATTER_STATES.map((s) => [s, { text: t(`matters.state.${s}`) }])),
      fieldProps: tid('matter-filter-state'),
      render: (_, m) => <StateTag state={m.state} testId={`matter-state-${m.id}`} />,
    },
    {
      title: t('matters.field.color'),
      dataIndex: 'color',
      width: 90,
      valueType: 'select',
      valueEnum: Object.fromEntries(
        SLA_COLORS.map((c) => [c, { text: <Badge color={SLA_HEX[c]} text={t(`matters.color.${c}`)} /> }]),
      ),
      fieldProps: tid('matter-filter-color'),
      render: (_, m) => <SlaBadge color={m.slaColor} state={m.state} testId={`matter-color-${m.id}`} />,
    },
    {
      title: t('matters.field.due'),
      dataIndex: 'dueAt',
      search: false,
      width: 140,
      render: (_, m) => (m.dueAt && isOpen(m.state) ? formatDue(m.dueAt) : '—'),
    },
    {
      title: t('matters.overdueOnly'),
      dataIndex: 'overdue',
      hideInTable: true,
      valueType: 'switch',
      fieldProps: tid('matter-filter-overdue'),
    },
    {
      title: t('matters.field.createdAt'),
      dataIndex: 'createdAt',
      search: false,
      width: 140,
      render: (_, m) => formatTime(m.createdAt).slice(0, 16),
    },
  ];

  return (
    <PageContainer
      title={t('matters.title')}
      content={t('matters.subtitle')}
      extra={
        can('matter:assign')
          ? [
              <Button
                key="assign"
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDrawer(true)}
                data-testid="matter-assign"
              >
                {t('matters.assign')}
              </Button>,
            ]
          : []
      }
    >
      <Summary stats={stats} onFilter={filter} />
      <div data-testid="matter-table">
        <ProTable<MatterListItem, Query>
          rowKey="id"
          formRef={formRef}
          columns={columns}
          scroll={{ x: 1000 }}
          search={{
            labelWidth: 'auto',
            defaultCollapsed: false,
            span: { xs: 24, sm: 12, md: 12, lg: 6, xl: 6, xxl: 6 },
          }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          options={{ density: false, setting: false, reload: true }}
          request={(p) => {
            // the cards follow the table: every load (filter, page, reload) refreshes them
            void loadStats();
            return pagedRequest<MatterListItem>(
              '/matters',
              p,
              {
                keyword: p.keyword?.trim() || undefined,
                state: p.state,
                color: p.color,
                overdue: p.overdue ? 'true' : undefined,
              },
              (e) => message.error(errorMessage(e, t)),
            );
          }}
        />
      </div>
      <AssignDrawer
        open={drawer}
        onClose={() => setDrawer(false)}
        onAssigned={(m) => {
          setDrawer(false);
          navigate(`/matters/${m.id}`);
        }}
      />
    </PageContainer>
  );
}
