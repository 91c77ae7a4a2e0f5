// Accounts, for admins: create, change role and locales, deactivate.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import * as session from '../session.js';
import { formatDate, localeName } from '../format.js';
import { notify, errorText } from '../app.js';

const USER_FIELDS = 'id email role locales active createdAt lastLoginAt';
const LIST = `{ users { ${USER_FIELDS} } }`;
const CREATE = `mutation CreateUser($in: CreateUserInput!) { createUser(input: $in) { ${USER_FIELDS} } }`;
const UPDATE = `mutation UpdateUser($id: ID!, $in: UpdateUserInput!) { updateUser(id: $id, input: $in) { ${USER_FIELDS} } }`;
const ROLES = ['ADMIN', 'EDITOR', 'TRANSLATOR'];

function localeBoxes(locales, idBase, chosen, disabled) {
  return h('fieldset', { class: 'locale-boxes', disabled },
    h('legend', null, t('users.locales')),
    locales.map((l) => h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `${idBase}-${l.code}`, value: l.code, checked: chosen.includes(l.code) }),
      h('label', { for: `${idBase}-${l.code}` }, l.name))));
}

function checkedLocales(box) {
  return [...box.querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
}

export async function usersView(main) {
  const locales = await getLocales();
  let users = (await gql(LIST)).users;
  const me = session.currentUser();

  const render = (focusId) => {
    const email = h('input', { id: 'new-user-email', type: 'email', required: true, autocomplete: 'off' });
    const password = h('input', { id: 'new-user-password', type: 'password', required: true, minlength: '12', autocomplete: 'new-password', 'aria-describedby': 'new-user-password-help' });
    const newLocales = localeBoxes(locales, 'new-user-locale', [], true);
    const role = h('select', { id: 'new-user-role', onchange: () => { newLocales.disabled = role.value !== 'TRANSLATOR'; } },
      ROLES.map((r) => h('option', { value: r, selected: r === 'EDITOR' }, t(`role.${r}`))));
    const error = h('p', { class: 'error', role: 'alert', id: 'new-user-error' });
    const form = h('form', {
      class: 'card form-narrow', 'aria-labelledby': 'new-user-title',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        const input = { email: email.value.trim(), password: password.value, role: role.value };
        if (role.value === 'TRANSLATOR') input.locales = checkedLocales(newLocales);
        try {
          const created = (await gql(CREATE, { in: input })).createUser;
          users = [...users, created];
          render('new-user-email');
          notify(t('users.created', { email: created.email }), 'success');
        } catch (err) {
          error.textContent = err.code === 'CONFLICT' ? err.message : errorText(err);
        }
      },
    },
    h('h2', { id: 'new-user-title' }, t('users.new')),
    h('div', { class: 'field' }, h('label', { for: 'new-user-email' }, t('login.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'new-user-password' }, t('login.password')), password,
      h('p', { class: 'field-help', id: 'new-user-password-help' }, t('users.passwordHelp'))),
    h('div', { class: 'field' }, h('label', { for: 'new-user-role' }, t('users.role')), role),
    newLocales,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'new-user-submit' }, t('users.create'))));

    const row = (u) => {
      const base = `user-${u.id}`;
      const roleSel = h('select', { id: `${base}-role`, 'aria-label': t('users.roleOf', { email: u.email }) },
        ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
      const boxes = localeBoxes(locales, `${base}-locale`, u.locales, u.role !== 'TRANSLATOR');
      roleSel.addEventListener('change', () => { boxes.disabled = roleSel.value !== 'TRANSLATOR'; });
      const pw = h('input', { id: `${base}-password`, type: 'password', minlength: '12', autocomplete: 'new-password' });
      const update = async (input, focusId, message) => {
        try {
          const updated = (await gql(UPDATE, { id: u.id, in: input })).updateUser;
          users = users.map((x) => (x.id === u.id ? updated : x));
          render(focusId);
          notify(message, 'success');
        } catch (err) {
          notify(errorText(err), 'error');
        }
      };
      return h('tr', { 'data-user': u.email, class: u.active ? null : 'inactive' },
        h('th', { scope: 'row' }, u.email, u.id === me.id ? h('span', { class: 'muted small' }, ` (${t('users.you')})`) : null),
        h('td', null, roleSel),
        h('td', null, boxes),
        h('td', null, u.active ? t('users.active') : h('strong', null, t('users.inactive'))),
        h('td', { class: 'muted small' }, u.lastLoginAt ? formatDate(u.lastLoginAt) : t('users.never')),
        h('td', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'secondary small', id: `${base}-save`,
            onclick: () => {
              const input = { role: roleSel.value };
              if (roleSel.value === 'TRANSLATOR') input.locales = checkedLocales(boxes);
              update(input, `${base}-save`, t('users.updated', { email: u.email }));
            },
          }, t('users.save')),
          u.id !== me.id && h('button', {
            type: 'button', class: u.active ? 'secondary small danger-text' : 'secondary small', id: `${base}-active`,
            onclick: () => update({ active: !u.active }, `${base}-active`, t(u.active ? 'users.deactivated' : 'users.reactivated', { email: u.email })),
          }, u.active ? t('users.deactivate') : t('users.reactivate')),
          h('details', { class: 'set-password' },
            h('summary', null, t('users.setPassword')),
            h('label', { for: `${base}-password` }, t('users.newPassword')), pw,
            h('button', {
              type: 'button', class: 'secondary small', id: `${base}-password-save`,
              onclick: () => update({ password: pw.value }, `${base}-password-save`, t('users.passwordSet', { email: u.email })),
            }, t('users.save')))));
    };

    replace(main,
      h('h1', { tabindex: '-1' }, t('users.title')),
      h('p', { class: 'muted' }, t('users.intro', { locales: locales.map((l) => localeName(locales, l.code)).join(', ') })),
      h('div', { class: 'table-wrap card' }, h('table', { class: 'users' },
        h('caption', { class: 'sr-only' }, t('users.title')),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('login.email')),
          h('th', { scope: 'col' }, t('users.role')),
          h('th', { scope: 'col' }, t('users.locales')),
          h('th', { scope: 'col' }, t('users.status')),
          h('th', { scope: 'col' }, t('users.lastLogin')),
          h('th', { scope: 'col' }, t('revisions.col.actions')))),
        h('tbody', null, users.map(row)))),
      form);
    if (focusId) document.getElementById(focusId)?.focus();
  };
  render();
  return { rerender: () => render() };
}
