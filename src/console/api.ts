/** The API client: every request carries the session's credential; failures become ApiError with the API's message. */

export type Credential = { kind: 'token'; token: string } | { kind: 'key'; key: string };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export interface Api {
  readonly credential: Credential;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  del(path: string): Promise<void>;
  /** The raw response (the caller reads a stream from it). */
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** A URL an <audio> element can load: `?token=` with a login, the fetched bytes as a blob: URL with an API key. */
  mediaUrl(path: string): Promise<string>;
}

export const API_BASE = '/api/v1';

export function createApi(credential: Credential, onUnauthorized: () => void): Api {
  const headers = (): Record<string, string> =>
    credential.kind === 'token' ? { authorization: `Bearer ${credential.token}` } : { 'x-api-key': credential.key };

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(apiUrl(path), { ...init, headers: { ...headers(), ...(init.headers as Record<string, string> | undefined) } });

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await raw(path, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (res.status === 401) onUnauthorized();
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; code?: string; details?: unknown };
      throw new ApiError(res.status, e.code ?? 'http_error', e.error ?? `${method} ${path}: HTTP ${res.status}`, e.details);
    }
    return json as T;
  };

  return {
    credential,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    del: (path) => request('DELETE', path),
    raw,
    async mediaUrl(path) {
      const url = apiUrl(path);
      if (credential.kind === 'token') {
        const sep = url.includes('?') ? '&' : '?';
        return `${url}${sep}token=${encodeURIComponent(credential.token)}&t=${Date.now()}`;
      }
      const res = await raw(url);
      if (!res.ok) throw new ApiError(res.status, 'http_error', `Could not load the audio (HTTP ${res.status})`, null);
      return URL.createObjectURL(await res.blob());
    },
  };
}

/** `/ivrs` → `/api/v1/ivrs`; a path already under /api/ stays as it is. */
export function apiUrl(path: string): string {
  return path.startsWith('/api/') ? path : `${API_BASE}${path}`;
}

/** The message to show for any failure (the API's messages already name the failing fields). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
