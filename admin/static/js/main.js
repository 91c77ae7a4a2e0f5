// Werkwijzer's editors' UI: start-up, the page frame and the router. What
// the views share (permissions, notices, navigation) lives in app.js.
// Routes live in the URL fragment (#/entry/<id>); tokens never do.

import { h, replace } from './dom.js';
import { t, lang, setLang, LANGUAGES, onLangChange } from './i18n.js';
import * as session from './session.js';
import { locales, onConnection, waitingForServer } from './api.js';
import { can, errorText } from './app.js';
import { loginView } from './views/login.js';
import { dashboardView } from './views/dashboard.js';
import { editorView } from './views/editor.js';
import { createView } from './views/create.js';
import { revisionsView } from './views/revisions.js';
import { usersView } from './views/users.js';
import { sourcesView } from './views/sources.js';
import { vacanciesView } from './views/vacancies.js';
import { webhooksView, webhooksNavLabel } from './views/webhooks.js';

const routes = [
  { pattern: /^\/?$/, view: dashboardView },
  { pattern: /^\/entry\/([^/]+)$/, view: editorView, params: ['id'] },
  { pattern: /^\/entry\/([^/]+)\/revisions$/, view: revisionsView, params: ['id'] },
  { pattern: /^\/new\/(ARTICLE|ROLE|COMPARISON|FAQ)$/, view: createView, params: ['type'] },
  { pattern: /^\/users$/, view: usersView, role: 'ADMIN' },
  { pattern: /^\/sources$/, view: sourcesView, role: 'ADMIN' },
  { pattern: /^\/webhooks$/, view: webhooksView, role: 'ADMIN' },
  { pattern: /^\/vacancies$/, view: vacanciesView },
];

const app = {
  header: null,
  connection: null,
  notice: null,
  main: null,
  current: null, // { view, destroy, rerender, flush }
  signedIn: false,
  sessionMessage: '',
  menuOpen: false, // the phone menu
};

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
  // On a phone the links and the account sit behind a menu button, so the
  // bar stays one line high; on wider screens the wrapper lays out as if
  // it were not there.
  const signedIn = app.signedIn && u;
  const toggle = signedIn && h('button', {
    type: 'button', class: 'menu-toggle secondary', id: 'menu-toggle', 'aria-expanded': app.menuOpen ? 'true' : 'false', 'aria-controls': 'top-menu',
    onclick: () => { app.menuOpen = !app.menuOpen; renderHeader(); document.getElementById('menu-toggle').focus(); },
  }, h('span', { 'aria-hidden': 'true' }, app.menuOpen ? '✕' : '☰'), ' ', t('nav.menu'));
  app.header.classList.toggle('open', Boolean(app.menuOpen));
  replace(app.header,
    h('a', { class: 'skip-link', href: '#main', onclick: (e) => { e.preventDefault(); app.main.focus(); } }, t('nav.skip')),
    h('a', { class: 'brand', href: '#/' }, 'Werkwijzer'),
    toggle,
    h('div', { class: 'top-menu', id: 'top-menu' },
      signedIn ? h('nav', { 'aria-label': t('nav.label') },
        link('#/', t('nav.dashboard')),
        link('#/vacancies', t('nav.vacancies')),
        can('ADMIN') && link('#/sources', t('nav.sources')),
        can('ADMIN') && link('#/users', t('nav.users')),
        can('ADMIN') && link('#/webhooks', webhooksNavLabel())) : h('span', { class: 'nav-spacer' }),
      h('div', { class: 'account' },
        h('label', { class: 'lang-switch', for: 'ui-language' }, h('span', { class: 'sr-only' }, t('nav.language')), langSelect),
        signedIn && h('span', { class: 'who', title: u.email },
          h('span', { class: 'who-email' }, u.email), ' ', h('span', { class: 'badge badge-role' }, t(`role.${u.role}`))),
        signedIn && h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: logout }, t('nav.logout')))));
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
  app.menuOpen = false;
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

async function start() {
  document.documentElement.lang = lang();
  app.header = document.getElementById('top');
  // Escape closes the phone menu and gives the focus back to its button.
  app.header.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !app.menuOpen) return;
    app.menuOpen = false;
    renderHeader();
    document.getElementById('menu-toggle')?.focus();
  });
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
