import type { OrgUnit } from '../../../../packages/contracts/src/index.ts';

export interface UnitTreeNode {
  key: string;
  value: string;
  title: string;
  unit: OrgUnit;
  children: UnitTreeNode[];
  disabled?: boolean;
}

/** Build a forest from a flat list (parents outside the list make their children roots), sorted by sort then name. */
export function buildUnitTree(units: readonly OrgUnit[]): UnitTreeNode[] {
  const nodes = new Map<string, UnitTreeNode>();
  for (const u of units) nodes.set(u.id, { key: u.id, value: u.id, title: u.name, unit: u, children: [] });
  const roots: UnitTreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.unit.parentId ? nodes.get(n.unit.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sortRec = (list: UnitTreeNode[]) => {
    list.sort((a, b) => a.unit.sort - b.unit.sort || a.unit.name.localeCompare(b.unit.name, 'zh-CN'));
    for (const n of list) sortRec(n.children);
  };
  sortRec(roots);
  return roots;
}

/** Ids of a unit and everything below it. */
export function subtreeIds(units: readonly OrgUnit[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Copy of a tree with some nodes disabled (e.g. a unit and its descendants when picking a new parent). */
export function disableNodes(tree: UnitTreeNode[], disabled: Set<string>): UnitTreeNode[] {
  return tree.map((n) => ({
    ...n,
    disabled: disabled.has(n.key),
    children: disableNodes(n.children, disabled),
  }));
}

/** Path of names from a root to the unit ("市文明委 / 市文明办"). */
export function unitPath(units: readonly OrgUnit[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  let cur = byId.get(id);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    out.unshift(cur.name);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}
