import { ImportOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Tag } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { useSession } from '../../shared/session.tsx';
import { pagedRequest } from '../components/pagedRequest.ts';
import { type CampaignListItem, STATUS_COLOR } from './campaigns/model.ts';

/** 创建活动: campaigns saved from official plans; the office imports new ones. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const navigate = useNavigate();
  const action = useRef<ActionType>(undefined);
  const canWrite = can('campaign:write');

  const remove = async (c: CampaignListItem) => {
    try {
      await api(`/campaigns/${c.id}`, { method: 'DELETE' });
      message.success(t('campaigns.deleted'));
      action.current?.reload();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const columns: ProColumns<CampaignListItem>[] = [
    {
      title: t('campaigns.field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (_, c) => (
        <Link to={`/campaigns/${c.id}`} data-testid={`campaign-link-${c.id}`}>
          {c.name}
        </Link>
      ),
    },
    { title: t('campaigns.field.year'), dataIndex: 'year', width: 80 },
    { title: t('campaigns.field.docNo'), dataIndex: 'docNo', width: 200, ellipsis: true },
    {
      title: t('campaigns.settings.window'),
      key: 'window',
      width: 200,
      render: (_, c) => (c.startsOn && c.endsOn ? `${c.startsOn} ~ ${c.endsOn}` : '—'),
    },
    { title: t('campaigns.field.activities'), dataIndex: 'activities', width: 100 },
    {
      title: t('campaigns.field.status'),
      dataIndex: 'status',
      width: 100,
      render: (_, c) => <Tag color={STATUS_COLOR[c.status]}>{t(`campaigns.status.${c.status}`)}</Tag>,
    },
    {
      title: t('campaigns.field.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (_, c) => formatTime(c.createdAt).slice(0, 16),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, c: CampaignListItem) =>
              c.status === 'draft' ? (
                <Popconfirm
                  title={t('campaigns.deleteConfirm', { name: c.name })}
                  onConfirm={() => remove(c)}
                >
                  <Button type="link" danger size="small" data-testid={`campaign-delete-${c.id}`}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={t('campaigns.title')}
      content={t('campaigns.subtitle')}
      extra={
        canWrite
          ? [
              <Button
                key="import"
                type="primary"
                icon={<ImportOutlined />}
                onClick={() => navigate('/campaigns/import')}
                data-testid="campaign-import"
              >
                {t('campaigns.import.title')}
              </Button>,
            ]
          : []
      }
    >
      <div data-testid="campaign-table">
        <ProTable<CampaignListItem>
          rowKey="id"
          actionRef={action}
          columns={columns}
          search={false}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          options={{ density: false, setting: false, reload: true }}
          request={(p) =>
            pagedRequest<CampaignListItem>('/campaigns', p, {}, (e) => message.error(errorMessage(e, t)))
          }
        />
      </div>
    </PageContainer>
  );
}
