import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onUnauthorized } from '../shared/api.ts';
import { initI18n } from '../shared/i18n.ts';
import { H5Root } from './H5Root.tsx';

initI18n();
onUnauthorized(() => {
  if (
    window.location.pathname.startsWith('/h5/login') ||
    window.location.pathname.startsWith('/h5/staff-login')
  )
    return;
  window.location.assign('/h5/login');
});

const el = document.getElementById('root');
if (!el) throw new Error('#root missing');
createRoot(el).render(
  <StrictMode>
    <H5Root />
  </StrictMode>,
);
