import { csrfHeaders, languageHeaders } from './client';
import { ApiError, toApiError } from './errors';
import type { UploadedFile } from './types';

/**
 * Sends a multipart form with XMLHttpRequest, because fetch reports no upload progress and a
 * large workbook or scan can take a while on an office uplink. Resolves with the JSON answer or
 * rejects with the same ApiError as `call` (status 0 for a network failure, code ABORTED when
 * `signal` aborts).
 */
export function postForm<T>(
  url: string,
  form: FormData,
  { onProgress, signal }: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries({ ...csrfHeaders(), ...languageHeaders() })) {
      xhr.setRequestHeader(name, value);
    }
    xhr.setRequestHeader('Accept', 'application/json');
    if (onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
      xhr.upload.onload = () => onProgress(1);
    }
    xhr.onload = () => {
      let data: unknown = undefined;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(toApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK', message: '' }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'ABORTED', message: '' }));
    if (signal) {
      if (signal.aborted) {
        reject(new ApiError({ status: 0, code: 'ABORTED', message: '' }));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/** Uploads one file of the organisation (the stored, hashed original), reporting progress. */
export function uploadEvidenceFile(
  orgId: string,
  file: File,
  onProgress?: (fraction: number) => void,
): Promise<UploadedFile> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm<UploadedFile>(`/api/orgs/${encodeURIComponent(orgId)}/files`, form, { onProgress });
}
