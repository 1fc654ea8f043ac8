import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Dropdown, Grid, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrgUnit, ROLES, type UserView } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { buildUnitTree } from '../../shared/orgTree.ts';
import { useSession } from '../../shared/session.tsx';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';
import { UserDrawer } from './users/UserDrawer.tsx';

interface Pii {
  phone: string | null;
  idCard: string | null;
}

interface SearchParams {
  current?: number;
  pageSize?: number;
  keyword?: string;
  unitId?: string;
  role?: string;
}

function isLocked(u: UserView): boolean {
  return !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const canWrite = can('user:write');
  const canPii = can('pii:read');
  const wide = !!Grid.useBreakpoint().xxl;
  const actionRef = useRef<ActionType>(null);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [pii, setPii] = useState<Record<string, Pii>>({});

  useEffect(() => {
    if (!can('org:read')) return;
    api<{ items: OrgUnit[] }>('/org/units')
      .then((r) => setUnits(r.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [can, message, t]);

  const treeData = useMemo(() => buildUnitTree(units), [units]);

  const reload = () => actionRef.current?.reload();

  const showPii = async (u: UserView) => {
    try {
      const r = await api<Pii>(`/users/${u.id}/pii`);
      setPii((m) => ({ ...m, [u.id]: r }));
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const hidePii = (id: string) =>
    setPii((m) => {
      const { [id]: _, ...rest } = m;
      return rest;
    });

  const resetPassword = (u: UserView) => {
    modal.confirm({
      title: t('users.resetConfirm', { name: u.displayName }),
      content: t('users.resetHint'),
      okText: t('users.resetPassword'),
      cancelText: t('common.cancel'),
      okButtonProps: tid('user-reset-ok'),
      onOk: async () => {
        try {
          const r = await api<{ temporaryPassword: string }>(`/users/${u.id}/reset-password`, {
            method: 'POST',
          });
          modal.success({
            title: t('users.tempPasswordTitle'),
            width: 460,
            okText: t('common.done'),
            content: (
              <div>
                <Typography.Paragraph>
                  {t('users.tempPasswordHint', { name: u.displayName })}
                </Typography.Paragraph>
                <Typography.Text
                  code
                  copyable
                  strong
                  style={{ fontSize: 18 }}
                  data-testid="user-temp-password"
                >
                  {r.temporaryPassword}
                </Typography.Text>
              </div>
            ),
          });
          reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  const unlock = async (u: UserView) => {
    try {
      await api<UserView>(`/users/${u.id}/unlock`, { method: 'POST' });
      message.success(t('users.unlocked'));
      reload();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const setStatus = (u: UserView, status: UserView['status']) => {
    modal.confirm({
      title:
        status === 'disabled'
          ? t('users.disableConfirm', { name: u.displayName })
          : t('users.enableConfirm', { name: u.displayName }),
      okText: status === 'disabled' ? t('users.disable') : t('users.enable'),
      okButtonProps: { danger: status === 'disabled', ...tid('user-status-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api<UserView>(`/users/${u.id}`, { method: 'PATCH', body: { status } });
          message.success(t('common.saved'));
          reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  const piiCell = (u: UserView, field: keyof Pii) => {
    const masked = u[field];
    const full = pii[u.id]?.[field];
    if (!masked && !full) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
    return (
      <Space size={4}>
        <span style={{ fontFamily: 'monospace' }} data-testid={`user-${field}-${u.id}`}>
          {full ?? masked}
        </span>
        {canPii && !pii[u.id] && (field === 'phone' || !u.phone) && (
          <Typography.Link onClick={() => void showPii(u)} data-testid={`user-pii-${u.id}`}>
            {t('users.showFull')}
          </Typography.Link>
        )}
        {canPii && pii[u.id] && (field === 'phone' || !u.phone) && (
          <Typography.Link type="secondary" onClick={() => hidePii(u.id)}>
            {t('users.hideFull')}
          </Typography.Link>
        )}
      </Space>
    );
  };

  const columns: ProColumns<UserView>[] = [
    {
      title: t('users.keyword'),
      dataIndex: 'keyword',
      hideInTable: true,
      fieldProps: { placeholder: t('users.keywordPlaceholder'), ...tid('user-search-keyword') },
    },
    { title: t('users.username'), dataIndex: 'username', search: false, width: 120, ellipsis: true },
    { title: t('users.displayName'), dataIndex: 'displayName', search: false, width: 100, ellipsis: true },
    {
      title: t('users.unit'),
      dataIndex: 'unitId',
      valueType: 'treeSelect',
      width: 170,
      ellipsis: true,
      fieldProps: {
        treeData,
        showSearch: true,
        treeNodeFilterProp: 'title',
        treeDefaultExpandAll: true,
        allowClear: true,
        listHeight: 320,
        ...tid('user-search-unit'),
      },
      render: (_, u) => u.unitName ?? '—',
    },
    {
      title: t('users.role'),
      dataIndex: 'role',
      hideInTable: true,
      valueType: 'select',
      fieldProps: {
        options: ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
        ...tid('user-search-role'),
      },
    },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      search: false,
      width: 160,
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.roles.map((r) => (
            <Tag key={r} color={r === 'system_admin' || r === 'office_admin' ? 'red' : 'blue'}>
              {t(`roles.${r}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    ...(wide
      ? [
          {
            title: t('users.phone'),
            dataIndex: 'phone',
            search: false,
            width: 180,
            render: (_: unknown, u: UserView) => piiCell(u, 'phone'),
          },
          {
            title: t('users.idCard'),
            dataIndex: 'idCard',
            search: false,
            width: 240,
            render: (_: unknown, u: UserView) => piiCell(u, 'idCard'),
          },
        ]
      : [
          {
            // narrower screens: phone and ID number share one column
            title: `${t('users.phone')} / ${t('users.idCard')}`,
            dataIndex: 'phone',
            search: false,
            width: 200,
            render: (_: unknown, u: UserView) => (
              <Space direction="vertical" size={0}>
                {piiCell(u, 'phone')}
                {(u.idCard || pii[u.id]?.idCard) && piiCell(u, 'idCard')}
              </Space>
            ),
          },
        ]),
    {
      title: t('users.status'),
      dataIndex: 'status',
      search: false,
      width: 140,
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.status === 'active' ? (
            <Tag color="green">{t('users.statusActive')}</Tag>
          ) : (
            <Tag color="default">{t('users.statusDisabled')}</Tag>
          )}
          {isLocked(u) && (
            <Tag color="orange" title={formatTime(u.lockedUntil)} data-testid={`user-locked-${u.id}`}>
              {t('users.locked')}
            </Tag>
          )}
          {u.mustChangePassword && <Tag>{t('users.mustChange')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('users.lockedUntil'),
      dataIndex: 'lockedUntil',
      search: false,
      width: 160,
      responsive: ['xxl'],
      render: (_, u) => (isLocked(u) ? formatTime(u.lockedUntil) : '—'),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            valueType: 'option' as const,
            key: 'actions',
            fixed: 'right' as const,
            width: 110,
            render: (_: unknown, u: UserView) => [
              <Typography.Link key="edit" onClick={() => setEditing(u)} data-testid={`user-edit-${u.id}`}>
                {t('common.edit')}
              </Typography.Link>,
              <Dropdown
                key="more"
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'reset', label: t('users.resetPassword'), onClick: () => resetPassword(u) },
                    ...(isLocked(u)
                      ? [{ key: 'unlock', label: t('users.unlock'), onClick: () => void unlock(u) }]
                      : []),
                    u.status === 'active'
                      ? {
                          key: 'disable',
                          danger: true,
                          label: t('users.disable'),
                          onClick: () => setStatus(u, 'disabled'),
                        }
                      : { key: 'enable', label: t('users.enable'), onClick: () => setStatus(u, 'active') },
                  ],
                }}
              >
                <Typography.Link data-testid={`user-more-${u.id}`}>{t('common.more')}</Typography.Link>
              </Dropdown>,
            ],
          },
        ]
      : []),
  ];

  return (
    <PageContainer title={t('users.title')}>
      <ProTable<UserView, SearchParams>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        scroll={{ x: 990 }}
        search={{
          labelWidth: 'auto',
          defaultCollapsed: false,
          span: { xs: 24, sm: 12, md: 8, lg: 8, xl: 6, xxl: 6 },
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        dateFormatter="string"
        request={(params) =>
          pagedRequest<UserView>(
            '/users',
            params,
            {
              keyword: params.keyword?.trim(),
              unitId: params.unitId,
              role: params.role,
            },
            (e) => message.error(errorMessage(e, t)),
          )
        }
        toolBarRender={() =>
          canWrite
            ? [
                <Button
                  key="create"
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setEditing('new')}
                  data-testid="user-create"
                >
                  {t('users.create')}
                </Button>,
              ]
            : []
        }
      />
      <UserDrawer
        user={editing}
        treeData={treeData}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
    </PageContainer>
  );
}
