// The editor's session. The access token lives only in memory; the refresh
// token is kept in sessionStorage so the session survives a reload of the
// tab, and goes away with the tab.
//
// A refresh token works once: presenting it twice makes the server end the
// whole session. So refreshes are serialized (one promise in flight), and
// the tab holds a Web Lock named after the session for as long as it uses
// it. A duplicated tab gets a copy of sessionStorage, finds the lock taken
// and drops its copy instead of replaying the other tab's token.

import { post, retrying, GraphQLError } from './api.js';
import { uuid } from './util.js';

const STORE = 'werkwijzer.session';
const SESSION_FIELDS = 'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email role locales }';
const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation Refresh($t: String!) { refreshToken(refreshToken: $t) { ${SESSION_FIELDS} } }`;
const LOGOUT = 'mutation Logout($t: String!) { logout(refreshToken: $t) }';

/** SessionEnded means the user must sign in again. */
export class SessionEnded extends Error {
  constructor(message = 'session ended') {
    super(message);
    this.name = 'SessionEnded';
    this.code = 'SESSION_ENDED';
  }
}

let access = null; // { token, expiresAt, refreshAt } in this tab's clock
let user = null;
let familyId = null;
let refreshing = null;
let timer = null;
let releaseLock = null;
const listeners = { changed: new Set(), ended: new Set() };

export function on(event, fn) {
  listeners[event].add(fn);
  return () => listeners[event].delete(fn);
}

function emit(event, detail) {
  for (const fn of listeners[event]) fn(detail);
}

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE));
  } catch {
    return null;
  }
}

export function currentUser() {
  return user;
}

/** lifetime reads how long an access token lives from its own iat and exp, so a skewed client clock does not matter. */
function lifetime(token, expiresAt) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (payload.exp && payload.iat && payload.exp > payload.iat) return (payload.exp - payload.iat) * 1000;
  } catch { /* not a JWT we can read; use the server's time */ }
  return Math.max(0, Date.parse(expiresAt) - Date.now());
}

function apply(s) {
  const life = lifetime(s.accessToken, s.accessTokenExpiresAt);
  const now = Date.now();
  // Refresh a minute early, or a quarter of the lifetime for short tokens.
  const margin = Math.min(60_000, life / 4);
  access = { token: s.accessToken, expiresAt: now + life, refreshAt: now + life - margin };
  user = s.user;
  sessionStorage.setItem(STORE, JSON.stringify({
    refreshToken: s.refreshToken, refreshTokenExpiresAt: s.refreshTokenExpiresAt, user: s.user, familyId,
  }));
  schedule();
  emit('changed', user);
}

function schedule(delay) {
  clearTimeout(timer);
  if (!access) return;
  const wait = delay ?? Math.max(0, access.refreshAt - Date.now());
  timer = setTimeout(() => {
    // An unreachable or failing server is not the end of the session:
    // keep trying until it answers. Only the server's refusal of the
    // refresh token (SessionEnded) ends it.
    retrying(refresh, { forever: true }).catch((err) => {
      if (!(err instanceof SessionEnded) && access) schedule(15_000);
    });
  }, wait);
}

async function holdFamily(id) {
  if (releaseLock) {
    releaseLock();
    releaseLock = null;
  }
  if (!navigator.locks || !id) return true; // plain HTTP: no Web Locks
  return new Promise((resolve) => {
    const controller = new AbortController();
    // The lock of the page this one replaced (a reload) is released as
    // that page goes away; a duplicated tab's original keeps it.
    const timeout = setTimeout(() => controller.abort(), 2_000);
    navigator.locks.request(`werkwijzer-session-${id}`, { signal: controller.signal }, () => {
      clearTimeout(timeout);
      resolve(true);
      return new Promise((release) => { releaseLock = release; });
    }).catch(() => {
      clearTimeout(timeout);
      resolve(false);
    });
  });
}

/** login signs in; it throws the server's GraphQLError on failure. */
export async function login(email, password) {
  const body = await post(LOGIN, { email, password }, null);
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors, body.data);
  familyId = uuid();
  await holdFamily(familyId);
  apply(body.data.login);
  return user;
}

/**
 * restore resumes the session stored in this tab, if any. It returns the
 * user, null when there is none (or it ended), or { duplicate: true } when
 * another tab already uses the stored session.
 */
export async function restore() {
  const stored = read();
  if (!stored || !stored.refreshToken) return null;
  if (Date.parse(stored.refreshTokenExpiresAt) <= Date.now()) {
    sessionStorage.removeItem(STORE);
    return null;
  }
  familyId = stored.familyId;
  user = stored.user;
  if (!(await holdFamily(familyId))) {
    sessionStorage.removeItem(STORE);
    familyId = null;
    user = null;
    return { duplicate: true };
  }
  try {
    await retrying(refresh);
    return user;
  } catch (err) {
    if (err instanceof SessionEnded) return null;
    throw err;
  }
}

/** refresh exchanges the refresh token for a new session; concurrent callers share one request. */
export function refresh() {
  if (!refreshing) {
    refreshing = doRefresh().finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function doRefresh() {
  const stored = read();
  if (!stored || !stored.refreshToken) {
    end();
    throw new SessionEnded();
  }
  // A failed request (NetworkError) or a failing server keeps the
  // session: only UNAUTHENTICATED says the refresh token is no good.
  const body = await post(REFRESH, { t: stored.refreshToken }, null);
  if (body.data && body.data.refreshToken) {
    apply(body.data.refreshToken);
    return;
  }
  const err = new GraphQLError(body.errors || [], body.data);
  if (err.code === 'UNAUTHENTICATED') {
    end();
    throw new SessionEnded();
  }
  throw err;
}

/** accessToken returns a token that is good for a while, refreshing first when it is about to run out. */
export async function accessToken() {
  if (!access || Date.now() >= access.refreshAt) await refresh();
  return access.token;
}

/** renewAfterRefusal is called when the server refused token: refresh unless another call already did. */
export async function renewAfterRefusal(token) {
  if (access && access.token !== token && Date.now() < access.refreshAt) return access.token;
  await refresh();
  return access.token;
}

/** expire ends the session because the server no longer accepts it. */
export function expire() {
  end();
}

function end() {
  const hadSession = access !== null || read() !== null;
  clearTimeout(timer);
  access = null;
  sessionStorage.removeItem(STORE);
  if (releaseLock) {
    releaseLock();
    releaseLock = null;
  }
  if (hadSession) emit('ended', { expired: true });
}

/** logout ends the session on the server and here. */
export async function logout() {
  const stored = read();
  clearTimeout(timer);
  access = null;
  user = null;
  sessionStorage.removeItem(STORE);
  if (releaseLock) {
    releaseLock();
    releaseLock = null;
  }
  if (stored && stored.refreshToken) {
    try {
      await post(LOGOUT, { t: stored.refreshToken }, null);
    } catch { /* signed out here either way */ }
  }
  emit('ended', { expired: false });
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && access && Date.now() >= access.refreshAt) {
    refresh().catch(() => {}); // the scheduled refresh keeps trying
  }
});
