// The dashboard: every entry with where each locale stands, and what still
// needs translating.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import * as session from '../session.js';
import * as unsaved from '../unsaved.js';
import { TYPES } from '../model.js';
import { formatDate, statusBadge, typeName, localeName } from '../format.js';
import { can, mayEditLocale } from '../app.js';
import { loadScheduled, scheduledSection } from './schedule.js';

const LIST = `query Entries($after: String) {
  entries(first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id type version label updatedAt updatedBy { email }
      status { locale exists published draftDiffers missingFields outdatedFields untranslatedFields } } }
  }
}`;

/** allEntries pages through entries(). */
export async function allEntries(type) {
  const out = [];
  let after = null;
  const query = type ? LIST.replace('entries(first: 100', `entries(type: ${type}, first: 100`) : LIST;
  for (;;) {
    const data = await gql(query, { after });
    out.push(...data.entries.edges.map((e) => e.node));
    if (!data.entries.pageInfo.hasNextPage) return out;
    after = data.entries.pageInfo.endCursor;
  }
}

async function needsTranslation(codes) {
  if (!codes.length) return {};
  const decls = codes.map((_, i) => `$l${i}: String!`).join(', ');
  const fields = codes.map((_, i) => `l${i}: needsTranslation(locale: $l${i}, first: 100) { edges { node { entry { id type label } status { exists missingFields outdatedFields untranslatedFields } } } }`).join(' ');
  const vars = {};
  codes.forEach((c, i) => { vars[`l${i}`] = c; });
  const data = await gql(`query Work(${decls}) { ${fields} }`, vars);
  const out = {};
  codes.forEach((c, i) => { out[c] = data[`l${i}`].edges.map((e) => e.node); });
  return out;
}

export async function dashboardView(main) {
  const locales = await getLocales();
  const codes = locales.map((l) => l.code);
  const editable = codes.filter(mayEditLocale);
  const [entries, work, scheduled] = await Promise.all([allEntries(), needsTranslation(editable), loadScheduled()]);
  let filter = '';

  const render = () => {
    const user = session.currentUser();
    const pending = new Set(unsaved.entries(user.id));
    const byType = Object.fromEntries(TYPES.map((ty) => [ty, []]));
    for (const e of entries) if (byType[e.type]) byType[e.type].push(e);
    const match = (e) => !filter || e.label.toLowerCase().includes(filter.toLowerCase());

    const search = h('input', {
      id: 'dashboard-filter', type: 'search', value: filter, autocomplete: 'off',
      oninput: (e) => { filter = e.target.value; renderTables(); },
    });
    const tables = h('div', { class: 'dashboard-tables' });
    const renderTables = () => {
      replace(tables, TYPES.map((type) => section(type, byType[type].filter(match))));
    };

    const section = (type, list) => h('section', { class: 'card entry-list', 'aria-labelledby': `list-${type}` },
      h('div', { class: 'section-head' },
        h('h2', { id: `list-${type}` }, typeName(type, true), ' ', h('span', { class: 'count' }, `(${list.length})`)),
        can('EDITOR') && h('a', { class: 'button secondary', href: `#/new/${type}`, id: `new-${type}` }, t(`dashboard.new.${type}`))),
      list.length === 0
        ? h('p', { class: 'muted' }, filter ? t('dashboard.noMatch') : t('dashboard.empty'))
        : h('div', { class: 'table-wrap' }, h('table', { class: 'entries' },
          h('caption', { class: 'sr-only' }, typeName(type, true)),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col', class: 'col-title' }, t('dashboard.col.title')),
            codes.map((c) => h('th', { scope: 'col', class: 'col-locale' }, localeName(locales, c))),
            h('th', { scope: 'col', class: 'col-updated' }, t('dashboard.col.updated')))),
          h('tbody', null, list.map((e) => h('tr', { 'data-entry': e.id },
            h('th', { scope: 'row' },
              h('a', { href: `#/entry/${encodeURIComponent(e.id)}` }, e.label),
              pending.has(e.id) && h('span', { class: 'badge badge-unsaved' }, t('dashboard.unsaved'))),
            codes.map((c) => h('td', { 'data-locale': c, 'data-label': localeName(locales, c) }, statusBadge(e.status.find((s) => s.locale === c)))),
            h('td', { class: 'muted', 'data-label': t('dashboard.col.updated') }, formatDate(e.updatedAt), e.updatedBy ? h('span', { class: 'by' }, ` · ${e.updatedBy.email}`) : null)))))));

    const workList = editable.filter((c) => work[c] && work[c].length);
    const workSection = h('section', { class: 'card work', 'aria-labelledby': 'work-title' },
      h('h2', { id: 'work-title' }, t('dashboard.work')),
      workList.length === 0
        ? h('p', { class: 'muted' }, t('dashboard.workNone'))
        : workList.map((c) => h('div', { class: 'work-locale' },
          h('h3', null, localeName(locales, c), ' ', h('span', { class: 'count' }, `(${work[c].length})`)),
          h('ul', { class: 'work-items' }, work[c].map((w) => h('li', null,
            h('a', { href: `#/entry/${encodeURIComponent(w.entry.id)}` }, w.entry.label),
            ' ', h('span', { class: 'muted' }, `${typeName(w.entry.type)} · `, reason(w.status))))))));

    const pendingList = entries.filter((e) => pending.has(e.id));
    replace(main,
      h('div', { class: 'page-head' },
        h('h1', { tabindex: '-1' }, t('dashboard.title')),
        h('div', { class: 'field inline' }, h('label', { for: 'dashboard-filter' }, t('dashboard.filter')), search)),
      pendingList.length > 0 && h('div', { class: 'notice notice-warning', role: 'note' },
        t('dashboard.pending'), ' ',
        pendingList.map((e, i) => [i ? ', ' : '', h('a', { href: `#/entry/${encodeURIComponent(e.id)}` }, e.label)])),
      h('div', { class: 'dashboard' }, workSection, scheduledSection(scheduled, locales), tables));
    renderTables();
  };
  render();
  return { rerender: render };
}

function reason(st) {
  if (!st.exists) return t('work.missing');
  const parts = [];
  if (st.missingFields.length) parts.push(t('work.incomplete', { n: st.missingFields.length }));
  if (st.outdatedFields.length) parts.push(t('work.outdated', { n: st.outdatedFields.length }));
  if (st.untranslatedFields && st.untranslatedFields.length) parts.push(t('work.untranslated', { n: st.untranslatedFields.length }));
  return parts.join(', ');
}
