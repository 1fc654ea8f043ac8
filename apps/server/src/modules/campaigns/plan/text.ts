/** Text helpers for Chinese official documents: numerals, brackets, clause splitting. */

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  '○': 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二二 → 2022, ４ → 4; null if not a numeral. */
export function numeralValue(s: string): number | null {
  const t = halfWidthDigits(s.trim());
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^[零〇○一二两三四五六七八九十百]+$/.test(t)) return null;
  if (!/[十百]/.test(t)) return Number([...t].map((c) => CN_DIGITS[c]).join(''));
  let total = 0;
  let digit = 0;
  for (const c of t) {
    if (c === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (c === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = CN_DIGITS[c];
  }
  return total + digit;
}

export function halfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The form used to compare names: compatibility-normalised (full-width → ASCII), no whitespace. */
export function nameKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

const OPEN = '（(【[《“‘「『〔';
const CLOSE = '）)】]》”’」』〕';

/** Calls `visit` for each character with the bracket/quote depth before it; stops when it returns true. */
export function scanDepth(
  text: string,
  visit: (ch: string, i: number, depth: number) => boolean | undefined,
): void {
  let depth = 0;
  let ascii = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (ascii) {
        ascii = false;
        depth = Math.max(0, depth - 1);
        continue;
      }
      if (visit(ch, i, depth)) return;
      ascii = true;
      depth++;
      continue;
    }
    if (CLOSE.includes(ch)) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (visit(ch, i, depth)) return;
    if (OPEN.includes(ch)) depth++;
  }
}

/** Index of the first character of `chars` outside brackets and quotes, or -1. */
export function indexOutside(text: string, chars: string, from = 0): number {
  let found = -1;
  scanDepth(text, (ch, i, depth) => {
    if (i >= from && depth === 0 && chars.includes(ch)) {
      found = i;
      return true;
    }
    return false;
  });
  return found;
}

/** Splits on separator characters outside brackets; each piece keeps its offset and the separator before it. */
export function splitOutside(text: string, seps: string): { text: string; sep: string; start: number }[] {
  const out: { text: string; sep: string; start: number }[] = [];
  let start = 0;
  let sep = '';
  scanDepth(text, (ch, i, depth) => {
    if (depth === 0 && seps.includes(ch)) {
      out.push({ text: text.slice(start, i), sep, start });
      sep = ch;
      start = i + 1;
    }
    return false;
  });
  out.push({ text: text.slice(start), sep, start });
  return out;
}

/**
 * Splits off the first sentence (to 。；！？ outside brackets, or to ： after a short heading). A very
 * long first sentence is cut at its first comma so that titles stay titles.
 */
export function firstSentence(text: string): { head: string; rest: string } {
  let end = indexOutside(text, '。；;！？!?');
  const colon = indexOutside(text, '：:');
  if (colon > 0 && colon <= 30 && (end < 0 || colon < end) && !LABEL_BEFORE_COLON.test(text.slice(0, colon)))
    end = colon;
  if (end < 0) end = text.length;
  if (end > 80) {
    const comma = indexOutside(text, '，,');
    if (comma > 0 && comma < end) end = comma;
  }
  return { head: text.slice(0, end).trim(), rest: text.slice(end + 1).trim() };
}

/** A colon after one of these words starts a label (责任单位：…), not the end of a title. */
const LABEL_BEFORE_COLON = /(单位|部门|时限|时间|节点|主体)\s*$/;

/** Joins wrapped lines: no space between Chinese characters, one space between Latin words. */
export function joinLines(parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (out && /[A-Za-z0-9]$/.test(out) && /^[A-Za-z0-9]/.test(p)) out += ' ';
    out += p;
  }
  return out;
}

const TRIMMED = '。.；;，,、：:';

/** Trims whitespace (including the ideographic space) and list punctuation from both ends. */
export function trimPunct(s: string): string {
  const { start, end } = trimRange(s);
  return s.slice(start, end);
}

/** Where `trimPunct` would cut. */
export function trimRange(s: string): { start: number; end: number } {
  let start = 0;
  let end = s.length;
  const skip = (c: string) => /\s/.test(c) || TRIMMED.includes(c);
  while (start < end && skip(s[start])) start++;
  while (end > start && skip(s[end - 1])) end--;
  return { start, end };
}
