// Werkwijzer's editors' UI: start-up, the page frame and the router.
// Routes live in the URL fragment (#/entry/<id>); tokens never do.

import { h, replace } from './dom.js';
import { t, lang, setLang, LANGUAGES, onLangChange, reasonText } from './i18n.js';
import * as session from './session.js';
import { locales, onConnection, waitingForServer } from './api.js';
import { loginView } from './views/login.js';
import { dashboardView } from './views/dashboard.js';
import { editorView } from './views/editor.js';
import { createView } from './views/create.js';
import { revisionsView } from './views/revisions.js';
import { usersView } from './views/users.js';
import { sourcesView, vacanciesView } from './views/vacancies.js';

const routes = [
  { pattern: /^\/?$/, view: dashboardView },
  { pattern: /^\/entry\/([^/]+)$/, view: editorView, params: ['id'] },
  { pattern: /^\/entry\/([^/]+)\/revisions$/, view: revisionsView, params: ['id'] },
  { pattern: /^\/new\/(ARTICLE|ROLE|COMPARISON|FAQ)$/, view: createView, params: ['type'] },
  { pattern: /^\/users$/, view: usersView, role: 'ADMIN' },
  { pattern: /^\/sources$/, view: sourcesView, role: 'ADMIN' },
  { pattern: /^\/vacancies$/, view: vacanciesView },
];

const RANK = { TRANSLATOR: 1, EDITOR: 2, ADMIN: 3 };

/** can tells whether the signed-in user holds at least role. */
export function can(role) {
  const u = session.currentUser();
  return Boolean(u && RANK[u.role] >= RANK[role]);
}

/** mayEditLocale: translators edit only their locales, editors and admins all. */
export function mayEditLocale(code) {
  const u = session.currentUser();
  if (!u) return false;
  return u.role !== 'TRANSLATOR' || u.locales.includes(code);
}

const app = {
  header: null,
  connection: null,
  notice: null,
  main: null,
  current: null, // { view, destroy, rerender, flush }
  signedIn: false,
  sessionMessage: '',
};

/**
 * notify shows a status message in the live region at the top of the
 * page. It goes away with the next page, unless keep is set (for a message
 * about the navigation that follows it).
 */
export function notify(message, kind = 'info', { keep = false } = {}) {
  if (!app.notice) return;
  const box = h('div', { class: ['notice', `notice-${kind}`], 'data-keep': keep ? '1' : null },
    h('span', null, message),
    h('button', { type: 'button', class: 'link', 'aria-label': t('common.dismiss'), onclick: () => box.remove() }, '×'));
  replace(app.notice, box);
}

/**
 * renderConnection says, calmly and apart from the page's own notices,
 * that requests wait for the server and will go out by themselves.
 */
function renderConnection() {
  if (!waitingForServer()) {
    app.connection.replaceChildren();
    return;
  }
  replace(app.connection, h('div', { class: ['notice', 'notice-warning'], id: 'connection-status' },
    h('span', null, t('connection.retrying'))));
}

export function clearNotice() {
  if (app.notice) app.notice.replaceChildren();
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderHeader() {
  const u = session.currentUser();
  const link = (href, label) => {
    const active = (location.hash || '#/') === href || (href !== '#/' && (location.hash || '').startsWith(href));
    return h('a', { href, 'aria-current': active ? 'page' : null }, label);
  };
  const langSelect = h('select', {
    id: 'ui-language',
    onchange: (e) => setLang(e.target.value),
  }, LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === lang() }, l.name)));
  replace(app.header,
    h('a', { class: 'skip-link', href: '#main', onclick: (e) => { e.preventDefault(); app.main.focus(); } }, t('nav.skip')),
    h('a', { class: 'brand', href: '#/' }, 'Werkwijzer'),
    app.signedIn && u ? h('nav', { 'aria-label': t('nav.label') },
      link('#/', t('nav.dashboard')),
      link('#/vacancies', t('nav.vacancies')),
      can('ADMIN') && link('#/sources', t('nav.sources')),
      can('ADMIN') && link('#/users', t('nav.users'))) : h('span', { class: 'nav-spacer' }),
    h('div', { class: 'account' },
      h('label', { class: 'lang-switch', for: 'ui-language' }, h('span', { class: 'sr-only' }, t('nav.language')), langSelect),
      app.signedIn && u && h('span', { class: 'who', title: u.email },
        h('span', { class: 'who-email' }, u.email), ' ', h('span', { class: 'badge badge-role' }, t(`role.${u.role}`))),
      app.signedIn && u && h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: logout }, t('nav.logout'))));
}

