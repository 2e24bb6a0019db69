import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, setCsrfToken } from './client';
import { ApiError } from './errors';
import { queryKeys } from './keys';
import type { LoginInput, Me, SetupInput } from './types';

/** Whether the first administrator still has to be created. */
export function useSetupStatus() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: () => call(api.GET('/api/setup')),
    staleTime: Infinity,
  });
}

/** The signed-in user and their workspaces; `null` when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await call(api.GET('/api/me'));
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => call(api.POST('/api/setup', { body: input })),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      client.setQueryData(queryKeys.setup, { needed: false });
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => call(api.POST('/api/auth/login', { body: input })),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/auth/logout')),
    onSettled: () => {
      setCsrfToken(null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.setup[0] });
      client.setQueryData(queryKeys.me, null);
    },
  });
}

/** Changes the signed-in user's password; their other sessions end on the server. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      call(api.POST('/api/me/password', { body })),
  });
}
