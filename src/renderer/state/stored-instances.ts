/** The Connections list, in localStorage, shared by every tab of this browser. */
import { useCallback, useEffect, useState } from 'react';
import { CONNECTIONS_STORAGE_KEY, parseStoredInstances, type Instance } from '../lib/connections';

function read(): Instance[] {
  try {
    return parseStoredInstances(localStorage.getItem(CONNECTIONS_STORAGE_KEY));
  } catch {
    return [];
  }
}

export function useStoredInstances(): [Instance[], (next: Instance[]) => void] {
  const [list, setList] = useState<Instance[]>(read);
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === CONNECTIONS_STORAGE_KEY) setList(read());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const update = useCallback((next: Instance[]) => {
    setList(next);
    try {
      localStorage.setItem(CONNECTIONS_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage refused: the list lasts for this page.
    }
  }, []);
  return [list, update];
}
