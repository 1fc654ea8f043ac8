import type { ApiError } from '../../../../packages/contracts/src/index.ts';
import { currentLanguage } from './i18n.ts';

/** A failed API call: HTTP status plus the server's `{ error: { code, message, fields } }`. */
export class ApiClientError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: { field: string; message: string }[];
  /** The whole parsed reply body (some errors carry more, e.g. the per-row import report). */
  readonly body: unknown;
  /** Seconds from a `Retry-After` header (429), when the server sends one. */
  retryAfter: number | null = null;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: { field: string; message: string }[] = [],
    body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiClientError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.body = body;
  }
}

const CSRF_KEY = 'wenming.csrf';
let csrfToken: string | null = readStoredCsrf();

function readStoredCsrf(): string | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

/** Remember the CSRF token from a LoginReply (login or `GET /api/auth/me`); null forgets it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // storage may be unavailable (private mode); memory is enough
  }
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Error codes that answer a credential check (wrong password, wrong code): a 401 with these is not "session gone". */
const CREDENTIAL_CODES = new Set([
  'INVALID_CREDENTIALS',
  'TOTP_REQUIRED',
  'TOTP_INVALID',
  'CODE_INVALID',
  'WRONG_PASSWORD',
]);

let unauthorizedHandler: (code: string) => void = () => {
  window.location.assign('/login');
};

/** Each entry (admin, H5) says where to go when the session is gone (code: UNAUTHENTICATED, SESSION_EXPIRED…). */
export function onUnauthorized(handler: (code: string) => void): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A plain object is sent as JSON; FormData is sent as multipart. */
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Do not redirect to the login page on 401 (boot-time session probe, login forms). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
  /** More request headers (e.g. `prefer`). */
  headers?: Record<string, string>;
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isApiError(x: unknown): x is ApiError {
  if (!x || typeof x !== 'object' || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return !!e && typeof e === 'object' && 'code' in e;
}

/** Call `/api{path}`. Resolves with the parsed JSON body (undefined for 204); rejects with ApiClientError. */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = {
    ...opts.headers,
    accept: 'application/json',
    'accept-language': currentLanguage(),
  };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`/api${path}${buildQuery(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiClientError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = isApiError(data)
      ? new ApiClientError(res.status, data.error.code, data.error.message, data.error.fields ?? [], data)
      : new ApiClientError(res.status, `HTTP_${res.status}`, res.statusText || `HTTP ${res.status}`);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) err.retryAfter = retryAfter;
    if (res.status === 401 && !opts.noAuthRedirect && !CREDENTIAL_CODES.has(err.code)) {
      setCsrfToken(null);
      unauthorizedHandler(err.code);
    }
    throw err;
  }
  return data as T;
}

/** Turn a server field path (`newPassword`, `/body/newPassword`, `roles.0`, `body.unitId`) into a Form name path. */
export function fieldPath(field: string): (string | number)[] {
  const parts = field
    .replace(/^\//, '')
    .split(/[/.]/)
    .filter((p) => p !== '');
  if (parts[0] === 'body' || parts[0] === 'querystring' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The subset of antd's FormInstance we need (keeps this module free of antd imports, so the H5 can use it). */
interface FieldSetter {
  // `never[]` accepts every form library's typed setFields (antd's is keyed by the form's own field names)
  setFields(fields: never[]): void;
}

/**
 * Show an ApiClientError's `fields` on a form. Only the first path segment (the form item name) is used so that
 * `roles.0` lands on `roles`. Returns true if at least one field error was applied.
 */
export function applyFieldErrors(form: FieldSetter, err: unknown, known?: readonly string[]): boolean {
  if (!(err instanceof ApiClientError) || err.fields.length === 0) return false;
  const byName = new Map<string, string[]>();
  for (const f of err.fields) {
    const [head] = fieldPath(f.field);
    if (head === undefined) continue;
    const name = String(head);
    if (known && !known.includes(name)) continue;
    byName.set(name, [...(byName.get(name) ?? []), f.message]);
  }
  const fields = [...byName].map(([name, errors]) => ({ name: [name], errors }));
  form.setFields(fields as never[]);
  return byName.size > 0;
}
