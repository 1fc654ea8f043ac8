import { ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Image,
  List,
  Rate,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type BoardFigures,
  type BoardPhoto,
  type CaseBoard,
  durationParts,
  loadCaseBoard,
  pctText,
  scoreText,
} from '../../../shared/caseStats.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { type CaseCategory, categoryOptions, loadCategories } from './model.ts';

function Photos({ label, photos, testId }: { label: string; photos: BoardPhoto[]; testId: string }) {
  if (photos.length === 0) return null;
  return (
    <Space direction="vertical" size={4}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Image.PreviewGroup>
        <Space size={6} wrap data-testid={testId}>
          {photos.map((p) => (
            <Image
              key={p.id}
              src={p.url}
              width={96}
              height={72}
              style={{ objectFit: 'cover', borderRadius: 4 }}
            />
          ))}
        </Space>
      </Image.PreviewGroup>
    </Space>
  );
}

/** 公开看板 as the console sees it: the same public data as the H5 board at /h5/board. */
export function CaseBoardPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [categories, setCategories] = useState<CaseCategory[]>([]);
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [board, setBoard] = useState<CaseBoard | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    loadCategories()
      .then((cs) => setCategories(cs.filter((c) => c.public)))
      .catch(() => setCategories([]));
  }, []);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setBoard(await loadCaseBoard({ categoryId }));
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [categoryId, message, t]);

  useEffect(() => {
    reload();
  }, [reload]);

  const duration = (h: number | null) => {
    const d = durationParts(h);
    return d ? t(`caseStats.${d.unit}`, { n: d.value }) : '—';
  };
  const figureColumns = [
    { title: t('caseBoard.received'), dataIndex: 'received', width: 80, align: 'right' as const },
    { title: t('caseBoard.resolved'), dataIndex: 'resolved', width: 80, align: 'right' as const },
    {
      title: t('caseBoard.resolutionRate'),
      dataIndex: 'resolutionRate',
      width: 90,
      align: 'right' as const,
      render: pctText,
    },
    {
      title: t('caseBoard.satisfaction'),
      dataIndex: 'avgScore',
      width: 112,
      align: 'right' as const,
      render: scoreText,
    },
  ];
  const totals: BoardFigures | undefined = board?.totals;

  return (
    <PageContainer
      title={t('caseBoard.title')}
      subTitle={board ? t('caseBoard.period', board.period) : undefined}
      extra={
        <Space>
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('caseStats.allCategories')}
            value={categoryId}
            onChange={setCategoryId}
            options={categoryOptions(categories)}
            data-testid="case-board-category"
          />
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
            {t('caseBoard.refresh')}
          </Button>
          <Button href="/h5/board" target="_blank">
            {t('caseBoard.openPublic')}
          </Button>
        </Space>
      }
    >
      <Row gutter={12} style={{ marginBottom: 12 }} data-testid="case-board-totals">
        {[
          ['received', totals?.received],
          ['resolved', totals?.resolved],
          ['resolutionRate', totals ? pctText(totals.resolutionRate) : undefined],
          ['avgResolve', totals ? duration(totals.avgResolveHours) : undefined],
          ['satisfaction', totals ? scoreText(totals.avgScore) : undefined],
          ['satisfiedRate', totals ? pctText(totals.satisfiedRate) : undefined],
        ].map(([k, v]) => (
          <Col span={4} key={k as string}>
            <Card size="small" loading={!board}>
              <Statistic title={t(`caseBoard.${k}`)} value={v ?? '—'} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={12}>
          <Card size="small" title={t('caseBoard.byUnit')}>
            <Table
              size="small"
              rowKey="unitId"
              data-testid="case-board-units"
              dataSource={board?.units ?? []}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              columns={[
                { title: t('caseBoard.unit'), dataIndex: 'unitName', ellipsis: true },
                ...figureColumns,
              ]}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('caseBoard.byCategory')}>
            <Table
              size="small"
              rowKey="categoryId"
              data-testid="case-board-categories"
              dataSource={board?.categories ?? []}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              columns={[
                { title: t('caseBoard.category'), dataIndex: 'name', ellipsis: true },
                ...figureColumns,
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('caseBoard.recent')}>
        {board && board.recent.length === 0 ? (
          <Empty description={t('caseBoard.noRecent')} />
        ) : (
          <List
            data-testid="case-board-recent"
            dataSource={board?.recent ?? []}
            renderItem={(c) => (
              <List.Item key={c.id}>
                <Space direction="vertical" size={6} style={{ width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{c.title}</Typography.Text>
                    <Tag>{c.category}</Tag>
                    <Typography.Text type="secondary">{c.no}</Typography.Text>
                    {c.rating !== null && <Rate disabled value={c.rating} style={{ fontSize: 12 }} />}
                  </Space>
                  <Typography.Text type="secondary">
                    {[c.areaName, c.address].filter(Boolean).join(' · ')} · {c.unitName ?? ''} ·{' '}
                    {t('caseBoard.closedAt', { at: formatTime(c.closedAt).slice(0, 16) })}
                  </Typography.Text>
                  {c.answer && <Typography.Paragraph style={{ margin: 0 }}>{c.answer}</Typography.Paragraph>}
                  <Space size={24} align="start">
                    <Photos
                      label={t('caseBoard.before')}
                      photos={c.before}
                      testId={`case-board-before-${c.id}`}
                    />
                    <Photos
                      label={t('caseBoard.after')}
                      photos={c.after}
                      testId={`case-board-after-${c.id}`}
                    />
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </PageContainer>
  );
}
