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

/** NetworkError means the server could not be reached or answered garbage. */
export class NetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NetworkError';
    this.code = 'NETWORK';
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
 * too the session has ended and the app shows the login page.
 */
export async function gql(query, variables) {
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

/** anonymous runs a query without credentials (login, public reads). */
export async function anonymous(query, variables) {
  const body = await post(query, variables, null);
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors, body.data);
  return body.data;
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
