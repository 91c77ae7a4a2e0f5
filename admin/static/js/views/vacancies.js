// Vacancies as the sources sent them, grouped per role or per source, with
// each source's sync state. Editors read every vacancy (vacanciesForAdmin)
// and the sources; translators the public, open list.

import { h, replace } from '../dom.js';
import { t, lang } from '../i18n.js';
import { gql } from '../api.js';
import { formatDate, formatDay, languageName } from '../format.js';
import { can, errorText } from '../app.js';

const VACANCY = `id title url status closedReason language datePosted validThrough lastSeenAt
  hiringOrganization { name } locations { locality country } role(locale: $locale) { id title slug }`;
const ADMIN_VACANCIES = `query AdminVacancies($after: String, $locale: String) {
  list: vacanciesForAdmin(first: 100, after: $after) { edges { node { ${VACANCY} source { id name } } } pageInfo { hasNextPage endCursor } } }`;
const PUBLIC_VACANCIES = `query Vacancies($after: String, $locale: String) {
  list: vacancies(first: 100, after: $after) { edges { node { ${VACANCY} } } pageInfo { hasNextPage endCursor } } }`;
const SYNC_STATES = 'query SyncStates { sources { id name active lastSyncAt lastError openVacancies closedVacancies expiredVacancies } }';

// A page holds at most this many vacancies; the screen says when there are more.
const LIMIT = 1000;

async function fetchVacancies(query) {
  const out = [];
  let after = null;
  for (;;) {
    const data = await gql(query, { after, locale: lang() });
    out.push(...data.list.edges.map((e) => e.node));
    if (!data.list.pageInfo.hasNextPage || out.length >= LIMIT) return out;
    after = data.list.pageInfo.endCursor;
  }
}

const STATUSES = ['OPEN', 'CLOSED', 'EXPIRED'];

function dash(v) {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

const COLUMNS = {
  title: (v) => (v.url ? h('a', { href: v.url, rel: 'noopener noreferrer', target: '_blank' }, v.title) : v.title),
  status: (v) => h('span', { class: ['badge', v.status === 'OPEN' ? 'badge-published' : 'badge-saved'] }, t(`sync.status.${v.status}`)),
  hiringOrganization: (v) => dash(v.hiringOrganization && v.hiringOrganization.name),
  locations: (v) => dash(v.locations.map((l) => [l.locality, l.country].filter(Boolean).join(', ')).filter(Boolean).join('; ')),
  language: (v) => languageName(v.language),
  datePosted: (v) => formatDay(v.datePosted),
  validThrough: (v) => (v.validThrough ? formatDay(v.validThrough) : '—'),
  lastSeenAt: (v) => formatDate(v.lastSeenAt),
  closedReason: (v) => dash(v.closedReason),
};

export async function vacanciesView(main) {
  const editor = can('EDITOR');
  let vacancies;
  let sources = null;
  try {
    [vacancies, sources] = await Promise.all([
      fetchVacancies(editor ? ADMIN_VACANCIES : PUBLIC_VACANCIES),
      editor ? gql(SYNC_STATES).then((d) => d.sources) : null,
    ]);
  } catch (err) {
    replace(main, h('h1', { tabindex: '-1' }, t('sync.vacanciesTitle')), h('p', { class: 'error' }, errorText(err)));
    return {};
  }
  let groupBy = 'role';
  let status = '';
  const keyOf = (v) => {
    if (groupBy === 'role') return (v.role && v.role.title) || t('sync.noRole');
    return (v.source && v.source.name) || t('sync.unknownSource');
  };
  const stateColumns = ['active', 'lastSyncAt', 'lastError', 'openVacancies', 'closedVacancies', 'expiredVacancies'];
  const stateCell = (src, c) => {
    if (c === 'active') return src.active ? t('common.yes') : t('common.no');
    if (c === 'lastSyncAt') return src.lastSyncAt ? formatDate(src.lastSyncAt) : t('sync.never');
    return dash(src[c]);
  };

  const render = (focusId) => {
    const groups = new Map();
    for (const v of vacancies) {
      if (status && v.status !== status) continue;
      const k = keyOf(v);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(v);
    }
    const radios = (editor ? ['role', 'source'] : ['role']).map((g) => h('span', { class: 'check' },
      h('input', { type: 'radio', name: 'group-by', id: `group-${g}`, value: g, checked: groupBy === g, onchange: () => { groupBy = g; render(`group-${g}`); } }),
      h('label', { for: `group-${g}` }, t(`sync.by.${g}`))));
    const statusSelect = editor && h('div', { class: 'field inline' },
      h('label', { for: 'vacancy-status' }, t('gen.status')),
      h('select', { id: 'vacancy-status', onchange: (e) => { status = e.target.value; render('vacancy-status'); } },
        h('option', { value: '' }, t('sync.allStatuses')),
        STATUSES.map((st) => h('option', { value: st, selected: st === status }, t(`sync.status.${st}`)))));
    const columns = Object.keys(COLUMNS).filter((c) => editor || (c !== 'status' && c !== 'closedReason'));
    replace(main,
      h('h1', { tabindex: '-1' }, t('sync.vacanciesTitle')),
      h('p', { class: 'muted' }, editor ? t('sync.vacanciesIntroAll') : t('sync.vacanciesIntro')),
      vacancies.length >= LIMIT && h('p', { class: 'notice notice-info' }, t('sync.truncated', { n: LIMIT })),
      sources && h('section', { class: 'card', 'aria-labelledby': 'sync-state-title' }, h('h2', { id: 'sync-state-title' }, t('sync.syncState')),
        sources.length === 0 ? h('p', { class: 'muted' }, t('sync.noSources')) : h('div', { class: 'table-wrap' }, h('table', { class: 'sync-states' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('gen.name')), stateColumns.map((c) => h('th', { scope: 'col' }, t(`gen.${c}`))))),
          h('tbody', null, sources.map((src) => h('tr', { 'data-source': src.name },
            h('th', { scope: 'row' }, src.name),
            stateColumns.map((c) => h('td', null, stateCell(src, c))))))))),
      h('div', { class: 'filters' },
        h('fieldset', { class: 'group-by' }, h('legend', null, t('sync.groupBy')), radios),
        statusSelect),
      groups.size === 0
        ? h('p', { class: 'card muted', id: 'vacancies-empty' }, t('sync.noVacancies'))
        : [...groups.entries()].map(([k, list]) => h('section', { class: 'card', 'data-group': k },
          h('h2', null, k, ' ', h('span', { class: 'count' }, `(${list.length})`)),
          h('div', { class: 'table-wrap' }, h('table', null,
            h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, t(`gen.${c}`))))),
            h('tbody', null, list.map((v) => h('tr', { 'data-vacancy': v.id }, columns.map((c) => h('td', null, COLUMNS[c](v)))))))))));
    if (focusId) document.getElementById(focusId)?.focus();
  };
  render();
  return { rerender: () => render() };
}
