/**
 * Signing in: email and password (POST /api/v1/auth/user-login → a token) or a pasted API key. The
 * credential lives in sessionStorage (gone with the tab); GET /api/v1/me says what it may do, and the page
 * shows edit controls only for what it may.
 */
import { ApiError, createApi, messageOf, type Api, type Credential } from './api.ts';
import { field, h, input, notify } from './dom.ts';
import type { Me } from './types.ts';

const KEY = 'switchboard.console.credential';

export interface Session {
  api: Api;
  me: Me;
  /** What the org is called (known after a password login). */
  orgName: string | null;
  can(permission: string): boolean;
  signOut(): void;
}

export function savedCredential(): Credential | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Credential & { orgName?: string }) : null;
    return parsed && (parsed.kind === 'token' || parsed.kind === 'key') ? parsed : null;
  } catch {
    return null;
  }
}

/** Drops the tab's credential (a refused one, or on sign-out). */
export function forgetCredential(): void {
  sessionStorage.removeItem(KEY);
}

function saveCredential(credential: Credential | null, orgName: string | null): void {
  if (credential) sessionStorage.setItem(KEY, JSON.stringify({ ...credential, orgName }));
  else forgetCredential();
}

/** Checks the credential with GET /me; null when it is refused. */
export async function openSession(credential: Credential, onSignOut: () => void): Promise<Session | null> {
  let signedOut = false;
  const signOut = () => {
    if (signedOut) return;
    signedOut = true;
    saveCredential(null, null);
    onSignOut();
  };
  const api = createApi(credential, signOut);
  try {
    const me = await api.get<Me>('/me');
    const orgName = (JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as { orgName?: string }).orgName ?? null;
    return { api, me, orgName, can: (p) => me.allowed.includes(p), signOut };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The sign-in screen; calls `done` with the accepted credential. */
export function loginView(done: (credential: Credential) => void): HTMLElement {
  const email = input('email', '', { type: 'email', autocomplete: 'username', required: true });
  const password = input('password', '', { type: 'password', autocomplete: 'current-password', required: true });
  const key = input('api_key', '', { autocomplete: 'off', placeholder: 'ak_…', spellcheck: 'false' });
  const error = h('p', { class: 'form-error', role: 'alert' });

  const withPassword = async (event: Event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const res = await fetch('/api/v1/auth/user-login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.value.trim(), password: password.value }),
      });
      const body = (await res.json()) as { token?: string; error?: string; user?: { org_name: string } };
      if (!res.ok || !body.token) throw new Error(body.error ?? `Login failed (HTTP ${res.status})`);
      const credential: Credential = { kind: 'token', token: body.token };
      saveCredential(credential, body.user?.org_name ?? null);
      done(credential);
    } catch (err) {
      error.textContent = messageOf(err);
    }
  };
  const withKey = (event: Event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value.startsWith('ak_')) {
      error.textContent = 'An API key starts with ak_';
      return;
    }
    const credential: Credential = { kind: 'key', key: value };
    saveCredential(credential, null);
    done(credential);
  };

  notify('');
  return h(
    'section',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Switchboard console'),
    h('form', { on: { submit: (e) => void withPassword(e) } },
      h('h2', {}, 'Sign in'),
      field('Email', email),
      field('Password', password),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    h('form', { on: { submit: withKey } },
      h('h2', {}, 'Or use an API key'),
      field('API key', key, 'What you can change follows the key\'s permissions'),
      h('button', { type: 'submit' }, 'Use key')),
    error,
  );
}

