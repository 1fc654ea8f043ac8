import { Checkbox, Flex, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DiffRow, diffJson } from './diff.ts';

const cell = (v: string | undefined, color: string) =>
  v === undefined ? (
    <Typography.Text type="secondary">—</Typography.Text>
  ) : (
    <code style={{ color, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{v}</code>
  );

/** Before/after of one audit entry as a per-field table; unchanged fields are hidden by default. */
export function AuditDiff({ before, after, hash }: { before: unknown; after: unknown; hash: string }) {
  const { t } = useTranslation();
  const [onlyChanged, setOnlyChanged] = useState(true);
  const rows = useMemo(() => diffJson(before, after), [before, after]);
  const shown = onlyChanged ? rows.filter((r) => r.changed) : rows;

  return (
    <div data-testid="audit-diff" style={{ padding: '4px 8px' }}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Checkbox checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)}>
          {t('audit.onlyChanged')}
        </Checkbox>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('audit.hash')}: <code>{hash}</code>
        </Typography.Text>
      </Flex>
      <Table<DiffRow>
        size="small"
        rowKey="path"
        pagination={false}
        dataSource={shown}
        locale={{ emptyText: rows.length ? t('audit.noChanges') : t('audit.noDetails') }}
        rowClassName={(r) => (r.changed ? 'audit-changed' : '')}
        columns={[
          { title: t('audit.field'), dataIndex: 'path', width: 220, render: (p: string) => <code>{p}</code> },
          { title: t('audit.before'), dataIndex: 'before', render: (v?: string) => cell(v, '#a8071a') },
          { title: t('audit.after'), dataIndex: 'after', render: (v?: string) => cell(v, '#237804') },
        ]}
      />
    </div>
  );
}
