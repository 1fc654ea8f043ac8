import { CheckOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Card, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { tOr } from '../../shared/i18n.ts';

interface RoleRow {
  role: string;
  permissions: string[];
}

/** Read-only matrix of roles × permissions as the server enforces them. */
export function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<RoleRow[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    api<{ items: RoleRow[] }>('/roles')
      .then((r) => setRows(r.items))
      .catch((e) => message.error(errorMessage(e, t)))
      .finally(() => setLoading(false));
  }, [message, t]);

  const permissions = useMemo(() => {
    const extra = rows
      .flatMap((r) => r.permissions)
      .filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    return [...PERMISSIONS, ...new Set(extra)];
  }, [rows]);

  const columns: ColumnsType<RoleRow> = [
    {
      title: t('rolesPage.role'),
      dataIndex: 'role',
      fixed: 'left',
      width: 180,
      render: (r: string) => (
        <div>
          <div>{tOr(`roles.${r}`, r)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r}
          </Typography.Text>
        </div>
      ),
    },
    ...permissions.map((p) => ({
      title: (
        <Tooltip title={p}>
          <span>{tOr(`permissions.${p}`, p)}</span>
        </Tooltip>
      ),
      key: p,
      align: 'center' as const,
      width: 110,
      render: (_: unknown, row: RoleRow) =>
        row.permissions.includes(p) ? (
          <CheckOutlined
            style={{ color: '#389e0d' }}
            aria-label={t('rolesPage.granted')}
            data-testid={`perm-${row.role}-${p}`}
          />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    })),
  ];

  return (
    <PageContainer title={t('rolesPage.title')} content={t('rolesPage.subtitle')}>
      <Card>
        <Table<RoleRow>
          rowKey="role"
          size="middle"
          bordered
          loading={loading}
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: 180 + permissions.length * 110 }}
          data-testid="roles-matrix"
        />
      </Card>
    </PageContainer>
  );
}
