import type { Page } from '../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, getCsrfToken } from './api.ts';
import { currentLanguage } from './i18n.ts';

/** A stored file as the server describes it (platform/files FileMeta). */
export interface FileMeta {
  id: string;
  name: string;
  mime: string;
  kind: 'image' | 'video' | 'pdf' | 'office';
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  /** Camera time as recorded (`YYYY-MM-DDTHH:mm:ss`, with an offset only when the camera wrote one). */
  takenAt: string | null;
  gps: { lat: number; lng: number } | null;
  hasThumb: boolean;
  uploadedAt: string;
  uploadedBy: string | null;
}

/** What the file picker offers; the server decides from the content. */
export const EVIDENCE_ACCEPT =
  '.jpg,.jpeg,.png,.webp,.heic,.heif,.mp4,.m4v,.mov,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx';
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif';

export const contentUrl = (id: string) => `/api/files/${id}/content`;
export const thumbUrl = (id: string) => `/api/files/${id}/thumb`;

/** `1.2 MB`, `340 KB`, `12 B`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Camera time for display: `2026-03-01 10:20:30` (+ the offset if the camera gave one). */
export function formatTakenAt(takenAt: string): string {
  return takenAt.replace('T', ' ');
}

export function formatGps(gps: { lat: number; lng: number }): string {
  const lat = `${Math.abs(gps.lat).toFixed(5)}°${gps.lat < 0 ? 'S' : 'N'}`;
  const lng = `${Math.abs(gps.lng).toFixed(5)}°${gps.lng < 0 ? 'W' : 'E'}`;
  return `${lat}, ${lng}`;
}

export interface UploadOptions {
  /** 0–100 while the bytes go up. */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

function replyError(xhr: XMLHttpRequest): ApiClientError {
  let body: unknown;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = undefined;
  }
  const e = (
    body as { error?: { code?: string; message?: string; fields?: { field: string; message: string }[] } }
  )?.error;
  const err = e?.code
    ? new ApiClientError(xhr.status, e.code, e.message ?? e.code, e.fields ?? [], body)
    : new ApiClientError(xhr.status, `HTTP_${xhr.status}`, xhr.statusText || `HTTP ${xhr.status}`);
  const retryAfter = Number(xhr.getResponseHeader('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) err.retryAfter = retryAfter;
  return err;
}

/**
 * Uploads one file to `POST /api/files` (XHR, for upload progress), with the session's CSRF token and
 * the UI language, so a refusal comes back in the user's language.
 */
export function uploadFile(file: File, opts: UploadOptions = {}): Promise<FileMeta> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', currentLanguage());
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as FileMeta);
        } catch {
          reject(new ApiClientError(xhr.status, `HTTP_${xhr.status}`, 'invalid reply'));
        }
      } else reject(replyError(xhr));
    };
    xhr.onerror = () => reject(new ApiClientError(0, 'NETWORK', 'network error'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function myFiles(page: number, pageSize: number): Promise<Page<FileMeta>> {
  return api<Page<FileMeta>>('/files/mine', { query: { page, pageSize } });
}
