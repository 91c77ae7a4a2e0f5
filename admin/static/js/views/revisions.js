// An entry's history: every save and publication per locale, newest first,
// with restore for editors.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import { formatDate, localeName, typeName } from '../format.js';
import { can, navigate, notify, errorText } from '../app.js';

const QUERY = `query History($id: ID!, $locale: String) {
  entry(id: $id) { id type label version }
  revisions(id: $id, locale: $locale, first: 100) { edges { node { id locale number kind slug document createdAt createdBy { email } restoredFrom } } }
}`;
const RESTORE = 'mutation Restore($r: ID!, $v: Int!) { restoreRevision(revisionId: $r, expectedVersion: $v) { id version } }';

function summary(doc) {
  const f = (doc && doc.fields) || {};
  return f.title || f.question || '';
}

/** documentView lists a revision's text fields, readable rather than JSON. */
function documentView(doc) {
  const f = (doc && doc.fields) || {};
  const rows = [];
  for (const [k, v] of Object.entries(f)) {
    if (typeof v === 'string' && v) rows.push([t(`field.${k}`), v]);
    else if (Array.isArray(v) && v.length) rows.push([t(`field.${k}`), v.join(' · ')]);
    else if (v && typeof v === 'object') {
      const n = Object.keys(v).length;
      if (n) rows.push([t(`field.${k}`), t('revisions.parts', { n })]);
    }
  }
  return h('dl', { class: 'doc' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v.length > 400 ? `${v.slice(0, 400)}…` : v)]));
}

export async function revisionsView(main, { id }) {
  const locales = await getLocales();
  let filter = '';
  let busy = false;

  const load = async () => {
    const data = await gql(QUERY, { id, locale: filter || null });
    data.revisions = data.revisions.edges.map((edge) => edge.node); // the newest 100
    if (!data.entry) {
      replace(main, h('h1', { tabindex: '-1' }, t('common.notFound')), h('p', null, h('a', { href: '#/' }, t('nav.dashboard'))));
      return;
    }
    const e = data.entry;
    const select = h('select', {
      id: 'revisions-locale',
      onchange: async (ev) => { filter = ev.target.value; await load(); document.getElementById('revisions-locale')?.focus(); },
    }, h('option', { value: '' }, t('revisions.allLocales')), locales.map((l) => h('option', { value: l.code, selected: l.code === filter }, l.name)));
    replace(main,
      h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.breadcrumbs') },
        h('a', { href: '#/' }, t('nav.dashboard')), h('span', { 'aria-hidden': 'true' }, ' › '),
        h('a', { href: `#/entry/${encodeURIComponent(id)}` }, e.label)),
      h('h1', { tabindex: '-1' }, t('revisions.title', { label: e.label })),
      h('p', { class: 'muted' }, t('revisions.intro', { type: typeName(e.type) })),
      h('div', { class: 'field inline' }, h('label', { for: 'revisions-locale' }, t('revisions.locale')), select),
      data.revisions.length === 0 ? h('p', { class: 'muted' }, t('revisions.none')) : h('div', { class: 'table-wrap card' }, h('table', { class: 'revisions' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('revisions.col.locale')),
          h('th', { scope: 'col' }, '#'),
          h('th', { scope: 'col' }, t('revisions.col.kind')),
          h('th', { scope: 'col' }, t('revisions.col.when')),
          h('th', { scope: 'col' }, t('revisions.col.title')),
          h('th', { scope: 'col' }, t('revisions.col.actions')))),
        h('tbody', null, data.revisions.map((r) => h('tr', { 'data-revision': r.id },
          h('td', null, localeName(locales, r.locale)),
          h('td', null, String(r.number)),
          h('td', null, h('span', { class: ['badge', r.kind === 'PUBLISHED' ? 'badge-published' : 'badge-saved'] }, t(`revisions.kind.${r.kind}`)),
            r.restoredFrom ? h('span', { class: 'muted small' }, ` ${t('revisions.restored')}`) : null),
          h('td', null, formatDate(r.createdAt), h('br'), h('span', { class: 'muted small' }, r.createdBy ? r.createdBy.email : t('editor.system'))),
          h('td', null, h('details', null, h('summary', null, summary(r.document) || r.slug), h('p', { class: 'muted small' }, `${t('field.slug')}: ${r.slug}`), documentView(r.document))),
          h('td', null, can('EDITOR') && h('button', {
            type: 'button', class: 'secondary small', id: `restore-${r.id}`, disabled: busy,
            onclick: async () => {
              busy = true;
              try {
                await gql(RESTORE, { r: r.id, v: e.version });
                notify(t('revisions.restoredMsg', { n: r.number, locale: localeName(locales, r.locale) }), 'success', { keep: true });
                navigate(`#/entry/${encodeURIComponent(id)}`);
              } catch (err) {
                busy = false;
                notify(err.code === 'CONFLICT' ? t('revisions.conflict') : errorText(err), 'error');
                await load();
              }
            },
          }, t('revisions.restore')))))))));
  };
  await load();
  return { rerender: load };
}
