import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Empty, Flex, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { unitPath } from '../../../shared/orgTree.ts';
import { tid } from '../../../shared/testid.ts';

export function UnitDetail({
  unit,
  units,
  canWrite,
  onEdit,
  onAddChild,
  onMove,
  onChanged,
  onDeleted,
}: {
  unit: OrgUnit | null;
  units: OrgUnit[];
  canWrite: boolean;
  onEdit: (u: OrgUnit) => void;
  onAddChild: (u: OrgUnit) => void;
  onMove: (u: OrgUnit) => void;
  onChanged: (u: OrgUnit) => void;
  onDeleted: (u: OrgUnit) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [alias, setAlias] = useState('');
  const [busy, setBusy] = useState(false);

  if (!unit) {
    return (
      <Card>
        <Empty description={t('org.selectHint')} />
      </Card>
    );
  }

  // A parent outside the caller's data scope is not in the loaded list: say so rather than show nothing.
  const parentPath = unit.parentId
    ? unitPath(units, unit.parentId).join(' / ') || t('org.parentOutsideScope')
    : t('org.noParent');
  const childCount = units.filter((u) => u.parentId === unit.id).length;

  const addAlias = async () => {
    const a = alias.trim();
    if (!a) return;
    if (unit.aliases.includes(a) || a === unit.name) {
      message.warning(t('org.aliasExists'));
      return;
    }
    setBusy(true);
    try {
      const u = await api<OrgUnit>(`/org/units/${unit.id}/aliases`, { method: 'POST', body: { alias: a } });
      setAlias('');
      onChanged(u);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const removeAlias = async (a: string) => {
    try {
      const u = await api<OrgUnit>(`/org/units/${unit.id}/aliases/${encodeURIComponent(a)}`, {
        method: 'DELETE',
      });
      onChanged(u);
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const remove = () => {
    modal.confirm({
      title: t('org.deleteConfirm', { name: unit.name }),
      content: t('org.deleteHint'),
      okText: t('common.delete'),
      okButtonProps: { danger: true, ...tid('org-delete-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/org/units/${unit.id}`, { method: 'DELETE' });
          message.success(t('common.deleted'));
          onDeleted(unit);
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  return (
    <Card
      title={
        <Space wrap>
          <span data-testid="org-detail-name">{unit.name}</span>
          <Tag color="blue">{t(`orgTypes.${unit.type}`)}</Tag>
        </Space>
      }
      extra={
        canWrite && (
          <Space wrap size={[8, 8]}>
            <Button icon={<EditOutlined />} onClick={() => onEdit(unit)} data-testid="org-edit">
              {t('common.edit')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => onAddChild(unit)}
              data-testid="org-add-child"
            >
              {t('org.addChild')}
            </Button>
            <Button icon={<DragOutlined />} onClick={() => onMove(unit)} data-testid="org-move">
              {t('org.move')}
            </Button>
            <Button danger icon={<DeleteOutlined />} onClick={remove} data-testid="org-delete">
              {t('common.delete')}
            </Button>
          </Space>
        )
      }
      data-testid="org-detail"
    >
      <Descriptions
        column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 3 }}
        size="small"
        bordered
        styles={{ label: { whiteSpace: 'nowrap' } }}
      >
        <Descriptions.Item label={t('org.name')}>{unit.name}</Descriptions.Item>
        <Descriptions.Item label={t('org.shortName')}>{unit.shortName ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('org.type')}>{t(`orgTypes.${unit.type}`)}</Descriptions.Item>
        <Descriptions.Item label={t('org.regionCode')}>
          {unit.regionCode ?? t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.parent')}>{parentPath}</Descriptions.Item>
        <Descriptions.Item label={t('org.sort')}>{unit.sort}</Descriptions.Item>
        <Descriptions.Item label={t('org.children')}>{childCount}</Descriptions.Item>
        <Descriptions.Item label={t('common.updatedAt')}>{formatTime(unit.updatedAt)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('org.aliases')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('org.aliasesHint')}
      </Typography.Paragraph>
      <Flex wrap gap={6} align="center" data-testid="org-aliases">
        {unit.aliases.length === 0 && (
          <Typography.Text type="secondary">{t('org.noAliases')}</Typography.Text>
        )}
        {unit.aliases.map((a) => (
          <Tag
            key={a}
            closable={canWrite}
            onClose={(e) => {
              e.preventDefault();
              void removeAlias(a);
            }}
          >
            {a}
          </Tag>
        ))}
      </Flex>
      {canWrite && (
        <Space.Compact style={{ marginTop: 12, width: '100%', maxWidth: 360 }}>
          <Input
            value={alias}
            onChange={(e) => setAlias(e.target.value)}
            onPressEnter={() => void addAlias()}
            placeholder={t('org.aliasPlaceholder')}
            maxLength={100}
            data-testid="org-alias-input"
          />
          <Button
            onClick={() => void addAlias()}
            loading={busy}
            disabled={!alias.trim()}
            data-testid="org-alias-add"
          >
            {t('org.addAlias')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
