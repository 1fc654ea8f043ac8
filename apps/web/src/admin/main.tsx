import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onUnauthorized } from '../shared/api.ts';
import { initI18n } from '../shared/i18n.ts';
import { AdminRoot } from './AdminRoot.tsx';

initI18n();
onUnauthorized((code) => {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname === '/login') return;
  const reason = code === 'SESSION_EXPIRED' ? '&reason=expired' : '';
  window.location.assign(`/login?next=${encodeURIComponent(here)}${reason}`);
});

const el = document.getElementById('root');
if (!el) throw new Error('#root missing');
createRoot(el).render(
  <StrictMode>
    <AdminRoot />
  </StrictMode>,
);
