import { App, Form, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { buildUnitTree, disableNodes, subtreeIds } from '../../../shared/orgTree.ts';
import { tid } from '../../../shared/testid.ts';

/** Pick a new parent; the unit itself and its descendants cannot be chosen. */
export function MoveModal({
  unit,
  units,
  onClose,
  onMoved,
}: {
  unit: OrgUnit | null;
  units: OrgUnit[];
  onClose: () => void;
  onMoved: (u: OrgUnit) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [parentId, setParentId] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setParentId(unit?.parentId ?? undefined);
    setError(null);
  }, [unit]);

  const treeData = useMemo(
    () => (unit ? disableNodes(buildUnitTree(units), subtreeIds(units, unit.id)) : []),
    [unit, units],
  );

  const onOk = async () => {
    if (!unit || !parentId) {
      setError(t('org.moveTargetRequired'));
      return;
    }
    setSaving(true);
    try {
      const moved = await api<OrgUnit>(`/org/units/${unit.id}/move`, { method: 'POST', body: { parentId } });
      message.success(t('org.moved'));
      onMoved(moved);
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!unit}
      title={unit ? t('org.moveTitle', { name: unit.name }) : ''}
      onCancel={onClose}
      onOk={() => void onOk()}
      confirmLoading={saving}
      okText={t('org.move')}
      cancelText={t('common.cancel')}
      okButtonProps={{ ...tid('org-move-submit'), disabled: !parentId || parentId === unit?.parentId }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item
          label={t('org.newParent')}
          validateStatus={error ? 'error' : undefined}
          help={error ?? t('org.moveHint')}
        >
          <TreeSelect
            id="org-move-parent"
            data-testid="org-move-parent"
            value={parentId}
            onChange={(v: string) => {
              setParentId(v);
              setError(null);
            }}
            treeData={treeData}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('org.newParent')}
            style={{ width: '100%' }}
            listHeight={360}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
