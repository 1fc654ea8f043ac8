import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Empty, Input, List, Row, Space, Spin, Tabs, Tree, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { buildUnitTree, type UnitTreeNode, unitPath } from '../../shared/orgTree.ts';
import { useSession } from '../../shared/session.tsx';
import { GroupsTab } from './org/GroupsTab.tsx';
import { ImportModal } from './org/ImportModal.tsx';
import { MoveModal } from './org/MoveModal.tsx';
import { UnitDetail } from './org/UnitDetail.tsx';
import { UnitFormModal, type UnitFormMode } from './org/UnitFormModal.tsx';

/** Keys of the first `depth` levels, expanded by default. */
function topKeys(nodes: UnitTreeNode[], depth: number): string[] {
  if (depth <= 0) return [];
  return nodes.flatMap((n) => (n.children.length ? [n.key, ...topKeys(n.children, depth - 1)] : []));
}

export function OrgPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const canWrite = can('org:write');
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [search, setSearch] = useState('');
  const [formMode, setFormMode] = useState<UnitFormMode | null>(null);
  const [moving, setMoving] = useState<OrgUnit | null>(null);
  const [importing, setImporting] = useState(false);
  const [tab, setTab] = useState('units');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api<{ items: OrgUnit[] }>('/org/units');
      setUnits(r.items);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const tree = useMemo(() => buildUnitTree(units), [units]);
  const selected = useMemo(() => units.find((u) => u.id === selectedId) ?? null, [units, selectedId]);
  const expandedKeys = expanded ?? topKeys(tree, 2);

  useEffect(() => {
    if (!selectedId && tree.length) setSelectedId(tree[0].key);
  }, [tree, selectedId]);

  const matches = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return [];
    return units
      .filter(
        (u) =>
          u.name.toLowerCase().includes(q) ||
          (u.shortName ?? '').toLowerCase().includes(q) ||
          u.aliases.some((a) => a.toLowerCase().includes(q)) ||
          (u.regionCode ?? '').includes(q),
      )
      .slice(0, 50);
  }, [search, units]);

  /** Select a unit and make sure its ancestors are expanded. */
  const reveal = (id: string, parentId?: string | null) => {
    const byId = new Map(units.map((u) => [u.id, u]));
    const chain: string[] = [];
    let p = (parentId === undefined ? byId.get(id)?.parentId : parentId) ?? null;
    while (p && !chain.includes(p)) {
      chain.push(p);
      p = byId.get(p)?.parentId ?? null;
    }
    setExpanded([...new Set([...expandedKeys, ...chain])]);
    setSelectedId(id);
  };

  const upsert = (u: OrgUnit) => {
    setUnits((list) =>
      list.some((x) => x.id === u.id) ? list.map((x) => (x.id === u.id ? u : x)) : [...list, u],
    );
  };

  const treeCard = (
    <Card
      title={t('org.tree')}
      styles={{ body: { padding: 12 } }}
      extra={
        <Button
          type="text"
          size="small"
          icon={<ReloadOutlined />}
          onClick={() => void load()}
          title={t('common.refresh')}
          aria-label={t('common.refresh')}
        />
      }
    >
      <Input.Search
        allowClear
        placeholder={t('org.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        style={{ marginBottom: 8 }}
        data-testid="org-search"
      />
      {loading ? (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <Spin />
        </div>
      ) : search.trim() ? (
        <List
          size="small"
          dataSource={matches}
          locale={{ emptyText: t('org.noMatch') }}
          renderItem={(u) => (
            <List.Item
              style={{ cursor: 'pointer', background: u.id === selectedId ? '#fff1f0' : undefined }}
              onClick={() => {
                reveal(u.id);
                setSearch('');
              }}
            >
              <List.Item.Meta
                title={u.name}
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {unitPath(units, u.id).join(' / ')}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      ) : tree.length === 0 ? (
        <Empty description={t('org.empty')}>
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setFormMode({ kind: 'create', parent: null })}
              data-testid="org-add-root"
            >
              {t('org.addRoot')}
            </Button>
          )}
        </Empty>
      ) : (
        <div
          style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 240, overflow: 'auto' }}
          data-testid="org-tree"
        >
          <Tree
            showLine
            blockNode
            treeData={tree}
            expandedKeys={expandedKeys}
            onExpand={(keys) => setExpanded(keys.map(String))}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => {
              if (keys.length) setSelectedId(String(keys[0]));
            }}
            titleRender={(n) => <span data-testid={`org-node-${n.key}`}>{n.title}</span>}
          />
        </div>
      )}
    </Card>
  );

  return (
    <PageContainer
      title={t('org.title')}
      extra={
        canWrite && (
          <Space>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="org-import">
              {t('org.import.button')}
            </Button>
          </Space>
        )
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'units',
            label: <span data-testid="org-tab-units">{t('org.tabUnits')}</span>,
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={24} lg={9} xl={8}>
                  {treeCard}
                </Col>
                <Col xs={24} lg={15} xl={16}>
                  <UnitDetail
                    unit={selected}
                    units={units}
                    canWrite={canWrite}
                    onEdit={(u) => setFormMode({ kind: 'edit', unit: u })}
                    onAddChild={(u) => setFormMode({ kind: 'create', parent: u })}
                    onMove={setMoving}
                    onChanged={upsert}
                    onDeleted={(u) => {
                      setUnits((list) => list.filter((x) => x.id !== u.id));
                      setSelectedId(u.parentId);
                    }}
                  />
                </Col>
              </Row>
            ),
          },
          {
            key: 'groups',
            label: <span data-testid="org-tab-groups">{t('org.tabGroups')}</span>,
            children: <GroupsTab units={units} canWrite={canWrite} />,
          },
        ]}
      />
      <UnitFormModal
        mode={formMode}
        onClose={() => setFormMode(null)}
        onSaved={(u) => {
          upsert(u);
          setFormMode(null);
          reveal(u.id, u.parentId);
        }}
      />
      <MoveModal
        unit={moving}
        units={units}
        onClose={() => setMoving(null)}
        onMoved={(u) => {
          upsert(u);
          setMoving(null);
          reveal(u.id, u.parentId);
        }}
      />
      <ImportModal open={importing} onClose={() => setImporting(false)} onImported={() => void load()} />
    </PageContainer>
  );
}
