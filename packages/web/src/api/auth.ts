import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, setCsrfToken } from './client';
import { ApiError } from './errors';
import { queryKeys } from './keys';
import type { AcceptInvitationInput, LoginInput, Me, PasswordResetConfirmInput, SetupInput } from './types';

/** Whether the first administrator still has to be created. */
export function useSetupStatus() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: async () => {
      try {
        return await call(api.GET('/api/setup'));
      } catch (error) {
        // A session still on its temporary password is refused everything but /api/me and the
        // password change, this too: an account exists, so set-up is done.
        if (error instanceof ApiError && error.status === 403) return { needed: false };
        throw error;
      }
    },
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

/**
 * Changes the signed-in user's password; their other sessions end on the server. Reloads /api/me,
 * which clears `mustChangePassword` after a temporary password was replaced.
 */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      call(api.POST('/api/me/password', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.me }),
  });
}

/** Asks for a reset link by e-mail; the server answers the same whether or not the address has an account. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => call(api.POST('/api/auth/password-reset', { body: { email } })),
  });
}

/** Sets a new password with the token of a reset link; every session of that account ends. */
export function useConfirmPasswordReset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordResetConfirmInput) => call(api.POST('/api/auth/password-reset/confirm', { body })),
    // Whoever was signed in here may have been signed out by the reset: ask the server again.
    onSuccess: () => client.resetQueries({ queryKey: queryKeys.me }),
  });
}

/** What an invitation link offers (workspace, inviter, role); a 404 when it is invalid, used or expired. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: queryKeys.invitation(token),
    queryFn: () => call(api.GET('/api/invitations/{token}', { params: { path: { token } } })),
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
    // Gone with the page: a link used once must not look valid when opened again.
    gcTime: 0,
  });
}

/**
 * Accepts an invitation: signed in as the invited address, `{}` joins the workspace; otherwise
 * `{name, password}` creates the account and signs it in (the session cookie is set).
 */
export function useAcceptInvitation(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitationInput) =>
      call(api.POST('/api/invitations/{token}/accept', { params: { path: { token } }, body })),
    onSuccess: async (result) => {
      if (result.csrfToken) setCsrfToken(result.csrfToken);
      // The page shows the preview until the app opens; it is dropped when the page goes (gcTime 0).
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
