import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from '../locales/en-US.json';
import zhCN from '../locales/zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

const STORAGE_KEY = 'wenming.lang';
const COOKIE_NAME = 'lang';

const DAYJS_LOCALE: Record<Language, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** Accepts `en`, `en-GB`, `zh`, `zh-Hans-CN`… and returns one of ours, or null. */
export function normalizeLanguage(x: string | null | undefined): Language | null {
  if (!x) return null;
  if (isLanguage(x)) return x;
  const lower = x.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return null;
}

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function detectLanguage(): Language {
  try {
    const stored = normalizeLanguage(localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    // storage unavailable
  }
  const cookie = normalizeLanguage(readCookie(COOKIE_NAME));
  if (cookie) return cookie;
  return DEFAULT_LANGUAGE;
}

function persist(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage unavailable; the cookie still carries it
  }
  // biome-ignore lint/suspicious/noDocumentCookie: the server reads the `lang` cookie; the Cookie Store API is not universal
  document.cookie = `${COOKIE_NAME}=${encodeURIComponent(lang)}; path=/; max-age=31536000; SameSite=Lax`;
  document.documentElement.lang = lang;
  dayjs.locale(DAYJS_LOCALE[lang]);
}

let initialised = false;

/** Initialise i18next once (synchronously: resources are bundled). */
export function initI18n(): typeof i18n {
  if (initialised) return i18n;
  initialised = true;
  const lng = detectLanguage();
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    // keys such as `permissions.org:read` contain colons; we use a single namespace
    nsSeparator: false,
    returnNull: false,
    initAsync: false,
  });
  persist(lng);
  return i18n;
}

export function currentLanguage(): Language {
  return normalizeLanguage(i18n.language) ?? DEFAULT_LANGUAGE;
}

export async function changeLanguage(lang: Language): Promise<void> {
  persist(lang);
  await i18n.changeLanguage(lang);
}

/** Translate a key if it exists, else return the fallback (for server-supplied codes such as audit actions). */
export function tOr(key: string, fallback: string): string {
  return i18n.exists(key) ? i18n.t(key) : fallback;
}

export { i18n };
