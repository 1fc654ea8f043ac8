import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../../../../packages/contracts/src/index.ts';
import { diffJson } from '../admin/pages/audit/diff.ts';
import { ApiClientError, applyFieldErrors, buildQuery, fieldPath } from './api.ts';
import { buildUnitTree, subtreeIds, unitPath } from './orgTree.ts';
import { isStrongPassword } from './password.ts';

const unit = (id: string, parentId: string | null, name: string, sort = 0): OrgUnit => ({
  id,
  parentId,
  name,
  shortName: null,
  type: 'other',
  regionCode: null,
  sort,
  aliases: [],
  createdAt: '',
  updatedAt: '',
});

describe('org tree', () => {
  const units = [
    unit('c', 'a', '乙', 2),
    unit('a', null, '市'),
    unit('b', 'a', '甲', 1),
    unit('d', 'c', '村'),
  ];

  it('builds a sorted forest from parent ids', () => {
    const tree = buildUnitTree(units);
    expect(tree.map((n) => n.key)).toEqual(['a']);
    expect(tree[0].children.map((n) => n.key)).toEqual(['b', 'c']);
    expect(tree[0].children[1].children.map((n) => n.key)).toEqual(['d']);
  });

  it('treats units whose parent is out of scope as roots', () => {
    expect(buildUnitTree([unit('x', 'missing', 'x')]).map((n) => n.key)).toEqual(['x']);
  });

  it('finds a subtree and a path', () => {
    expect([...subtreeIds(units, 'c')].sort()).toEqual(['c', 'd']);
    expect(unitPath(units, 'd')).toEqual(['市', '乙', '村']);
  });
});

describe('api helpers', () => {
  it('maps server field paths to form names', () => {
    expect(fieldPath('newPassword')).toEqual(['newPassword']);
    expect(fieldPath('/body/roles/0')).toEqual(['roles', 0]);
    expect(fieldPath('body.unitId')).toEqual(['unitId']);
  });

  it('applies field errors to a form, grouped by item', () => {
    const calls: unknown[] = [];
    const form = { setFields: (f: never[]) => calls.push(...f) };
    const err = new ApiClientError(400, 'VALIDATION_FAILED', 'bad', [
      { field: 'roles.0', message: 'unknown role' },
      { field: 'phone', message: 'bad phone' },
      { field: 'other', message: 'ignored' },
    ]);
    expect(applyFieldErrors(form, err, ['roles', 'phone'])).toBe(true);
    expect(calls).toEqual([
      { name: ['roles'], errors: ['unknown role'] },
      { name: ['phone'], errors: ['bad phone'] },
    ]);
    expect(applyFieldErrors(form, new Error('x'))).toBe(false);
  });

  it('builds query strings without empty values', () => {
    expect(buildQuery({ a: 'x y', b: '', c: undefined, d: 2 })).toBe('?a=x+y&d=2');
    expect(buildQuery({})).toBe('');
  });
});

describe('password rule', () => {
  it('needs 8 characters and 3 classes', () => {
    expect(isStrongPassword('Wenming@2026')).toBe(true);
    expect(isStrongPassword('abcdefg1')).toBe(false);
    expect(isStrongPassword('Ab1!')).toBe(false);
    expect(isStrongPassword('abcdef1!')).toBe(true);
  });
});

describe('audit diff', () => {
  it('compares nested values field by field', () => {
    const rows = diffJson(
      { name: 'a', roles: ['x'], meta: { n: 1 } },
      { name: 'b', roles: ['x', 'y'], meta: { n: 1 } },
    );
    expect(rows.filter((r) => r.changed).map((r) => r.path)).toEqual(['name', 'roles[1]']);
    expect(diffJson(null, { a: 1 })).toEqual([{ path: 'a', before: undefined, after: '1', changed: true }]);
  });
});
