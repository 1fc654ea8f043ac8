import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ORG_UNIT_TYPES, PERMISSIONS, ROLES } from '../../../../packages/contracts/src/index.ts';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';

type Tree = { [k: string]: string | Tree };

/** `a.b.c` → leaf value, for every leaf. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

const zh = flatten(zhCN as Tree);
const en = flatten(enUS as Tree);

describe('locale files', () => {
  it('have exactly the same keys', () => {
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it('have no empty or non-string values', () => {
    for (const [name, map] of [
      ['zh-CN', zh],
      ['en-US', en],
    ] as const) {
      const bad = [...map].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, name).toEqual([]);
    }
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...zh.keys()].filter(
      (k) => en.has(k) && vars(zh.get(k)).join() !== vars(en.get(k)).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('name every role, permission and unit type of the contracts', () => {
    const needed = [
      ...ROLES.map((r) => `roles.${r}`),
      ...PERMISSIONS.map((p) => `permissions.${p}`),
      ...ORG_UNIT_TYPES.map((t) => `orgTypes.${t}`),
    ];
    expect(needed.filter((k) => !zh.has(k))).toEqual([]);
  });

  it('define every literal key the code passes to t()', () => {
    const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(src);
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bt\('([A-Za-z0-9_.:-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/label: '(nav\.[a-z]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });
});
