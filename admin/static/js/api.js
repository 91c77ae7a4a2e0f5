// The GraphQL client: every call goes to /graphql on this origin with the
// access token in the Authorization header, never in the URL.

import * as session from './session.js';

/** GraphQLError carries the server's errors; code and extensions are the first error's. */
export class GraphQLError extends Error {
  constructor(errors, data) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLError';
    this.errors = errors;
    this.data = data;
    this.extensions = (errors[0] && errors[0].extensions) || {};
    this.code = this.extensions.code || 'UNKNOWN';
  }
}

/** NetworkError means the server could not be reached, failed with HTTP 5xx or answered garbage. */
export class NetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NetworkError';
    this.code = 'NETWORK';
  }
}

// Codes of failures that pass: the server (or its database) is down for a
// moment, not the request or the session wrong.
const TRANSIENT_CODES = new Set(['INTERNAL', 'UNAVAILABLE']);

/**
 * isTransient tells a failure worth retrying (the network, HTTP 5xx, a
 * GraphQL INTERNAL or UNAVAILABLE error) from an answer to act on.
 */
export function isTransient(err) {
  if (err instanceof NetworkError) return true;
  if (err instanceof GraphQLError) {
    return err.errors.length > 0 && err.errors.every((e) => TRANSIENT_CODES.has(e.extensions && e.extensions.code));
  }
  return false;
}

// Waits between attempts: short at first, so a blip goes unnoticed, then
// longer, about a minute and a half in all before giving up.
const RETRY_DELAYS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000, 15_000];

let retryingCount = 0;
const connectionListeners = new Set();

/** onConnection calls fn(true) when requests start waiting for the server, fn(false) when none waits any more. */
export function onConnection(fn) {
  connectionListeners.add(fn);
  return () => connectionListeners.delete(fn);
}

/** waitingForServer tells whether some request is waiting to be retried. */
export function waitingForServer() {
  return retryingCount > 0;
}

function countRetrying(delta) {
  const before = retryingCount > 0;
  retryingCount += delta;
  if (before !== retryingCount > 0) for (const fn of connectionListeners) fn(retryingCount > 0);
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * retrying runs fn again, with growing pauses, while it fails in a way
 * that passes; any other outcome (success, a refusal, the end of the
 * session) is returned or thrown at once. Without forever it gives up
 * after RETRY_DELAYS and throws the last failure.
 */
export async function retrying(fn, { forever = false } = {}) {
  let counted = false;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await fn();
      } catch (err) {
        if (!isTransient(err) || (!forever && attempt >= RETRY_DELAYS.length)) throw err;
        if (!counted) {
          counted = true;
          countRetrying(1);
        }
        // Jitter spreads the retries of many open tabs after an outage.
        const delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
        await sleep(delay * (0.75 + Math.random() / 2));
      }
    }
  } finally {
    if (counted) countRetrying(-1);
  }
}

const ENDPOINT = new URL('../graphql', document.baseURI).pathname;

/** post sends one GraphQL request and returns the decoded body. */
export async function post(query, variables, token) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST', headers, body: JSON.stringify({ query, variables: variables || {} }),
      credentials: 'omit', cache: 'no-store',
    });
  } catch (err) {
    throw new NetworkError(err.message);
  }
  // A proxy or the server itself failing (502, 503, 504...) says nothing
  // about the request or the session, whatever the body holds.
  if (res.status >= 500) throw new NetworkError(`HTTP ${res.status}`);
  let body;
  try {
    body = await res.json();
  } catch {
    throw new NetworkError(`HTTP ${res.status}`);
  }
  return body;
}

function unauthenticated(body) {
  return (body.errors || []).some((e) => e.extensions && e.extensions.code === 'UNAUTHENTICATED');
}

/**
 * gql runs a query as the signed-in user. When the server says the token is
 * no longer good it refreshes the session once and retries; when that fails
 * too the session has ended and the app shows the login page. While the
 * server is unreachable or failing it retries with growing pauses: an
 * outage neither ends the session nor loses the request.
 */
export function gql(query, variables) {
  return retrying(() => gqlOnce(query, variables));
}

async function gqlOnce(query, variables) {
  let token = await session.accessToken();
  let body = await post(query, variables, token);
  if (unauthenticated(body)) {
    token = await session.renewAfterRefusal(token);
    body = await post(query, variables, token);
    if (unauthenticated(body)) {
      session.expire();
      throw new GraphQLError(body.errors, body.data);
    }
  }
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors, body.data);
  return body.data;
}

/** anonymous runs a query without credentials (public reads), retrying while the server is unreachable. */
export function anonymous(query, variables) {
  return retrying(async () => {
    const body = await post(query, variables, null);
    if (body.errors && body.errors.length) throw new GraphQLError(body.errors, body.data);
    return body.data;
  });
}

let localesPromise = null;
/** locales returns the configured locales, the default first. */
export function locales() {
  if (!localesPromise) {
    localesPromise = anonymous('{ locales { code name isDefault } }').then((d) => d.locales)
      .catch((err) => { localesPromise = null; throw err; });
  }
  return localesPromise;
}

// Markdown previews: requests made in the same tick go out as one query
// with one aliased renderMarkdown per text, and answers are cached.
const previewCache = new Map();
let queue = [];
let scheduled = false;

export function renderMarkdown(markdown) {
  if (!markdown || !markdown.trim()) return Promise.resolve('');
  if (previewCache.has(markdown)) return previewCache.get(markdown);
  const p = new Promise((resolve, reject) => { queue.push({ markdown, resolve, reject }); });
  previewCache.set(markdown, p);
  p.catch(() => previewCache.delete(markdown));
  if (previewCache.size > 500) previewCache.delete(previewCache.keys().next().value);
  if (!scheduled) {
    scheduled = true;
    setTimeout(flushPreviews, 0);
  }
  return p;
}

async function flushPreviews() {
  scheduled = false;
  const all = queue;
  queue = [];
  // Keep each request well under the server's 1 MiB body limit.
  let batch = [];
  let size = 0;
  const batches = [];
  for (const item of all) {
    if (batch.length && (size + item.markdown.length > 256 * 1024 || batch.length >= 40)) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += item.markdown.length;
  }
  if (batch.length) batches.push(batch);
  for (const b of batches) {
    const vars = {};
    const decls = [];
    const fields = [];
    b.forEach((item, i) => {
      vars[`m${i}`] = item.markdown;
      decls.push(`$m${i}: String!`);
      fields.push(`r${i}: renderMarkdown(markdown: $m${i})`);
    });
    try {
      const data = await gql(`query Preview(${decls.join(', ')}) { ${fields.join(' ')} }`, vars);
      b.forEach((item, i) => item.resolve(data[`r${i}`]));
    } catch (err) {
      b.forEach((item) => item.reject(err));
    }
  }
}
