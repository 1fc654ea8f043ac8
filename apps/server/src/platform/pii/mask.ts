/** Masks shown in every response unless the caller holds pii:read: 138****8000, 110105********0123. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function maskIdCard(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Mainland mobile numbers: 11 digits starting 13–19. An optional +86 / 86 prefix is removed. */
export function normalizePhone(raw: string): string | null {
  const s = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

/**
 * A number to call someone back on: a mobile number (as `normalizePhone`), or a mainland landline with
 * its area code — 010 and 02X, else 0 and three digits — then 7–8 digits not starting with 0 or 1, and
 * optionally an extension after -, 转, # or ext: "0316-7221234", "010-88886666-123". (+)86 before the area code is
 * dropped with its trunk 0 restored. Hotline and Open311 callers often ring from landlines.
 */
export function normalizeContactNumber(raw: string): string | null {
  const mobile = normalizePhone(raw);
  if (mobile) return mobile;
  const s = raw
    .trim()
    .replace(/[\s()（）]/g, '')
    .replace(/^\+?86-?(?=[2-9])/, '0');
  const m = /^(010|02\d|0[3-9]\d\d)-?([2-9]\d{6,7})(?:(?:-|转|#|ext\.?)(\d{1,6}))?$/i.exec(s);
  if (!m) return null;
  return m[3] ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 resident ID: 18 characters, a valid birth date, and the ISO 7064 MOD 11-2 check digit. */
export function normalizeIdCard(raw: string): string | null {
  const s = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return null;
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17] ? s : null;
}
