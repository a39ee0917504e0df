import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return <h1>voltmon</h1>;
}

const rootElement = document.getElementById('root');
if (rootElement) createRoot(rootElement).render(<StrictMode><App /></StrictMode>);
