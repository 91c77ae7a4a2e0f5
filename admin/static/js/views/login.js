// The sign-in page.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as session from '../session.js';
import { errorText } from '../app.js';

export function loginView(main, { message, onSignedIn }) {
  const email = h('input', { id: 'login-email', type: 'email', name: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { id: 'login-password', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'login-submit' }, t('login.submit'));
  const form = h('form', {
    class: 'login-form',
    method: 'post',
    'aria-describedby': 'login-error',
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      submit.textContent = t('login.busy');
      try {
        await session.login(email.value.trim(), password.value);
        password.value = '';
        onSignedIn();
      } catch (err) {
        submit.disabled = false;
        submit.textContent = t('login.submit');
        if (err.code === 'UNAUTHENTICATED' || err.code === 'BAD_USER_INPUT') error.textContent = t('login.failed');
        else if (err.code === 'RATE_LIMITED') error.textContent = t('login.rateLimited');
        else error.textContent = errorText(err);
        password.focus();
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'login-email' }, t('login.email')), email),
  h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
  error,
  h('div', { class: 'actions' }, submit));

  replace(main, h('section', { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title', tabindex: '-1' }, t('login.title')),
    message && h('p', { class: 'notice notice-warning', role: 'status' }, message),
    h('p', { class: 'muted' }, t('login.intro')),
    form,
    h('details', { class: 'hint' },
      h('summary', null, t('login.noAccount')),
      h('p', null, t('login.noAccountHelp')),
      h('pre', null, h('code', null, 'werkwijzer user create --email you@example.com --role ADMIN')))));
  return {};
}
