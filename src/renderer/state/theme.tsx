/** Dark, light, or whatever the system prefers; the choice is kept per browser. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

export type ThemeMode = 'auto' | 'light' | 'dark';
const KEY = 'voltmon.theme';

interface ThemeValue {
  mode: ThemeMode;
  /** What is shown now; charts rebuild their colours when it changes. */
  resolved: 'light' | 'dark';
  cycle(): void;
}

const ThemeContext = createContext<ThemeValue>({ mode: 'auto', resolved: 'dark', cycle: () => undefined });

export const useTheme = (): ThemeValue => useContext(ThemeContext);

function storedMode(): ThemeMode {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

const systemPrefersLight = (): boolean => window.matchMedia?.('(prefers-color-scheme: light)').matches ?? false;

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [mode, setMode] = useState<ThemeMode>(storedMode);
  const [systemLight, setSystemLight] = useState(systemPrefersLight);

  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: light)');
    if (!query) return;
    const onChange = () => setSystemLight(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (mode === 'auto') delete root.dataset.theme;
    else root.dataset.theme = mode;
    try {
      if (mode === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, mode);
    } catch {
      // Storage refused: the choice lasts for this page.
    }
  }, [mode]);

  const cycle = useCallback(() => setMode((m) => (m === 'auto' ? 'light' : m === 'light' ? 'dark' : 'auto')), []);
  const resolved = mode === 'auto' ? (systemLight ? 'light' : 'dark') : mode;
  return <ThemeContext.Provider value={{ mode, resolved, cycle }}>{children}</ThemeContext.Provider>;
}
