import { describe, expect, it } from 'vitest';
import { shareOut } from './tx.ts';

const job = (name: string, key?: string) => ({ name, key });
const names = (groups: { name: string }[][]) => groups.map((g) => g.map((j) => j.name));

describe('group commit: sharing the queue among lanes', () => {
  it('one lane takes everything, in order (SQLite)', () => {
    const queue = [job('a', 'u1'), job('b', 'u2'), job('c', 'u1'), job('d')];
    const { groups, rest } = shareOut(queue, new Set(), 1);
    expect(names(groups)).toEqual([['a', 'b', 'c', 'd']]);
    expect(rest).toEqual([]);
  });

  it('shares evenly among the free lanes, in order', () => {
    const queue = ['a', 'b', 'c', 'd', 'e'].map((n) => job(n));
    expect(names(shareOut(queue, new Set(), 2).groups)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(names(shareOut(queue.slice(0, 1), new Set(), 2).groups)).toEqual([['a']]);
  });

  it('keeps the jobs of one key in one group', () => {
    const queue = [job('a', 'u1'), job('b', 'u2'), job('c', 'u3'), job('d', 'u1'), job('e', 'u3')];
    const { groups, rest } = shareOut(queue, new Set(), 2);
    expect(names(groups)).toEqual([
      ['a', 'b', 'd'],
      ['c', 'e'],
    ]);
    expect(rest).toEqual([]);
  });

  it('leaves the jobs of a running group’s key queued, in their order', () => {
    const queue = [job('a', 'u1'), job('b', 'u2'), job('c', 'u1'), job('d')];
    const { groups, rest } = shareOut(queue, new Set(['u1']), 2);
    expect(names(groups)).toEqual([['b'], ['d']]);
    expect(rest.map((j) => j.name)).toEqual(['a', 'c']);
  });

  it('starts nothing without a free lane or a ready job', () => {
    const queue = [job('a', 'u1')];
    expect(shareOut(queue, new Set(), 0)).toEqual({ groups: [], rest: queue });
    expect(shareOut(queue, new Set(['u1']), 2)).toEqual({ groups: [], rest: queue });
  });

  it('puts at most 64 jobs in a group; the others wait for the next', () => {
    const queue = Array.from({ length: 70 }, (_, k) => job(`j${k}`, k < 66 ? 'u1' : undefined));
    const { groups, rest } = shareOut(queue, new Set(), 1);
    expect(groups.map((g) => g.length)).toEqual([64]);
    expect(rest.map((j) => j.name)).toEqual(['j64', 'j65', 'j66', 'j67', 'j68', 'j69']);
  });
});
