import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

// The machine, number formatting and Markdown tables for the benchmark reports (bench/run.ts, bench/campaigns.ts).

export function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds: one decimal below 10. */
export const ms = (n: number) => fmt(n, n < 10 ? 1 : 0);

/** A target's verdict cell. */
export const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

/**
 * A Markdown table, padded the way `biome format` (and Prettier) lay tables out, so the generated
 * files pass `npm run lint`. `right` marks the right-aligned (numeric) columns.
 */
export function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const width = header.map((h, i) => Math.max(3, [...h].length, ...rows.map((r) => [...r[i]].length)));
  const cell = (s: string, i: number) => {
    const pad = ' '.repeat(width[i] - [...s].length);
    return right[i] ? pad + s : s + pad;
  };
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `| ${width.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

/** CPU model (/proc/cpuinfo), `nproc`, Node, OS and RAM, for the report's header. */
export function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? os.cpus()[0]?.model ?? 'unknown';
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {}
  return {
    model,
    nproc,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    memGiB: os.totalmem() / 2 ** 30,
  };
}
