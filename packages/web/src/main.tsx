import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageReady } from './i18n';
import { Root } from './root';

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
// Rendered once the strings of the stored language have loaded (English is fetched on demand).
void languageReady.then(() =>
  createRoot(container).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
