import createClient, { type Middleware } from 'openapi-fetch';
import { currentLanguage } from '../i18n';
import { ApiError, toApiError } from './errors';
import type { paths } from './schema';

let csrfToken: string | null = null;

/** Remembers the CSRF token from login, setup or /api/me; cookie-authenticated writes send it. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

/**
 * The language chosen in the app, not the browser's: the server words its messages (validation
 * above all) in it.
 */
export function languageHeaders(): Record<string, string> {
  return { 'Accept-Language': currentLanguage() };
}

const languageMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLanguage());
    return request;
  },
};

/** The typed API client (types from the server's OpenAPI document). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrfMiddleware);
api.use(languageMiddleware);

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError carrying the server's
 * `{error:{code, message, field}}` (status 0 for a network failure).
 */
export async function call<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'NETWORK', message: cause instanceof Error ? cause.message : '' });
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

/** Headers a cookie-authenticated write needs (the CSRF token), for requests made with plain fetch. */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/**
 * A JSON request with plain fetch (multipart uploads, and routes not yet in the generated types):
 * the same error handling as `call`.
 */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: { query?: Record<string, string | number | boolean | undefined | null>; body?: unknown } = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  const headers: Record<string, string> = { ...languageHeaders(), ...(SAFE_METHODS.has(method) ? {} : csrfHeaders()) };
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(qs ? `${url}?${qs}` : url, {
      method,
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'NETWORK', message: cause instanceof Error ? cause.message : '' });
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) throw toApiError(response.status, data);
  return data as T;
}