async function logout() {
  if (app.current && app.current.flush) app.current.flush();
  await session.logout();
}

let routeSeq = 0;

async function route() {
  const seq = ++routeSeq;
  if (app.current && app.current.destroy) app.current.destroy();
  for (const box of [...app.notice.children]) {
    if (box.dataset.keep) delete box.dataset.keep;
    else box.remove();
  }
  app.current = null;
  renderHeader();
  if (!app.signedIn) {
    showLogin();
    return;
  }
  const path = (location.hash || '#/').slice(1);
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.role && !can(r.role)) break;
    const params = {};
    (r.params || []).forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
    // The view builds its page in a container of its own, which replaces
    // the page only if no other route started meanwhile; a slow view that
    // finishes late must not cover the page the user went on to.
    const view = h('div', { class: 'view' });
    app.main.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
    try {
      const handle = await r.view(view, params);
      if (seq !== routeSeq) {
        if (handle && handle.destroy) handle.destroy();
        return;
      }
      app.main.replaceChildren(view);
      app.current = handle || {};
    } catch (err) {
      if (seq !== routeSeq || (err && err.code === 'SESSION_ENDED')) return;
      replace(app.main, h('h1', { tabindex: '-1' }, t('common.error')), h('p', { class: 'error' }, errorText(err)));
    }
    focusHeading();
    return;
  }
  replace(app.main, h('h1', { tabindex: '-1' }, t('common.notFound')), h('p', null, h('a', { href: '#/' }, t('nav.dashboard'))));
  focusHeading();
}

function focusHeading() {
  const h1 = app.main.querySelector('h1');
  if (h1) {
    document.title = `${h1.textContent} — Werkwijzer`;
    h1.focus({ preventScroll: true });
  }
}

function showLogin() {
  loginView(app.main, {
    message: app.sessionMessage,
    onSignedIn: () => {
      app.sessionMessage = '';
      app.signedIn = true;
      route();
    },
  });
  focusHeading();
}

/** errorText turns an error from the API into a sentence for the editor. */
export function errorText(err) {
  if (!err) return t('common.error');
  switch (err.code) {
    case 'NETWORK':
    case 'UNAVAILABLE': return t('error.network');
    case 'FORBIDDEN': return t('error.forbidden');
    case 'NOT_FOUND': return t('error.notFound');
    case 'RATE_LIMITED': return t('error.rateLimited');
    case 'INTERNAL': return t('error.internal');
    case 'BAD_USER_INPUT': return reasonText(err.extensions) || err.message || t('common.error');
    default: return err.message || t('common.error');
  }
}

async function start() {
  document.documentElement.lang = lang();
  app.header = document.getElementById('top');
  app.connection = document.getElementById('connection');
  app.notice = document.getElementById('notice');
  onConnection(renderConnection);
  app.main = document.getElementById('main');
  session.on('ended', ({ expired }) => {
    if (app.current && app.current.flush) app.current.flush();
    app.signedIn = false;
    app.sessionMessage = expired ? t('login.expired') : t('login.signedOut');
    route();
  });
  session.on('changed', () => { if (app.signedIn) renderHeader(); });
  onLangChange(() => {
    document.documentElement.lang = lang();
    renderHeader();
    renderConnection();
    if (app.current && app.current.rerender) app.current.rerender();
    else route();
    if (app.main.querySelector('h1')) document.title = `${app.main.querySelector('h1').textContent} — Werkwijzer`;
  });
  window.addEventListener('hashchange', route);
  renderHeader();
  replace(app.main, h('p', { class: 'loading' }, t('common.loading')));
  try {
    await locales();
    const restored = await session.restore();
    if (restored && restored.duplicate) app.sessionMessage = t('login.duplicate');
    app.signedIn = Boolean(restored && !restored.duplicate);
  } catch (err) {
    replace(app.main, h('h1', { tabindex: '-1' }, t('common.error')), h('p', { class: 'error' }, errorText(err)));
    return;
  }
  route();
}

start();
