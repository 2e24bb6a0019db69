import { csrfHeaders, languageHeaders } from './client';
import { ApiError, toApiError } from './errors';

/** The file name the server gives (RFC 5987 `filename*`), else a fallback. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // fall through
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/** Saves a blob under a name, as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Fetches a file and saves it under the name the server gives (else `fallback`): for downloads the
 * server may refuse with a reason (a 409 in words) that a plain link would show as raw JSON.
 * Rejects with the server's ApiError.
 */
export async function downloadFile(url: string, init: RequestInit, fallback: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      ...init,
      headers: {
        ...languageHeaders(),
        ...(init.method && init.method !== 'GET' ? csrfHeaders() : {}),
        ...init.headers,
      },
    });
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'NETWORK', message: cause instanceof Error ? cause.message : '' });
  }
  if (!response.ok) {
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      data = undefined;
    }
    throw toApiError(response.status, data);
  }
  saveBlob(await response.blob(), fileNameOf(response.headers.get('content-disposition'), fallback));
}
