import { describe, expect, it } from 'vitest';
import { pickRule, type RouteArea, type RouteRule, routeCase, ruleMatches } from './routing.ts';

const CAT = 'cat-traffic';
const OTHER = 'cat-other';
const town: RouteArea = { id: 'town', path: '/region/town/', type: 'township', parentId: 'region' };
const village: RouteArea = { id: 'vil', path: '/region/town/vil/', type: 'village', parentId: 'town' };
const otherTown: RouteArea = { id: 'town2', path: '/region/town2/', type: 'township', parentId: 'region' };

function rule(
  id: string,
  categoryId: string | null,
  area: RouteArea | null,
  unitId = `unit-${id}`,
): RouteRule {
  return {
    id,
    categoryId,
    areaUnitId: area?.id ?? null,
    areaPath: area?.path ?? null,
    areaDepth: area ? area.path.split('/').filter(Boolean).length - 1 : null,
    unitId,
  };
}

describe('routing rules', () => {
  it('a rule matches on its category (or any) and its area containing the case area (or any)', () => {
    expect(ruleMatches(rule('a', null, null), CAT, null)).toBe(true);
    expect(ruleMatches(rule('a', CAT, null), CAT, village.path)).toBe(true);
    expect(ruleMatches(rule('a', OTHER, null), CAT, village.path)).toBe(false);
    expect(ruleMatches(rule('a', null, town), CAT, village.path)).toBe(true);
    expect(ruleMatches(rule('a', null, town), CAT, town.path)).toBe(true);
    expect(ruleMatches(rule('a', null, village), CAT, town.path)).toBe(false);
    expect(ruleMatches(rule('a', null, otherTown), CAT, village.path)).toBe(false);
    // A case without an area matches only rules without one.
    expect(ruleMatches(rule('a', null, town), CAT, null)).toBe(false);
  });

  it('the deeper area wins, whatever the category', () => {
    const rules = [rule('cat-any-area', CAT, null), rule('town-any-cat', null, town)];
    expect(pickRule(rules, CAT, village.path)?.id).toBe('town-any-cat');
    const deeper = [...rules, rule('village-any-cat', null, village)];
    expect(pickRule(deeper, CAT, village.path)?.id).toBe('village-any-cat');
  });

  it('at the same area depth a rule naming the category beats one that does not', () => {
    const rules = [rule('town-any', null, town), rule('town-cat', CAT, town)];
    expect(pickRule(rules, CAT, village.path)?.id).toBe('town-cat');
    expect(pickRule([...rules].reverse(), CAT, village.path)?.id).toBe('town-cat');
    expect(pickRule(rules, OTHER, village.path)?.id).toBe('town-any');
    const noArea = [rule('any-any', null, null), rule('cat-any', CAT, null)];
    expect(pickRule(noArea, CAT, null)?.id).toBe('cat-any');
    expect(pickRule(noArea, OTHER, null)?.id).toBe('any-any');
  });

  it('no matching rule: pending for 随手拍 and county 说事', () => {
    const rules = [rule('other-town', null, otherTown), rule('other-cat', OTHER, null)];
    expect(routeCase(rules, { categoryId: CAT, kind: 'snapshot', level: 'village', area: village })).toEqual({
      unitId: null,
      reason: 'none',
    });
    expect(
      routeCase([], { categoryId: CAT, kind: 'talk', level: 'county', area: village }).unitId,
    ).toBeNull();
    expect(routeCase([], { categoryId: CAT, kind: 'talk', level: 'village', area: null }).unitId).toBeNull();
  });

  it('a 说事 without a rule goes to the village or township it addresses', () => {
    expect(routeCase([], { categoryId: CAT, kind: 'talk', level: 'village', area: village })).toEqual({
      unitId: 'vil',
      reason: 'level',
    });
    expect(routeCase([], { categoryId: CAT, kind: 'talk', level: 'township', area: village }).unitId).toBe(
      'town',
    );
    expect(routeCase([], { categoryId: CAT, kind: 'talk', level: 'township', area: town }).unitId).toBe(
      'town',
    );
    // "the village" of a township area does not exist: the office decides.
    expect(routeCase([], { categoryId: CAT, kind: 'talk', level: 'village', area: town }).unitId).toBeNull();
  });

  it('a matching rule beats the 说事 level', () => {
    const rules = [rule('r', CAT, town, 'unit-rule')];
    expect(routeCase(rules, { categoryId: CAT, kind: 'talk', level: 'village', area: village })).toEqual({
      unitId: 'unit-rule',
      reason: 'rule',
      ruleId: 'r',
    });
  });
});
