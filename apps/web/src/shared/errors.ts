import type { TFunction } from 'i18next';
import { ApiClientError } from './api.ts';

/**
 * A user-facing message for any thrown value. The server answers in the caller's language (the `lang` cookie and
 * accept-language we send), so its message wins; our own `errors.<CODE>` texts cover network failures, replies
 * without a body, and codes the server left without a message.
 */
export function errorMessage(e: unknown, t: TFunction): string {
  if (e instanceof ApiClientError) {
    const fromServer = e.code !== 'NETWORK' && !e.code.startsWith('HTTP_') ? e.message : '';
    if (fromServer) return fromServer;
    const translated = t(`errors.${e.code}`, { defaultValue: '' });
    if (translated) return translated;
    return e.code === 'NETWORK' ? t('errors.NETWORK') : t('errors.generic', { status: e.status });
  }
  if (e instanceof Error && e.message) return e.message;
  return t('errors.unknown');
}
