import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Me, MeWorkspace, Role } from '../api/types';

const STORAGE_KEY = 'zizhi.workspaceId';

interface WorkspaceState {
  me: Me;
  workspaces: MeWorkspace[];
  /** The workspace the user works in now; undefined when they belong to none. */
  workspace: MeWorkspace | undefined;
  role: Role | undefined;
  selectWorkspace: (id: string) => void;
}

const WorkspaceContext = createContext<WorkspaceState | null>(null);

function readStoredId(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Makes `id` the current workspace the next time the app opens (after accepting an invitation). */
export function rememberWorkspace(id: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // private mode: the first workspace is shown
  }
}

/** Holds the signed-in user and the current workspace (remembered in localStorage). */
export function WorkspaceProvider({ me, children }: { me: Me; children: ReactNode }) {
  const [selectedId, setSelectedId] = useState<string | null>(readStoredId);
  const selectWorkspace = useCallback((id: string) => {
    setSelectedId(id);
    try {
      localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // private mode: remembered for this page only
    }
  }, []);
  const value = useMemo<WorkspaceState>(() => {
    const workspace = me.workspaces.find((w) => w.id === selectedId) ?? me.workspaces[0];
    return { me, workspaces: me.workspaces, workspace, role: workspace?.role, selectWorkspace };
  }, [me, selectedId, selectWorkspace]);
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceState {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace outside WorkspaceProvider');
  return value;
}
