import { App, TreeSelect, type TreeSelectProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { buildUnitTree, type UnitTreeNode } from '../../shared/orgTree.ts';

/** The units the caller may see (GET /api/org/units) as a tree, loaded again each time `active` turns true. */
export function useUnitTree(active: boolean): UnitTreeNode[] {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [units, setUnits] = useState<OrgUnit[]>([]);
  useEffect(() => {
    if (!active) return;
    api<{ items: OrgUnit[] }>('/org/units')
      .then((u) => setUnits(u.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [active, message, t]);
  return useMemo(() => buildUnitTree(units), [units]);
}

export type UnitTreeSelectProps = Omit<TreeSelectProps<string | string[]>, 'treeData'> & {
  treeData: UnitTreeNode[];
};

/**
 * The unit picker: a searchable, fully expanded tree of units (one unit, or several with `multiple`).
 * Use it as a form field's control; other TreeSelect props (placeholder, data-testid…) pass through.
 * The dropdown carries the class `unit-tree-popup-<id>` so that it can be told apart from another
 * picker's dropdown that is still closing.
 */
export function UnitTreeSelect({ listHeight = 360, ...props }: UnitTreeSelectProps) {
  return (
    <TreeSelect<string | string[]>
      classNames={props.id ? { popup: { root: `unit-tree-popup-${props.id}` } } : undefined}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      maxTagCount={props.multiple ? 'responsive' : undefined}
      listHeight={listHeight}
      {...props}
    />
  );
}
