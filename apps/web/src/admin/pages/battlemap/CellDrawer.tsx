import { PaperClipOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Collapse, Drawer, Empty, List, Progress, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { type CellDetail, COLOR_HEX, COLOR_INK, reasonSentence } from './model.ts';

const STATE_COLOR: Record<string, string> = {
  submitted: 'processing',
  unit_approved: 'cyan',
  accepted: 'success',
  returned: 'error',
};

/** One cell of the matrix: its instances with their colour and reason, and the reports behind them. */
export function CellDrawer({
  campaignId,
  cell,
  onClose,
}: {
  campaignId: string;
  cell: { activityId: string; unitId: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<CellDetail | null>(null);
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';

  useEffect(() => {
    setDetail(null);
    if (!cell) return;
    api<CellDetail>(`/campaigns/${campaignId}/cells`, { query: cell })
      .then(setDetail)
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaignId, cell, message, t]);

  return (
    <Drawer
      open={!!cell}
      onClose={onClose}
      width={600}
      title={
        detail
          ? `${detail.activity.numeral} ${detail.activity.name} × ${detail.unit.name}`
          : t('battlemap.cell')
      }
      data-testid="bm-drawer"
      destroyOnHidden
    >
      {!detail ? (
        <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : (
        <List
          itemLayout="vertical"
          dataSource={detail.instances}
          data-testid="bm-drawer-instances"
          renderItem={(i) => (
            <List.Item key={i.id} data-testid="bm-instance" style={{ paddingBlock: 10 }}>
              <Space size={6} wrap style={{ marginBottom: 4 }}>
                <span
                  style={{
                    background: COLOR_HEX[i.color],
                    color: COLOR_INK[i.color],
                    borderRadius: 3,
                    padding: '0 6px',
                    fontSize: 12,
                  }}
                >
                  {colorWord(i.color, lang)}
                </span>
                <Typography.Text strong>{i.task}</Typography.Text>
                <Tag>{i.cycle === 'once' ? t('battlemap.once') : i.cycle}</Tag>
                <Tag color={i.role === 'lead' ? 'blue' : 'default'}>{t(`campaigns.role.${i.role}`)}</Tag>
                <Typography.Text type="secondary">
                  {t('battlemap.window', { from: i.startsOn, to: i.dueOn })}
                </Typography.Text>
              </Space>
              <div data-testid="bm-instance-reason">{reasonSentence(i.color, i.reason)}</div>
              <Progress
                percent={i.progress}
                size="small"
                style={{ display: 'block', maxWidth: 360, margin: '2px 0 6px' }}
              />
              {i.reports.length === 0 ? (
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {t('battlemap.noReports')}
                </Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={i.reports}
                  renderItem={(r) => (
                    <List.Item key={r.id} style={{ paddingInline: 0 }}>
                      <Space size={6} wrap>
                        <Tag color={STATE_COLOR[r.state] ?? 'default'}>
                          {t(`battlemap.reportState.${r.state}`)}
                        </Tag>
                        <Link to={`/ledger/${r.id}`} data-testid="bm-report-link">
                          {r.summary.length > 40 ? `${r.summary.slice(0, 40)}…` : r.summary}
                        </Link>
                        <Typography.Text type="secondary">
                          <PaperClipOutlined /> {r.evidence}
                        </Typography.Text>
                        {r.similarFlags > 0 && (
                          <Tag color="warning" icon={<WarningOutlined />}>
                            {t('battlemap.similar', { count: r.similarFlags })}
                          </Tag>
                        )}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatTime(r.reviewedAt ?? r.submittedAt).slice(0, 16)}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              )}
              {i.history.length > 0 && (
                <Collapse
                  size="small"
                  ghost
                  style={{ marginTop: 4 }}
                  data-testid="bm-instance-history"
                  items={[
                    {
                      key: 'history',
                      label: t('battlemap.history', { count: i.history.length }),
                      children: (
                        <Timeline
                          style={{ marginTop: 8, marginBottom: -16 }}
                          items={i.history.map((h) => ({
                            color: COLOR_HEX[h.color],
                            children: (
                              <>
                                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                  {formatTime(h.at).slice(0, 16)} · {t(`battlemap.cause.${h.cause}`)}
                                </Typography.Text>
                                <div>{reasonSentence(h.color, h.reason)}</div>
                              </>
                            ),
                          }))}
                        />
                      ),
                    },
                  ]}
                />
              )}
            </List.Item>
          )}
          locale={{ emptyText: <Empty description={t('battlemap.empty')} /> }}
        />
      )}
    </Drawer>
  );
}
